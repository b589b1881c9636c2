/**
 * The stand-in's service layer: `common` (version, authenticate, login) and `object.execute_kw` with
 * per-call credential checks (fault 3), method binding like Python's (unexpected keyword → TypeError
 * fault 1), the model methods the hub uses, message_post and the 17.0 activity_schedule quirk.
 * Wire formats (XML-RPC, JSON-2) live in the server; this file only sees JS values.
 */
import { randomBytes } from 'node:crypto';
import { OdooFault, accessDenied, accessError, invalidField, missingError, tracebackFault } from './faults.js';
import { buildSchema, type Env, type ModelDef } from './schema.js';
import { Store, wrapHtml, type Row } from './store.js';

export interface StandInUser {
  login: string;
  name: string;
  email?: string;
  password?: string;
}

export interface DispatchOptions {
  version: string;
  addonInstalled: boolean;
  users: StandInUser[];
  db: string;
  apiKey?: string;
  now?: () => Date;
  /** Predictive lead scoring has won/lost history; false (a new database): probability stays unset. */
  scoringHistory?: boolean;
  /** The installed addon's API version (crm.lead.gassistant_api_version): 1 = an addon before 17.0.1.2. */
  addonApi?: 1 | 2;
  /** The CRM "Leads" setting (group crm.group_use_lead for internal users); off in a new database. */
  leadsSetting?: boolean;
}

/** A line the real server would write to its log (only what the hub can cause is modelled). */
export interface ServerLogLine {
  level: 'WARNING' | 'ERROR';
  message: string;
}

const RECORD_METHODS = new Set(['read', 'web_read', 'write', 'unlink', 'message_post', 'activity_schedule', 'action_feedback', 'action_done']);

/** Parameter names (Python signatures of 17.0) used to bind positional args and validate kwargs. */
const PARAMS: Record<string, string[]> = {
  search: ['domain', 'offset', 'limit', 'order'],
  search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
  search_count: ['domain', 'limit'],
  read: ['fields', 'load'],
  create: ['vals_list'],
  gassistant_create_leads: ['vals_list'],
  write: ['vals'],
  unlink: [],
  fields_get: ['allfields', 'attributes'],
  name_search: ['name', 'args', 'operator', 'limit'],
  check_object_reference: ['module', 'xml_id', 'raise_on_access_error'],
  default_get: ['fields_list'],
  action_feedback: ['feedback', 'attachment_ids'],
  action_done: [],
  web_search_read: ['domain', 'specification', 'offset', 'limit', 'order', 'count_limit'],
  web_read: ['specification'],
};

/** What web_read is asked for one field (17.0): a relational field's own fields, its order and limit. */
interface FieldSpec {
  fields?: Record<string, FieldSpec>;
  order?: string;
  limit?: number;
}

function parseVersion(version: string): { major: number; minor: number } {
  const m = /(\d+)\.(\d+)/.exec(version);
  return { major: m ? Number(m[1]) : 17, minor: m ? Number(m[2]) : 0 };
}

export class OdooService {
  store!: Store;
  readonly major: number;
  readonly minor: number;
  readonly apiKey: string;
  private readonly passwords = new Map<number, string>();
  private readonly now: () => Date;
  /** What Odoo would log (e.g. the body_is_html warning of 17.0); cleared by reset(). */
  readonly serverLog: ServerLogLine[] = [];

  constructor(readonly opts: DispatchOptions) {
    const v = parseVersion(opts.version);
    this.major = v.major;
    this.minor = v.minor;
    this.apiKey = opts.apiKey ?? randomBytes(20).toString('hex');
    this.now = opts.now ?? (() => new Date());
    this.reset();
  }

  env(uid: number, context: Record<string, unknown> = {}): Env {
    return { uid, context, now: this.now };
  }

