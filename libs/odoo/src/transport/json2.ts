/**
 * JSON-2 transport (Odoo 19+): `POST /json/2/<model>/<method>` with `Authorization: bearer <API key>` and
 * named arguments; `GET /web/version`. Translates the client's execute_kw-style (positional) calls into
 * named arguments for the methods the hub uses. Never retries; never puts the key in an error.
 */
import { OdooFaultError, OdooTransportError, errorFromJson2, errorFromNetwork, retryAfterMsFrom } from '../errors.js';
import { majorOf, type ServerVersion, type Transport, type TransportConfig } from './transport.js';

/** Positional parameter names per method (after `ids` for record methods). */
const POSITIONAL: Record<string, { ids?: true; names: string[] }> = {
  search: { names: ['domain'] },
  search_read: { names: ['domain', 'fields'] },
  search_count: { names: ['domain'] },
  read: { ids: true, names: ['fields'] },
  create: { names: ['vals_list'] },
  write: { ids: true, names: ['vals'] },
  unlink: { ids: true, names: [] },
  fields_get: { names: ['allfields', 'attributes'] },
  message_post: { ids: true, names: [] },
  default_get: { names: ['fields_list'] },
  context_get: { names: [] },
  check_object_reference: { names: ['module', 'xml_id'] },
  name_search: { names: ['name'] },
};

/** Builds the JSON-2 body from execute_kw-style arguments. Exported for tests. */
function json2Body(method: string, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const spec = POSITIONAL[method];
  const body: Record<string, unknown> = {};
  let rest = args;
  if (spec?.ids || (!spec && Array.isArray(args[0]) && args[0].every((x) => typeof x === 'number'))) {
    body['ids'] = args[0] ?? [];
    rest = args.slice(1);
  }
  const names = spec?.names ?? [];
  if (rest.length > names.length) {
    throw new OdooFaultError(`JSON-2 needs named arguments for ${method}: pass them as kwargs`, { method });
  }
  rest.forEach((value, i) => {
    body[names[i] as string] = value;
  });
  for (const [k, v] of Object.entries(kwargs)) if (v !== undefined) body[k] = v;
  return body;
}

export function createJson2Transport(cfg: TransportConfig): Transport {
  const base = cfg.url.href.replace(/\/+$/, '');

  async function request(path: string, init: RequestInit, ctx: { model?: string; method?: string }): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (err) {
      throw errorFromNetwork(err, { ...ctx, timeoutMs: cfg.timeoutMs });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw errorFromNetwork(err, { ...ctx, timeoutMs: cfg.timeoutMs });
    }
    let body: unknown = text;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      if (res.ok) throw new OdooTransportError('Odoo sent an unreadable JSON-2 response', { ...ctx, httpStatus: res.status });
    }
    if (!res.ok) {
      const retryAfterMs = retryAfterMsFrom(res.headers.get('retry-after'));
      throw errorFromJson2(res.status, body, { ...ctx, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    return body;
  }

  return {
    kind: 'json2',
    async version(): Promise<ServerVersion> {
      const v = (await request('/web/version', { method: 'GET' }, {})) as { version?: string; version_info?: unknown };
      const serverVersion = String(v.version ?? '');
      return { serverVersion, major: majorOf(serverVersion, v.version_info) };
    },
    async authenticate(): Promise<number | false> {
      // JSON-2 has no session: the API key is checked on every call. Resolve our uid once.
      const rows = (await this.executeKw(0, 'res.users', 'search_read', [[['login', '=', cfg.username]]], { fields: ['id'], limit: 1 })) as { id: number }[];
      return rows[0]?.id ?? false;
    },
    executeKw(_uid, model, method, args, kwargs) {
      const body = json2Body(method, args, kwargs);
      return request(`/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: {
          Authorization: `bearer ${cfg.password}`,
          'Content-Type': 'application/json; charset=utf-8',
          'X-Odoo-Database': cfg.db,
          'User-Agent': 'gassistant-odoo-client',
        },
        body: JSON.stringify(body),
      }, { model, method });
    },
    close() {
      // fetch's global dispatcher owns its keep-alive sockets.
    },
  };
}
