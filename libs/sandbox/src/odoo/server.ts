/**
 * startOdooStandIn: an HTTP server speaking Odoo's XML-RPC (`/xmlrpc/2/common`, `/xmlrpc/2/object`) and,
 * from version 19, JSON-2 (`/json/2/<model>/<method>`, `GET /web/version`) over one in-memory database,
 * with fault injection (down, slow, failNext) and a count of execute_kw calls per model/method.
 * Test and local use only: it keeps no data on disk and enforces no access rights beyond the login.
 */
import type http from 'node:http';
import { listen, readBody, sendJson } from '../http.js';
import { OdooService, type ServerLogLine, type StandInUser } from './dispatch.js';
import { OdooFault, accessDenied, accessError, serializationFailure, tracebackFault, validationError } from './faults.js';
import type { Row } from './store.js';
import { faultResponse, methodResponse, parseMethodCall } from './wire.js';

/**
 * 'transport': HTTP 503 (a proxy while Odoo restarts); 'lost': the call runs and commits, but its answer
 * never comes (the client times out, not knowing whether e.g. a create happened); the rest: Odoo's faults.
 */
/** `access`: fault 3 (wrong credentials); `forbidden`: fault 4, an AccessError (the user lacks the group, e.g. Settings). */
export type FailKind = 'transport' | 'lost' | 'validation' | 'concurrency' | 'access' | 'forbidden' | 'fault' | 'missing';

export interface OdooStandInOptions {
  addonInstalled?: boolean;
  /** 0 (default) = a random free port. */
  port?: number;
  /** Extra users besides admin (login admin, password admin). Default: one salesperson, sara. */
  users?: StandInUser[];
  version?: '16.0' | '17.0' | '18.0' | 'saas~18.2' | '19.0' | (string & {});
  db?: string;
  /** Fixed API key for the admin user (default: random). */
  apiKey?: string;
  now?: () => Date;
  /** Predictive lead scoring has won/lost history. Default false, as in a new database: probability stays unset. */
  scoringHistory?: boolean;
  /** With the addon: its API version (crm.lead.gassistant_api_version). Default 2 (17.0.1.2); 1 = an older addon. */
  addonApi?: 1 | 2;
  /** The CRM "Leads" setting (group crm.group_use_lead). Default false, as in a new database. */
  leadsSetting?: boolean;
}

export interface CallLog {
  /** Number of execute_kw calls (both transports), optionally for one model and/or method. */
  count(model?: string, method?: string): number;
  readonly total: number;
  /** `{ "crm.lead.create": 3, ... }` */
  byKey(): Record<string, number>;
  reset(): void;
}

export interface OdooStandIn {
  url: string;
  db: string;
  username: string;
  password: string;
  apiKey: string;
  version: string;
  close(): Promise<void>;
  /** Back to a fresh database (and no pending faults). */
  reset(): void;
  /** Raw stored records (many2one as id, x2many as ids); a copy. */
  records(model: string): Row[];
  /** Chatter of one record (mail.message rows, oldest first). */
  messages(model: string, resId: number): Row[];
  /** What the real server would have logged at WARNING or above because of the calls it got. */
  serverLog(): ServerLogLine[];
  /** Insert a record directly (as admin), bypassing the wire; returns its id. */
  seed(model: string, values: Row): number;
  faults: {
    down(): void;
    up(): void;
    slow(ms: number): void;
    failNext(n: number, kind?: FailKind): void;
  };
  calls: CallLog;
}

const DEFAULT_USERS: StandInUser[] = [{ login: 'sara', name: 'سارة الحربي', email: 'sara@example.com', password: 'sara' }];