  /** Fresh database: the records a new 17.0 database with crm, sale and no demo data has (ids as there). */
  reset(): void {
    this.store = new Store(buildSchema({ addonInstalled: this.opts.addonInstalled, major: this.major, minor: this.minor, scoringHistory: this.opts.scoringHistory ?? false }));
    this.passwords.clear();
    this.serverLog.length = 0;
    const s = this.store;
    const root = this.env(1);
    const c = (model: string, vals: Row): number => s.create(model, vals, root);
    c('res.company', { name: 'My Company', sequence: 10 });
    const internalUser = c('res.groups', { name: 'Internal User' });
    const useLead = c('res.groups', { name: 'Show Lead Menu' });
    const groups = [internalUser, ...(this.opts.leadsSetting ? [useLead] : [])];
    c('res.partner', { name: 'My Company', complete_name: 'My Company', is_company: true, company_id: 1 });
    c('res.partner', { name: 'OdooBot', complete_name: 'OdooBot', email: 'odoobot@example.com' });
    c('res.partner', { name: 'Administrator', complete_name: 'Administrator', email: 'admin@example.com' });
    c('res.users', { name: 'OdooBot', login: '__system__', partner_id: 2, active: false });
    c('res.users', { name: 'Administrator', login: 'admin', email: 'admin@example.com', partner_id: 3, groups_id: [[6, 0, groups]] });
    this.passwords.set(2, 'admin');
    for (const u of this.opts.users) {
      const pid = c('res.partner', { name: u.name, complete_name: u.name, email: u.email ?? false });
      const uid = c('res.users', { name: u.name, login: u.login, email: u.email ?? false, partner_id: pid, groups_id: [[6, 0, groups]] });
      if (u.password) this.passwords.set(uid, u.password);
    }
    for (const [name, code, phone] of [['Saudi Arabia', 'SA', 966], ['United Arab Emirates', 'AE', 971], ['Egypt', 'EG', 20]] as const) {
      c('res.country', { name, code, phone_code: phone });
    }
    // resource's "Standard 40 hours/week": Monday–Friday 08:00–12:00 and 13:00–17:00, with a lunch break line.
    const calendar = c('resource.calendar', { name: 'Standard 40 hours/week', tz: 'UTC', company_id: 1 });
    for (const day of ['0', '1', '2', '3', '4']) {
      for (const [period, from, to] of [['morning', 8, 12], ['lunch', 12, 13], ['afternoon', 13, 17]] as const) {
        c('resource.calendar.attendance', { name: `${day} ${period}`, calendar_id: calendar, dayofweek: day, hour_from: from, hour_to: to, day_period: period });
      }
    }
    s.write('res.company', [1], { resource_calendar_id: calendar }, root);
    c('res.lang', { name: 'English (US)', code: 'en_US', active: true });
    c('res.lang', { name: 'Arabic / الْعَرَبيّة', code: 'ar_001', active: false });
    c('crm.team', { name: 'Sales', sequence: 10, user_id: 2, company_id: 1, member_ids: [[6, 0, [2]]] });
    const stages: [string, number, boolean][] = [['New', 1, false], ['Qualified', 2, false], ['Proposition', 3, false], ['Won', 70, true]];
    for (const [name, sequence, isWon] of stages) c('crm.stage', { name, sequence, is_won: isWon });
    for (const [name, sequence] of [['Email', 5], ['Call', 6], ['Meeting', 7], ['To-Do', 8], ['Upload Document', 9]] as const) {
      c('mail.activity.type', { name, sequence, category: name === 'Upload Document' ? 'upload_file' : name === 'Call' ? 'phonecall' : 'default' });
    }
    c('mail.message.subtype', { name: 'Discussions', internal: false, sequence: 0 });
    c('mail.message.subtype', { name: 'Note', internal: true, sequence: 100 });
    c('mail.message.subtype', { name: 'Activities', internal: true, sequence: 90 });
    c('mail.message.subtype', { name: 'Invitation', internal: false, sequence: 0 });
    for (const name of ['Search engine', 'Lead Recall', 'Newsletter', 'Facebook', 'Twitter', 'LinkedIn', 'Monster', 'Glassdoor', 'Craigslist']) c('utm.source', { name });
    for (const name of ['Website', 'Phone', 'Direct', 'Email', 'Banner', 'Twitter', 'Facebook', 'LinkedIn', 'Television', 'Google Adwords']) c('utm.medium', { name });
    for (const def of this.store.schema.values()) c('ir.model', { name: def.description, model: def.name });
    const xmlids: [string, string, string, number][] = [
      ['base', 'main_company', 'res.company', 1], ['base', 'user_admin', 'res.users', 2], ['base', 'partner_admin', 'res.partner', 3],
      ['mail', 'mail_activity_data_email', 'mail.activity.type', 1], ['mail', 'mail_activity_data_call', 'mail.activity.type', 2],
      ['mail', 'mail_activity_data_meeting', 'mail.activity.type', 3], ['mail', 'mail_activity_data_todo', 'mail.activity.type', 4],
      ['mail', 'mail_activity_data_upload_document', 'mail.activity.type', 5],
      ['mail', 'mt_comment', 'mail.message.subtype', 1], ['mail', 'mt_note', 'mail.message.subtype', 2], ['mail', 'mt_activities', 'mail.message.subtype', 3],
      ['crm', 'stage_lead1', 'crm.stage', 1], ['crm', 'stage_lead2', 'crm.stage', 2], ['crm', 'stage_lead3', 'crm.stage', 3], ['crm', 'stage_lead4', 'crm.stage', 4],
      ['sales_team', 'team_sales_department', 'crm.team', 1], ['resource', 'resource_calendar_std', 'resource.calendar', calendar],
      ['base', 'group_user', 'res.groups', internalUser], ['crm', 'group_use_lead', 'res.groups', useLead],
    ];
    for (const [module, name, model, resId] of xmlids) c('ir.model.data', { module, name, model, res_id: resId });
  }

