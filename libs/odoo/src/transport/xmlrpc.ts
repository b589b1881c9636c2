/**
 * XML-RPC transport over the `xmlrpc` package: `/xmlrpc/2/common` and `/xmlrpc/2/object`, one keep-alive
 * agent per client, a per-call timeout (AbortSignal), faults mapped to typed errors.
 * Must never retry (consumers retry via the bus) and never put arguments or the password in errors.
 */
import http from 'node:http';
import https from 'node:https';
import xmlrpc from 'xmlrpc';
import { OdooTransportError, errorFromFault, errorFromNetwork, retryAfterMsFrom } from '../errors.js';
import { majorOf, toWire, type ServerVersion, type Transport, type TransportConfig } from './transport.js';

interface XmlRpcFailure {
  faultCode?: unknown;
  faultString?: unknown;
  message?: string;
  res?: { statusCode?: number; headers?: Record<string, string | string[] | undefined> };
}

export function createXmlRpcTransport(cfg: TransportConfig): Transport {
  const secure = cfg.url.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 16 })
    : new http.Agent({ keepAlive: true, maxSockets: 16 });
  const basePath = cfg.url.pathname.replace(/\/+$/, '');
  const port = cfg.url.port ? Number(cfg.url.port) : secure ? 443 : 80;

  function call(service: 'common' | 'object', method: string, params: unknown[], ctx: { model?: string; method?: string } = {}): Promise<unknown> {
    const signal = AbortSignal.timeout(cfg.timeoutMs);
    const options = {
      host: cfg.url.hostname,
      port,
      path: `${basePath}/xmlrpc/2/${service}`,
      agent,
      signal,
      headers: { 'User-Agent': 'gassistant-odoo-client' },
    };
    const client = secure ? xmlrpc.createSecureClient(options) : xmlrpc.createClient(options);
    return new Promise((resolve, reject) => {
      let settled = false;
      client.methodCall(method, params.map(toWire), (error: unknown, value: unknown) => {
        if (settled) return;
        settled = true;
        if (!error) return resolve(value);
        const e = error as XmlRpcFailure;
        if (e.faultCode !== undefined) return reject(errorFromFault(e.faultCode, e.faultString, ctx));
        const status = e.res?.statusCode;
        if (status !== undefined) {
          if (status === 404) {
            return reject(new OdooTransportError('Odoo answered 404 on /xmlrpc/2 (wrong URL, or XML-RPC removed on this version)', { ...ctx, httpStatus: 404, retryable: false }));
          }
          if (status >= 400) {
            const header = e.res?.headers?.['retry-after'];
            const retryAfterMs = retryAfterMsFrom(Array.isArray(header) ? header[0] : header);
            return reject(new OdooTransportError(`Odoo answered HTTP ${status}`, { ...ctx, httpStatus: status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }));
          }
          return reject(new OdooTransportError('Odoo sent an unreadable XML-RPC response', { ...ctx, httpStatus: status, cause: error }));
        }
        reject(errorFromNetwork(error, { ...ctx, timeoutMs: cfg.timeoutMs }));
      });
    });
  }

  return {
    kind: 'xmlrpc',
    async version(): Promise<ServerVersion> {
      const v = (await call('common', 'version', [])) as { server_version?: string; server_version_info?: unknown };
      const serverVersion = String(v.server_version ?? '');
      return { serverVersion, major: majorOf(serverVersion, v.server_version_info) };
    },
    async authenticate(): Promise<number | false> {
      const uid = await call('common', 'authenticate', [cfg.db, cfg.username, cfg.password, {}]);
      return typeof uid === 'number' && uid > 0 ? uid : false;
    },
    executeKw(uid, model, method, args, kwargs) {
      return call('object', 'execute_kw', [cfg.db, uid, cfg.password, model, method, args, kwargs], { model, method });
    },
    close() {
      agent.destroy();
    },
  };
}