export async function startOdooStandIn(opts: OdooStandInOptions = {}): Promise<OdooStandIn> {
  const db = opts.db ?? 'gassistant';
  const service = new OdooService({
    version: opts.version ?? '17.0', addonInstalled: opts.addonInstalled ?? false, users: opts.users ?? DEFAULT_USERS, db,
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}), ...(opts.now ? { now: opts.now } : {}),
    scoringHistory: opts.scoringHistory ?? false, leadsSetting: opts.leadsSetting ?? false, ...(opts.addonApi ? { addonApi: opts.addonApi } : {}),
  });
  let down = false;
  let delayMs = 0;
  let pending: FailKind[] = [];
  const counts = new Map<string, number>();

  const count = (model: unknown, method: unknown): void => {
    const key = `${String(model)}.${String(method)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  /** An injected failure for this execute_kw, or undefined. 'transport' is answered at the HTTP level. */
  function injected(): FailKind | undefined {
    return pending.shift();
  }
  function injectedFault(kind: FailKind): OdooFault {
    switch (kind) {
      case 'validation': return validationError('The operation cannot be completed: injected validation failure (stand-in)');
      case 'concurrency': return serializationFailure();
      case 'access': return accessDenied();
      case 'forbidden': return accessError("You are not allowed to access 'System Parameter' (ir.config_parameter) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings\n\nContact your administrator to request access if necessary.");
      case 'missing': return new OdooFault(2, 'Record does not exist or has been deleted.\n(Record: crm.lead(999999,), User: 2)', 'odoo.exceptions.MissingError');
      default: return tracebackFault('RuntimeError', 'injected failure (stand-in)');
    }
  }
  const sendTransportFailure = (res: http.ServerResponse): void => {
    // What a reverse proxy answers when Odoo is restarting.
    const body = '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>';
    res.writeHead(503, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const sendXml = (res: http.ServerResponse, xml: string): void => {
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  };

  async function handleXmlRpc(service_: 'common' | 'object', body: Buffer, res: http.ServerResponse): Promise<void> {
    let call: { method: string; params: unknown[] };
    try {
      call = await parseMethodCall(body);
    } catch {
      return sendXml(res, faultResponse(tracebackFault('xml.parsers.expat.ExpatError', 'syntax error: line 1, column 0')));
    }
    try {
      let result: unknown;
      if (service_ === 'common') {
        const p = call.params;
        if (call.method === 'version') result = service.version();
        else if (call.method === 'authenticate') result = service.authenticate(p[0], p[1], p[2]);
        else if (call.method === 'login') result = service.authenticate(p[0], p[1], p[2]);
        else throw tracebackFault('NameError', `Method not available ${call.method}`);
      } else {
        if (call.method !== 'execute_kw') throw tracebackFault('NameError', `Method not available ${call.method}`);
        count(call.params[3], call.params[4]);
        const kind = injected();
        if (kind === 'transport') return sendTransportFailure(res);
        if (kind === 'lost') {
          service.executeKwRpc(call.params);
          return;
        }
        if (kind) throw injectedFault(kind);
        result = service.executeKwRpc(call.params);
      }
      sendXml(res, methodResponse(result));
    } catch (err) {
      if (err instanceof OdooFault) return sendXml(res, faultResponse(err));
      sendXml(res, faultResponse(tracebackFault('Exception', err instanceof Error ? err.message : String(err))));
    }
  }

  function json2Error(res: http.ServerResponse, fault: OdooFault, status?: number): void {
    const code = status ?? (fault.faultCode === 3 ? 401 : fault.faultCode === 4 ? 403 : fault.faultCode === 2 ? (fault.exceptionName.endsWith('MissingError') ? 404 : 422) : 500);
    const message = fault.faultCode === 1 ? (fault.faultString.trim().split('\n').pop() ?? '').replace(/^[\w.]+: /, '') : fault.faultString;
    sendJson(res, code, { name: fault.exceptionName, message, arguments: [message], context: {}, debug: fault.faultCode === 1 ? fault.faultString : `Traceback (most recent call last):\n${fault.exceptionName}: ${message}\n` });
  }

  async function handleJson2(req: http.IncomingMessage, model: string, method: string, body: Buffer, res: http.ServerResponse): Promise<void> {
    const auth = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const uid = auth ? service.uidForApiKey((auth[1] as string).trim()) : undefined;
    if (uid === undefined) {
      return json2Error(res, new OdooFault(3, 'Invalid apikey', 'werkzeug.exceptions.Unauthorized'), 401);
    }
    const dbHeader = req.headers['x-odoo-database'];
    if (typeof dbHeader === 'string' && dbHeader !== db) return json2Error(res, new OdooFault(1, 'Not Found', 'werkzeug.exceptions.NotFound'), 404);
    let parsed: Record<string, unknown>;
    try {
      parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return json2Error(res, new OdooFault(1, 'Invalid JSON body', 'werkzeug.exceptions.BadRequest'), 400);
    }
    count(model, method);
    const kind = injected();
    if (kind === 'transport') return sendTransportFailure(res);
    try {
      if (kind === 'lost') {
        service.executeJson2(uid, model, method, parsed);
        return;
      }
      if (kind) throw injectedFault(kind);
      let result = service.executeJson2(uid, model, method, parsed);
      // JSON-2 returns recordsets as id lists (create of one dict included).
      if (method === 'create' && typeof result === 'number') result = [result];
      sendJson(res, 200, result ?? null);
    } catch (err) {
      if (err instanceof OdooFault) return json2Error(res, err);
      json2Error(res, tracebackFault('Exception', err instanceof Error ? err.message : String(err)));
    }
  }

  const json2Enabled = service.major >= 19;
  const server = await listen((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (down) {
        req.socket.destroy();
        return;
      }
      const path = (req.url ?? '/').split('?')[0] as string;
      const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
      if (req.method === 'POST' && (path === '/xmlrpc/2/common' || path === '/xmlrpc/2/object')) {
        return handleXmlRpc(path.endsWith('common') ? 'common' : 'object', body, res);
      }
      if (json2Enabled && req.method === 'POST' && json2) {
        return handleJson2(req, decodeURIComponent(json2[1] as string), decodeURIComponent(json2[2] as string), body, res);
      }
      if (json2Enabled && path === '/web/version') {
        return sendJson(res, 200, { version_info: service.version()['server_version_info'], version: service.opts.version });
      }
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>404 Not Found</title><h1>Not Found</h1>');
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  }, opts.port ?? 0);
  server.server.on('connection', (socket) => {
    if (down) socket.destroy();
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    db,
    username: 'admin',
    password: 'admin',
    apiKey: service.apiKey,
    version: service.opts.version,
    close: () => server.close(),
    reset() {
      service.reset();
      pending = [];
      down = false;
      delayMs = 0;
      counts.clear();
    },
    records: (model) => service.store.dump(model),
    serverLog: () => [...service.serverLog],
    messages: (model, resId) => service.store.dump('mail.message').filter((m) => m['model'] === model && m['res_id'] === resId).sort((a, b) => (a['id'] as number) - (b['id'] as number)),
    seed: (model, values) => service.store.create(model, values, service.env(2)),
    faults: {
      down() {
        down = true;
        for (const s of server.sockets) s.destroy();
      },
      up() { down = false; },
      slow(ms) { delayMs = Math.max(0, ms); },
      failNext(n, kind = 'transport') {
        for (let i = 0; i < n; i++) pending.push(kind);
      },
    },
    calls: {
      count(model, method) {
        let total = 0;
        for (const [key, n] of counts) {
          const dot = key.lastIndexOf('.');
          if ((model === undefined || key.slice(0, dot) === model) && (method === undefined || key.slice(dot + 1) === method)) total += n;
        }
        return total;
      },
      get total() { return [...counts.values()].reduce((a, b) => a + b, 0); },
      byKey: () => Object.fromEntries(counts),
      reset: () => counts.clear(),
    },
  };
}