  // --- common service -------------------------------------------------------

  version(): Row {
    return {
      server_version: this.opts.version,
      server_version_info: [this.major, this.minor, 0, 'final', 0, ''],
      server_serie: this.opts.version,
      protocol_version: 1,
    };
  }

  /** uid or false; a wrong password is never a fault (Odoo 14+). */
  authenticate(db: unknown, login: unknown, password: unknown): number | false {
    this.checkDb(db);
    const users = this.store.table('res.users');
    for (const [id, u] of users) {
      if (u['login'] === login && u['active'] !== false && this.passwordMatches(id, password)) return id;
    }
    return false;
  }

  /** uid owning this API key (JSON-2 bearer), or undefined. */
  uidForApiKey(key: string): number | undefined {
    return key === this.apiKey ? 2 : undefined;
  }

  private passwordMatches(uid: number, password: unknown): boolean {
    if (typeof password !== 'string' || password.length === 0) return false;
    return password === this.passwords.get(uid) || (uid === 2 && password === this.apiKey);
  }

  private checkDb(db: unknown): void {
    if (db !== this.opts.db) {
      throw tracebackFault('psycopg2.OperationalError', `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist`, '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 690, in borrow');
    }
  }

  /** `object.execute_kw(db, uid, password, model, method, args, kwargs)`. */
  executeKwRpc(params: unknown[]): unknown {
    const [db, uid, password, model, method, args = [], kwargs = {}] = params;
    this.checkDb(db);
    if (typeof uid !== 'number' || !this.store.exists('res.users', uid) || !this.passwordMatches(uid, password)) throw accessDenied();
    if (typeof model !== 'string' || typeof method !== 'string') throw tracebackFault('TypeError', 'execute_kw() missing required positional arguments');
    return this.call(uid, model, method, Array.isArray(args) ? args : [args], (kwargs ?? {}) as Record<string, unknown>);
  }

  /** JSON-2: named arguments, `ids` for record methods. */
  executeJson2(uid: number, model: string, method: string, body: Record<string, unknown>): unknown {
    const { ids, ...rest } = body;
    const args = RECORD_METHODS.has(method) ? [ids ?? []] : [];
    const result = this.call(uid, model, method, args, rest);
    return result;
  }

