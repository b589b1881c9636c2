/**
 * createOdooClient: connects (version → transport choice → authenticate → fields_get of crm.lead), runs
 * execute_kw through the chosen transport, re-authenticates once when the uid/key is refused, and offers
 * typed helpers. It never retries a failed call (the bus does) and never logs arguments or credentials.
 */
import { OdooAccessDeniedError, OdooError, OdooFaultError, OdooTransportError } from './errors.js';
import { createRefs } from './refs.js';
import { createJson2Transport } from './transport/json2.js';
import type { ServerVersion, Transport, TransportConfig } from './transport/transport.js';
import { createXmlRpcTransport } from './transport/xmlrpc.js';
import type { Domain, OdooCapabilities, OdooClient, OdooClientOptions, OdooFieldInfo } from './types.js';

const DEFAULT_TIMEOUT_MS = 15_000;
/** JSON-2 exists from 19.0; XML-RPC is deprecated there (removal announced for 22). */
const JSON2_FROM_MAJOR = 19;

export function createOdooClient(options: OdooClientOptions): OdooClient {
  const cfg: TransportConfig = {
    url: new URL(options.url),
    db: options.db,
    username: options.username,
    password: options.password,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const log = options.log;
  const wanted = options.transport ?? 'auto';
  const xml = createXmlRpcTransport(cfg);
  let json2: Transport | undefined;
  const json2Transport = (): Transport => (json2 ??= createJson2Transport(cfg));

  let transport: Transport | undefined;
  let uid: number | undefined;
  let caps: OdooCapabilities | undefined;
  let connecting: Promise<OdooCapabilities> | undefined;
  let reauthenticating: Promise<number> | undefined;

  async function serverVersion(): Promise<{ v: ServerVersion; via: Transport }> {
    if (wanted === 'json2') return { v: await json2Transport().version(), via: json2Transport() };
    try {
      return { v: await xml.version(), via: xml };
    } catch (err) {
      // XML-RPC gone (Odoo 22+) answers 404: ask the JSON-2 side instead when allowed.
      if (wanted === 'auto' && err instanceof OdooTransportError && err.httpStatus === 404) {
        return { v: await json2Transport().version(), via: json2Transport() };
      }
      throw err;
    }
  }

  async function authenticate(t: Transport): Promise<number> {
    const id = await t.authenticate();
    if (id === false) throw new OdooAccessDeniedError('Odoo refused the login (authenticate returned False)', { method: 'authenticate' });
    return id;
  }

  /** The addon's API version; an addon older than the call (Odoo: "method does not exist") offers its fields only. */
  async function addonApi(t: Transport, id: number): Promise<number> {
    try {
      const version = await t.executeKw(id, 'crm.lead', 'gassistant_api_version', [], {});
      return typeof version === 'number' ? version : 1;
    } catch (err) {
      if (err instanceof OdooFaultError) return 1;
      throw err;
    }
  }

  async function doConnect(): Promise<OdooCapabilities> {
    const { v, via } = await serverVersion();
    const kind = wanted === 'auto' ? (v.major >= JSON2_FROM_MAJOR || via.kind === 'json2' ? 'json2' : 'xmlrpc') : wanted;
    const t = kind === 'json2' ? json2Transport() : xml;
    const id = await authenticate(t);
    transport = t;
    uid = id;
    const fields = (await t.executeKw(id, 'crm.lead', 'fields_get', [], { attributes: ['type'] })) as Record<string, unknown>;
    // crm.lead's `type` defaults to 'lead' only for a user in crm.group_use_lead (the CRM "Leads" setting;
    // crm_lead.py: `'lead' if has_group('crm.group_use_lead') else 'opportunity'`). default_get asks exactly
    // that for the hub's user, in one call of the same shape on every version (has_group's shape changed in 18).
    const defaults = (await t.executeKw(id, 'crm.lead', 'default_get', [['type']], {})) as { type?: unknown };
    const leadFields = new Set(Object.keys(fields));
    const hasAddon = leadFields.has('gassistant_ref');
    caps = {
      serverVersion: v.serverVersion,
      major: v.major,
      hasAddon,
      addonApi: hasAddon ? await addonApi(t, id) : 0,
      leadFields,
      leadsEnabled: defaults.type === 'lead',
      transport: t.kind,
      uid: id,
    };
    log?.debug({ server_version: v.serverVersion, transport: t.kind, has_addon: caps.hasAddon, addon_api: caps.addonApi }, 'connected to Odoo');
    return caps;
  }

  function connect(): Promise<OdooCapabilities> {
    if (caps) return Promise.resolve(caps);
    connecting ??= doConnect().finally(() => { connecting = undefined; });
    return connecting;
  }

  async function reauthenticate(): Promise<number> {
    reauthenticating ??= authenticate(transport as Transport)
      .then((id) => { uid = id; return id; })
      .finally(() => { reauthenticating = undefined; });
    return reauthenticating;
  }

  async function executeKw<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
    const started = performance.now();
    let error: unknown;
    try {
      // Inside the try: a connect that fails (Odoo down at the first call) is reported like the call itself.
      await connect();
      return (await (transport as Transport).executeKw(uid as number, model, method, args, kwargs)) as T;
    } catch (err) {
      // Fault 3 on execute_kw: the uid or key was refused (user recreated, DB restored). Re-authenticate once;
      // if authenticate itself refuses, that OdooAccessDeniedError is what the caller gets.
      if (err instanceof OdooAccessDeniedError && (err.faultCode === 3 || err.httpStatus === 401)) {
        log?.warn({ model, method }, 'Odoo refused the session, re-authenticating once');
        try {
          const id = await reauthenticate();
          return (await (transport as Transport).executeKw(id, model, method, args, kwargs)) as T;
        } catch (again) {
          error = again;
          throw again;
        }
      }
      error = err;
      throw err;
    } finally {
      const durationMs = performance.now() - started;
      log?.debug({ model, method, duration_ms: Math.round(durationMs) }, 'odoo call');
      options.onCall?.({ model, method, durationMs, ...(error === undefined ? {} : { error }) });
    }
  }

  /** The API user's partner and its formatted address (`"Name" <email>`), as message_post makes a note's author. */
  let authorOf: Promise<{ partnerId: number; emailFrom: string | false }> | undefined;
  function author(): Promise<{ partnerId: number; emailFrom: string | false }> {
    authorOf ??= (async () => {
      const { uid: id } = await connect();
      const rows = await executeKw<{ id: number; email_formatted: string | false }[]>('res.partner', 'search_read', [[['user_ids', 'in', [id]]]], { fields: ['email_formatted'], limit: 1, context: { active_test: false } });
      const row = rows[0];
      if (row === undefined) throw new OdooError('the API user has no partner', { model: 'res.partner' });
      return { partnerId: row.id, emailFrom: row.email_formatted || false };
    })();
    authorOf.catch(() => { authorOf = undefined; });
    return authorOf;
  }

  const withContext = (context: Record<string, unknown> | undefined): Record<string, unknown> => (context ? { context } : {});

  const client: OdooClient = {
    connect,
    get capabilities(): OdooCapabilities {
      if (!caps) throw new OdooError('OdooClient.capabilities read before connect()');
      return caps;
    },
    executeKw,
    searchRead<T>(model: string, domain: Domain, opts: { fields?: string[]; limit?: number; offset?: number; order?: string; context?: Record<string, unknown> } = {}) {
      const kwargs: Record<string, unknown> = {};
      if (opts.fields) kwargs['fields'] = opts.fields;
      if (opts.limit !== undefined) kwargs['limit'] = opts.limit;
      if (opts.offset !== undefined) kwargs['offset'] = opts.offset;
      if (opts.order !== undefined) kwargs['order'] = opts.order;
      if (opts.context) kwargs['context'] = opts.context;
      return executeKw<T[]>(model, 'search_read', [domain], kwargs);
    },
    searchCount(model, domain, opts = {}) {
      return executeKw<number>(model, 'search_count', [domain], withContext(opts.context));
    },
    read<T>(model: string, ids: number[], fields?: string[]) {
      return executeKw<T[]>(model, 'read', [ids], fields ? { fields } : {});
    },
    async create(model, values, opts = {}) {
      const r = await executeKw<number | number[]>(model, 'create', [values], withContext(opts.context));
      // JSON-2 answers a recordset as a list of ids even for one dict.
      return Array.isArray(r) ? (r[0] as number) : r;
    },
    async createMany(model, values, opts = {}) {
      if (values.length === 0) return [];
      const r = await executeKw<number | number[]>(model, 'create', [values], withContext(opts.context));
      return Array.isArray(r) ? r : [r];
    },
    async write(model, ids, values, opts = {}) {
      await executeKw<boolean>(model, 'write', [ids, values], withContext(opts.context));
      return true;
    },
    fieldsGet(model, attributes = ['string', 'type', 'required', 'readonly', 'relation', 'selection']) {
      return executeKw<Record<string, OdooFieldInfo>>(model, 'fields_get', [], { attributes });
    },
    async messagePost(model, id, body, opts = {}) {
      if (opts.html) return (await client.logNotes(model, [{ resId: id, html: body }]))[0] as number;
      // message_post HTML-escapes a str body on 17+ (and wraps it in <p>): the text shows as typed.
      const r = await executeKw<number | number[]>(model, 'message_post', [[id]], { body, message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
      return Array.isArray(r) ? (r[0] as number) : r;
    },
    async noteValues(model, html, recordName) {
      // A mail.message of type comment with the note subtype is what message_post stores for an internal
      // note, and its Html body is sanitized as HTML without a warning (message_post's body_is_html=True logs
      // a WARNING per note on 17, "use a Markup object instead" — which XML-RPC cannot send). Nobody is
      // notified, as with message_post: the note subtype is internal and no follower's default. The author's
      // address and the record's name are sent rather than computed per message by Odoo (half the cost of a
      // batch of notes on 17.0); reply_to is what message_post stores without a catchall alias (the author),
      // and is never used for a note nobody is emailed.
      const [subtypeId, me] = await Promise.all([client.refs.noteSubtype(), author()]);
      return {
        model, body: html, message_type: 'comment', subtype_id: subtypeId,
        author_id: me.partnerId, email_from: me.emailFrom, reply_to: me.emailFrom,
        ...(recordName === undefined ? {} : { record_name: recordName }),
      };
    },
    async logNotes(model, notes) {
      if (notes.length === 0) return [];
      const values = await Promise.all(notes.map(async (n) => ({ ...(await client.noteValues(model, n.html, n.recordName)), res_id: n.resId })));
      const r = await executeKw<number | number[]>('mail.message', 'create', [values]);
      return Array.isArray(r) ? r : [r];
    },
    async ping() {
      // The user's context: authenticated, reads one cached row, same shape on every version.
      await executeKw<unknown>('res.users', 'context_get', []);
    },
    async createActivity(input) {
      const [resModelId, typeId] = await Promise.all([
        client.refs.modelId(input.model),
        input.activityTypeId !== undefined ? Promise.resolve(input.activityTypeId) : client.refs.activityTypeTodo(),
      ]);
      const values: Record<string, unknown> = {
        res_model_id: resModelId,
        res_id: input.resId,
        activity_type_id: typeId,
        summary: input.summary,
        date_deadline: input.dateDeadline,
      };
      if (input.note !== undefined) values['note'] = input.note;
      if (input.userId !== undefined) values['user_id'] = input.userId;
      return client.create('mail.activity', values);
    },
    refs: undefined as never,
    close() {
      xml.close();
      json2?.close();
    },
  };
  (client as { refs: OdooClient['refs'] }).refs = createRefs({
    searchRead: (model, domain, opts) => client.searchRead(model, domain, opts),
    create: (model, values) => client.create(model, values),
    executeKw,
  });
  return client;
}
