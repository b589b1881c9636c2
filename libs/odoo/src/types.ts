/**
 * Public types of the Odoo client: options, capabilities, the client interface, domains.
 * Pure declarations; never put behaviour here.
 */

/** An Odoo domain: `[field, operator, value]` triples and the prefix operators `'&'`, `'|'`, `'!'`. */
export type Domain = (string | [string, string, unknown])[];

export type TransportKind = 'xmlrpc' | 'json2';

/** Minimal logger shape (pino-compatible); the client logs at debug/warn only. */
export interface OdooLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface OdooClientOptions {
  /** Base URL of the Odoo server, e.g. `http://127.0.0.1:8069` (no path). */
  url: string;
  db: string;
  username: string;
  /** The user's password or an API key (JSON-2 needs an API key). */
  password: string;
  /** `xmlrpc` (Odoo 16–18, default when the server says < 19), `json2` (Odoo 19+), `auto` (default): by server version. */
  transport?: 'xmlrpc' | 'json2' | 'auto';
  /** Per-call timeout in ms (default 15000). */
  timeoutMs?: number;
  log?: OdooLogger;
  /** Told about every execute_kw once it settled (for health and per-method timing); must not throw. */
  onCall?: (call: OdooCall) => void;
}

/** One finished execute_kw, as `onCall` sees it. Never carries arguments. */
export interface OdooCall {
  model: string;
  method: string;
  durationMs: number;
  /** Set when the call failed (an OdooError). */
  error?: unknown;
}

export interface OdooFieldInfo {
  type: string;
  string?: string;
  relation?: string;
  required?: boolean;
  readonly?: boolean;
  selection?: [string, string][];
  [attribute: string]: unknown;
}

export interface OdooCapabilities {
  /** e.g. `"17.0"`, `"saas~18.2"`, `"19.0"`. */
  serverVersion: string;
  /** Major version number (17 for "17.0", 18 for "saas~18.2"). */
  major: number;
  /** True when crm.lead has the addon's `gassistant_ref` field. */
  hasAddon: boolean;
  /**
   * What the installed addon offers the hub (`crm.lead.gassistant_api_version`): 0 without the addon, 1 for
   * its fields only (addon 17.0.1.1 and before), 2 adds `gassistant_create_leads` (17.0.1.2).
   */
  addonApi: number;
  /** Names of crm.lead's fields on this server (e.g. has `mobile` on 16–18, not on 19). */
  leadFields: ReadonlySet<string>;
  /**
   * The CRM "Leads" setting is on for the API user (group crm.group_use_lead): a new crm.lead defaults to
   * type `lead`, and leads show under CRM › Leads. Off (a new database's default): leads of type `lead` are
   * hidden from the pipeline, which lists opportunities only.
   */
  leadsEnabled: boolean;
  transport: TransportKind;
  /** The authenticated user's id. */
  uid: number;
}

export interface SearchReadOptions {
  fields?: string[];
  limit?: number;
  offset?: number;
  order?: string;
  context?: Record<string, unknown>;
}

export interface CreateActivityInput {
  model: string;
  resId: number;
  /** mail.activity.type id; default: the To-Do type (mail.mail_activity_data_todo). */
  activityTypeId?: number;
  summary: string;
  /** HTML. */
  note?: string;
  /** `YYYY-MM-DD`. */
  dateDeadline: string;
  /** Assignee; default: the API user (Odoo's default). */
  userId?: number;
}

/** Cached look-ups of ids that rarely change. find-or-create for utm records and tags. */
export interface OdooRefs {
  utmSource(name: string): Promise<number>;
  utmMedium(name: string): Promise<number>;
  utmCampaign(name: string): Promise<number>;
  tag(name: string): Promise<number>;
  activityTypeTodo(): Promise<number>;
  /** mail.message.subtype of an internal note (mail.mt_note). */
  noteSubtype(): Promise<number>;
  modelId(model: string): Promise<number>;
  /** Exact-name match; undefined when no such stage (stages are never created by the hub). */
  stageByName(name: string): Promise<number | undefined>;
  /** Forget every cached id (e.g. after an operator renamed records). */
  clear(): void;
}

export interface OdooClient {
  /** version + authenticate + fields_get(crm.lead). Idempotent: concurrent and repeated calls share one connect. */
  connect(): Promise<OdooCapabilities>;
  /** Available after connect(); throws before. */
  readonly capabilities: OdooCapabilities;
  executeKw<T = unknown>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
  searchRead<T = Record<string, unknown>>(model: string, domain: Domain, opts?: SearchReadOptions): Promise<T[]>;
  searchCount(model: string, domain: Domain, opts?: { context?: Record<string, unknown> }): Promise<number>;
  read<T = Record<string, unknown>>(model: string, ids: number[], fields?: string[]): Promise<T[]>;
  create(model: string, values: Record<string, unknown>, opts?: { context?: Record<string, unknown> }): Promise<number>;
  /** One batched call (Odoo 16+ multi-create); ids in input order. */
  createMany(model: string, values: Record<string, unknown>[], opts?: { context?: Record<string, unknown> }): Promise<number[]>;
  write(model: string, ids: number[], values: Record<string, unknown>, opts?: { context?: Record<string, unknown> }): Promise<true>;
  fieldsGet(model: string, attributes?: string[]): Promise<Record<string, OdooFieldInfo>>;
  /** Internal note (message_type comment, subtype mail.mt_note): text shown as typed, or HTML (`html: true`, as logNotes). Returns the mail.message id. */
  messagePost(model: string, id: number, body: string, opts?: { html?: boolean }): Promise<number>;
  /**
   * The mail.message values of an internal HTML note by the API user on a record of `model` (without
   * `res_id`): for `logNotes`, or for a new record's `message_ids: [[0, 0, values]]`, which creates the
   * record and its note in one call and one transaction.
   */
  noteValues(model: string, html: string, recordName?: string): Promise<Record<string, unknown>>;
  /**
   * Internal HTML notes on several records in one call (mail.message create), authored by the API user;
   * `recordName` (the record's display name) saves Odoo looking it up. Ids in input order.
   */
  logNotes(model: string, notes: readonly { resId: number; html: string; recordName?: string }[]): Promise<number[]>;
  /** A cheap authenticated call (connecting first if needed): resolves while Odoo answers, rejects with the OdooError otherwise. */
  ping(): Promise<void>;
  /** mail.activity create (never activity_schedule, which faults over RPC on 17 after committing). */
  createActivity(input: CreateActivityInput): Promise<number>;
  readonly refs: OdooRefs;
  /** Releases keep-alive sockets. */
  close(): void;
}