  call(uid: number, model: string, method: string, args: unknown[], kwargsIn: Record<string, unknown>): unknown {
    if (method.startsWith('_')) throw accessError(`Private methods (such as ${method}) cannot be called remotely.`);
    const def = this.store.model(model);
    const { context: ctx, ...kwargs } = kwargsIn;
    const env = this.env(uid, (ctx ?? {}) as Record<string, unknown>);
    const s = this.store;
    const record = RECORD_METHODS.has(method);
    const ids = record ? this.idsArg(args[0]) : [];
    const positional = record ? args.slice(1) : args;
    const bind = (names: string[], extra = false): Record<string, unknown> => this.bind(model, method, names, positional, kwargs, extra);
    switch (method) {
      case 'search': {
        const p = bind(PARAMS['search'] as string[]);
        return s.search(model, (p['domain'] ?? []) as unknown[], env, this.paging(p));
      }
      case 'search_read': {
        const p = bind(PARAMS['search_read'] as string[]);
        const found = s.search(model, (p['domain'] ?? []) as unknown[], env, this.paging(p));
        return s.read(model, found, this.fieldsArg(p['fields']), env);
      }
      case 'web_search_read': {
        // 17.0 (web module): search, web_read the page, and the total length (counted when the page is full).
        const p = bind(PARAMS['web_search_read'] as string[]);
        const domain = (p['domain'] ?? []) as unknown[];
        const paging = this.paging(p);
        const records = this.webRead(model, s.search(model, domain, env, paging), this.specArg(p['specification']), env);
        const length = paging.limit !== undefined && records.length === paging.limit ? s.search(model, domain, env).length : records.length + (paging.offset ?? 0);
        return { length: records.length === 0 ? 0 : length, records };
      }
      case 'web_read': {
        const p = bind(PARAMS['web_read'] as string[]);
        return this.webRead(model, ids, this.specArg(p['specification']), env);
      }
      case 'search_count': {
        const p = bind(PARAMS['search_count'] as string[]);
        return s.search(model, (p['domain'] ?? []) as unknown[], env, typeof p['limit'] === 'number' ? { limit: p['limit'] } : {}).length;
      }
      case 'read': {
        const p = bind(PARAMS['read'] as string[]);
        return s.read(model, ids, this.fieldsArg(p['fields']), env);
      }
      case 'gassistant_api_version':
        if (model !== 'crm.lead' || !this.addonApi(2)) break;
        bind([]);
        return 2;
      case 'gassistant_create_leads': {
        // Odoo's own "created" message is not modelled here, so this is `create` with a list (addon 17.0.1.2).
        if (model !== 'crm.lead' || !this.addonApi(2)) break;
        const vals = bind(PARAMS[method] as string[])['vals_list'];
        if (!Array.isArray(vals)) throw tracebackFault('TypeError', `'${typeof vals}' object is not iterable`);
        return this.createAll(model, vals as Row[], env);
      }
      case 'create': {
        const p = bind(PARAMS['create'] as string[]);
        const vals = p['vals_list'];
        if (Array.isArray(vals)) return this.createAll(model, vals as Row[], env);
        if (typeof vals !== 'object' || vals === null) throw tracebackFault('TypeError', `create() argument must be a dict or a list of dicts, not ${typeof vals}`);
        return s.create(model, vals as Row, env);
      }
      case 'write': {
        const p = bind(PARAMS['write'] as string[]);
        return s.write(model, ids, (p['vals'] ?? {}) as Row, env);
      }
      case 'unlink':
        bind([]);
        return s.unlink(model, ids, env);
      case 'fields_get': {
        const p = bind(PARAMS['fields_get'] as string[]);
        return this.fieldsGet(def, p['allfields'] as string[] | undefined, p['attributes'] as string[] | undefined);
      }
      case 'default_get': {
        const p = bind(PARAMS['default_get'] as string[]);
        const wanted = Array.isArray(p['fields_list']) ? (p['fields_list'] as string[]) : [];
        for (const name of wanted) if (!(name in def.fields)) throw invalidField(model, name);
        const defaults = def.defaults?.(env, s) ?? {};
        return Object.fromEntries(wanted.filter((name) => name in defaults).map((name) => [name, defaults[name]]));
      }
      case 'context_get':
        if (model !== 'res.users') break;
        bind([]);
        return { lang: 'en_US', tz: false, uid };
      case 'name_search': {
        const p = bind([...(PARAMS['name_search'] as string[]), 'domain']);
        const name = typeof p['name'] === 'string' ? p['name'] : '';
        const domain = [...((p['args'] ?? p['domain'] ?? []) as unknown[]), ...(name ? [[def.recName, (p['operator'] as string) ?? 'ilike', name]] : [])];
        const found = s.search(model, domain, env, { limit: typeof p['limit'] === 'number' ? p['limit'] : 100 });
        return found.map((id) => [id, s.displayName(model, id)]);
      }
      case 'message_post':
        if (!def.mailThread) break;
        return this.messagePost(model, ids, positional, kwargs, env);
      case 'activity_schedule':
        if (!def.mailThread) break;
        return this.activitySchedule(model, ids, kwargs, env);
      case 'action_feedback':
      case 'action_done': {
        if (model !== 'mail.activity') break;
        const p = bind(PARAMS[method] as string[]);
        return this.activityDone(ids, typeof p['feedback'] === 'string' ? p['feedback'] : undefined, env);
      }
      case 'check_object_reference':
        if (model !== 'ir.model.data') break;
        return this.checkObjectReference(bind(PARAMS['check_object_reference'] as string[]), env);
      default:
        break;
    }
    throw tracebackFault('AttributeError', `The method '${method}' does not exist on the model '${model}'`, '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 53, in execute_cr');
  }

  /** One transaction, as in Odoo: a fault on any record rolls back the ones created before it. */
  private createAll(model: string, vals: readonly Row[], env: Env): number[] {
    const ids: number[] = [];
    try {
      for (const v of vals) ids.push(this.store.create(model, v, env));
    } catch (err) {
      if (ids.length > 0) this.store.unlink(model, ids, env);
      throw err;
    }
    return ids;
  }

  /** The addon is installed and answers the hub's calls of `version`. */
  private addonApi(version: number): boolean {
    return this.opts.addonInstalled && (this.opts.addonApi ?? 2) >= version;
  }

  private bind(model: string, method: string, names: string[], positional: unknown[], kwargs: Record<string, unknown>, extra: boolean): Record<string, unknown> {
    if (positional.length > names.length) {
      throw tracebackFault('TypeError', `${model}.${method}() takes ${names.length + 1} positional arguments but ${positional.length + 1} were given`);
    }
    const out: Record<string, unknown> = {};
    positional.forEach((v, i) => { out[names[i] as string] = v; });
    for (const [k, v] of Object.entries(kwargs)) {
      if (!extra && !names.includes(k)) throw tracebackFault('TypeError', `${model}.${method}() got an unexpected keyword argument '${k}'`);
      if (k in out) throw tracebackFault('TypeError', `${model}.${method}() got multiple values for argument '${k}'`);
      out[k] = v;
    }
    return out;
  }

  private specArg(v: unknown): Record<string, FieldSpec> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw tracebackFault('AttributeError', `'${Array.isArray(v) ? 'list' : typeof v}' object has no attribute 'keys'`);
    return v as Record<string, FieldSpec>;
  }

  /**
   * 17.0 web_read: `read(fields, load=None)` — a many2one is its id — then each relational field its spec
   * gives `fields` for is read the same way: a many2one as `{ id, …, display_name }`, an x2many as a list of
   * such dicts (in the spec's `order`, the first `limit` only). An x2many without `fields` stays a list of ids.
   */
  private webRead(model: string, ids: number[], spec: Record<string, FieldSpec>, env: Env): Row[] {
    const def = this.store.model(model);
    const names = Object.keys(spec);
    const rows: Row[] = names.length === 0 || (names.length === 1 && names[0] === 'id')
      ? ids.map((id) => ({ id }))
      : this.store.read(model, ids, names, env);
    for (const name of names) {
      const fd = def.fields[name];
      const sub = spec[name] ?? {};
      if (fd === undefined || fd.relation === undefined) continue;
      if (fd.type === 'many2one') {
        for (const row of rows) {
          const value = row[name];
          if (!Array.isArray(value)) continue;
          if (sub.fields === undefined) {
            row[name] = value[0];
            continue;
          }
          const { display_name: displayName, ...rest } = sub.fields;
          const [co] = this.webRead(fd.relation, [value[0] as number], rest, env);
          row[name] = { ...(co ?? { id: value[0] }), ...(displayName === undefined ? {} : { display_name: value[1] }) };
        }
      } else if ((fd.type === 'one2many' || fd.type === 'many2many') && sub.fields !== undefined) {
        for (const row of rows) {
          let coIds = row[name] as number[];
          if (sub.order) {
            const ordered = this.store.search(fd.relation, [['id', 'in', coIds]], env, { order: sub.order });
            coIds = ordered.filter((id) => coIds.includes(id));
          }
          if (typeof sub.limit === 'number') coIds = coIds.slice(0, sub.limit);
          const co = new Map(this.webRead(fd.relation, coIds, sub.fields, env).map((r) => [r['id'] as number, r]));
          row[name] = coIds.map((id) => co.get(id) ?? { id });
        }
      }
    }
    return rows;
  }

  private idsArg(v: unknown): number[] {
    if (typeof v === 'number') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
    throw tracebackFault('TypeError', `Invalid ids ${JSON.stringify(v)}`);
  }

  private fieldsArg(v: unknown): string[] | undefined {
    return Array.isArray(v) && v.length > 0 ? (v as string[]) : undefined;
  }

  private paging(p: Record<string, unknown>): { limit?: number; offset?: number; order?: string } {
    const out: { limit?: number; offset?: number; order?: string } = {};
    if (typeof p['limit'] === 'number') out.limit = p['limit'];
    if (typeof p['offset'] === 'number') out.offset = p['offset'];
    if (typeof p['order'] === 'string' && p['order'].length > 0) out.order = p['order'];
    return out;
  }

  private fieldsGet(def: ModelDef, allfields: string[] | undefined, attributes: string[] | undefined): Record<string, Row> {
    const out: Record<string, Row> = {};
    for (const [name, fd] of Object.entries(def.fields)) {
      if (allfields && allfields.length > 0 && !allfields.includes(name)) continue;
      const full: Row = {
        type: fd.type, string: fd.string, required: fd.required ?? false, readonly: fd.readonly ?? false,
        store: fd.store ?? true, ...(fd.relation ? { relation: fd.relation } : {}), ...(fd.selection ? { selection: fd.selection } : {}),
      };
      if (!attributes || attributes.length === 0) out[name] = full;
      else out[name] = Object.fromEntries(attributes.filter((a) => a in full).map((a) => [a, full[a]]));
    }
    return out;
  }

  private messagePost(model: string, ids: number[], positional: unknown[], kwargs: Record<string, unknown>, env: Env): number {
    if (ids.length !== 1) throw tracebackFault('ValueError', `Expected singleton: ${model}(${ids.join(', ')}${ids.length === 1 ? ',' : ''})`);
    if (positional.length > 0) throw tracebackFault('TypeError', 'MailThread.message_post() takes 1 positional argument but 2 were given');
    const id = ids[0] as number;
    if (!this.store.exists(model, id)) throw missingError(model, [id], env.uid);
    for (const k of ['model', 'res_id', 'subtype']) {
      if (k in kwargs) throw tracebackFault('ValueError', "message_post doesn't support model and res_id parameters anymore. Please call message_post on record.");
    }
    const { body = '', message_type = 'notification', subtype_xmlid, body_is_html, subject, ...rest } = kwargs;
    if (message_type === 'user_notification') throw tracebackFault('ValueError', "Use message_notify to send a notification to an user.");
    if (body_is_html !== undefined && this.major < 17) throw tracebackFault('ValueError', "Invalid field 'body_is_html' on model 'mail.message'");
    const allowed = new Set(['author_id', 'email_from', 'parent_id', 'partner_ids', 'attachment_ids', 'subtype_id']);
    for (const k of Object.keys(rest)) if (!allowed.has(k)) throw tracebackFault('ValueError', `Invalid field '${k}' on model 'mail.message'`);
    let subtypeId: number | false = typeof rest['subtype_id'] === 'number' ? rest['subtype_id'] : false;
    if (typeof subtype_xmlid === 'string') {
      const [module, name] = subtype_xmlid.split('.');
      subtypeId = this.checkObjectReference({ module, xml_id: name }, env)[1];
    }
    const text = String(body);
    if (this.major >= 17 && body_is_html === true) {
      this.serverLog.push({ level: 'WARNING', message: `Posting HTML message using body_is_html=True, use a Markup object instead (user: ${env.uid})` });
    }
    // 17+: a str body is HTML-escaped unless body_is_html (verified on 17.0); 16 sanitizes it as HTML.
    const html = wrapHtml(this.major >= 17 && body_is_html !== true ? escapeHtml(text) : text);
    const author = typeof rest['author_id'] === 'number' ? rest['author_id'] : this.store.userPartner(env.uid);
    // No catchall alias in the stand-in: reply_to is the author's address, as 17.0 stores it then.
    const address = author === false ? false : this.store.read('res.partner', [author], ['email_formatted'], env)[0]?.['email_formatted'] || false;
    return this.store.create('mail.message', {
      model, res_id: id, record_name: this.store.displayName(model, id), body: html, message_type, subtype_id: subtypeId,
      author_id: author, email_from: address, reply_to: address, ...(typeof subject === 'string' ? { subject } : {}),
    }, env);
  }

  /** 17.0 creates and commits the activity, then fails to marshal None: the caller gets fault 1. */
  private activitySchedule(model: string, ids: number[], kwargs: Record<string, unknown>, env: Env): never {
    const { act_type_xmlid, date_deadline, summary, note, user_id, activity_type_id } = kwargs;
    const resModelId = this.store.search('ir.model', [['model', '=', model]], env, { limit: 1 })[0] as number;
    let typeId = typeof activity_type_id === 'number' ? activity_type_id : 4;
    if (typeof act_type_xmlid === 'string') {
      const [module, name] = act_type_xmlid.split('.');
      typeId = this.checkObjectReference({ module, xml_id: name }, env)[1];
    }
    for (const id of ids) {
      this.store.create('mail.activity', {
        res_model_id: resModelId, res_id: id, activity_type_id: typeId,
        ...(typeof summary === 'string' ? { summary } : {}), ...(typeof note === 'string' ? { note } : {}),
        ...(typeof date_deadline === 'string' ? { date_deadline } : {}), ...(typeof user_id === 'number' ? { user_id } : {}),
      }, env);
    }
    throw tracebackFault('TypeError', 'cannot marshal None unless allow_none is enabled', '  File "/usr/lib/python3.11/xmlrpc/client.py", line 539, in dump_nil');
  }

  /**
   * mail.activity action_feedback / action_done as 17.0 does them (mail_activity.py _action_done, checked on the
   * lab): on each activity's record, a notification by the calling user with the Activities subtype — the
   * mail.message_activity_done body: type, "done", "(originally assigned to …)" when another user had it, the
   * summary, the feedback escaped — then the activity is deleted (a done id faults MissingError). Answers the first
   * message's id, or False when there was no activity.
   */
  private activityDone(ids: number[], feedback: string | undefined, env: Env): number | false {
    const s = this.store;
    const missing = ids.filter((id) => !s.exists('mail.activity', id));
    if (missing.length > 0) throw missingError('mail.activity', missing, env.uid);
    const subtype = this.checkObjectReference({ module: 'mail', xml_id: 'mt_activities' }, env)[1];
    const messages: number[] = [];
    for (const id of ids) {
      const activity = s.table('mail.activity').get(id) as Row;
      const model = String(activity['res_model']);
      const resId = activity['res_id'] as number;
      const typeName = typeof activity['activity_type_id'] === 'number' ? s.displayName('mail.activity.type', activity['activity_type_id']) : '';
      const assignee = activity['user_id'];
      const assigned = typeof assignee === 'number' && assignee !== env.uid ? ` (originally assigned to <span>${escapeHtml(s.displayName('res.users', assignee))}</span>)` : '';
      const summary = typeof activity['summary'] === 'string' && activity['summary'] !== '' ? `<span>: </span><span>${escapeHtml(activity['summary'])}</span>` : '';
      const feedbackHtml = feedback === undefined || feedback === '' ? '' : `<div>${escapeHtml(feedback)}</div>`;
      messages.push(s.create('mail.message', {
        model, res_id: resId, record_name: s.displayName(model, resId), message_type: 'notification', subtype_id: subtype, author_id: s.userPartner(env.uid),
        body: `<p><span class="fa fa-tasks fa-fw"></span><span>${escapeHtml(typeName)}</span> done${assigned}${summary}</p>${feedbackHtml}`,
      }, env));
    }
    s.unlink('mail.activity', ids, env);
    return messages[0] ?? false;
  }

  private checkObjectReference(p: Record<string, unknown>, env: Env): [string, number] {
    const found = this.store.search('ir.model.data', [['module', '=', p['module']], ['name', '=', p['xml_id']]], env, { limit: 1 });
    const row = found[0] === undefined ? undefined : this.store.table('ir.model.data').get(found[0]);
    if (!row) throw tracebackFault('ValueError', `External ID not found in the system: ${String(p['module'])}.${String(p['xml_id'])}`, '  File "/usr/lib/python3/dist-packages/odoo/addons/base/models/ir_model.py", line 2089, in _xmlid_lookup');
    return [row['model'] as string, row['res_id'] as number];
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

export { OdooFault };
