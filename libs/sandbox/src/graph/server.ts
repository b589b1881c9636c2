/**
 * startGraphStandIn: Meta Graph API lead reads as meta-lead-ads.md documents them — `GET /{version}/{leadgen-id}`
 * with `fields`, `GET /{version}/{page-id}` and its `leadgen_forms` edge, `GET /{version}/{form-id}/leads` with
 * cursor paging and `time_created` filtering, `appsecret_proof` checking, and the error bodies/headers for 190,
 * 100/33, 4, 17, 32, 613 (HTTP 400/403, never 429, usage headers, no Retry-After); and the Conversions API for
 * CRM (`POST /{version}/{dataset-id}/events`, meta-conversions-api-crm.md) with Meta's refusals of a whole
 * request (lead id format, 7-day window, action source). Also the ads insights edge `GET /{version}/act_{id}/insights`
 * at campaign level (`campaign_name`, `spend` as Meta's decimal strings, cursor paging) for the ad accounts given
 * in `adAccounts`, each read with its own token; the spend does not vary with `date_preset`. In memory,
 * test/local use only; no webhooks are sent from here.
 */
import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { listen, readBody, sendMetaJson as sendJson } from '../http.js';

export interface GraphLead {
  id: string;
  /** ISO with +0000, e.g. "2026-01-08T10:29:59+0000". */
  created_time: string;
  form_id: string;
  /** Page that owns the form (which page token may read it). */
  page_id: string;
  field_data: { name: string; values: string[] }[];
  ad_id?: string; ad_name?: string; adset_id?: string; adset_name?: string; campaign_id?: string; campaign_name?: string;
  is_organic?: boolean; platform?: string;
  custom_disclaimer_responses?: { checkbox_key: string; is_checked: string }[];
}

export type GraphRateLimitCode = 4 | 17 | 32 | 613;

export interface GraphForm {
  id: string;
  page_id: string;
  name: string;
  /** Meta's form statuses: ACTIVE, ARCHIVED, DELETED, DRAFT. */
  status: string;
}

/** One Conversions API event as received (meta-conversions-api-crm.md "One event"). */
export interface ConversionEvent {
  event_name: string;
  event_time: number;
  action_source: string;
  event_id?: string;
  user_data: { lead_id?: string | number; em?: string[]; ph?: string[]; [key: string]: unknown };
  custom_data?: { event_source?: string; lead_event_source?: string; [key: string]: unknown };
}

/** A POST to `/{dataset-id}/events`, accepted or refused (then `errorCode` is set and no event was kept). */
export interface ConversionRequest {
  datasetId: string;
  events: ConversionEvent[];
  testEventCode?: string;
  errorCode?: number;
}

export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Graph error code answered, if any. */
  errorCode?: number;
}

/** One campaign's spend an ad account reports through ads insights. */
export interface GraphCampaignSpend { campaign_id: string; campaign_name: string; spend: number }

export interface GraphStandInOptions {
  appSecret: string;
  pageTokens: Record<string, string>;
  /** Ad account id (digits, without `act_`) → the token that may read its insights and its campaigns' spend. */
  adAccounts?: Record<string, { token: string; campaigns: GraphCampaignSpend[] }>;
  version?: string;
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Require appsecret_proof on every call (Meta's "Require App Secret"); default true. */
  requireProof?: boolean;
  /** Conversions API datasets (pixel ids) → the system-user token that may send to each. */
  datasets?: Record<string, string>;
  /** The stand-in's clock (seconds) for the 7-day window of conversion events; default the real one. */
  now?: () => number;
}

export interface GraphStandIn {
  /** Base URL including the version, e.g. http://127.0.0.1:1234/v25.0 */
  url: string;
  version: string;
  /** Adds a lead, and its form (named "Form <id>", ACTIVE) unless addForm declared it. */
  addLead(lead: GraphLead): void;
  /** Declares a form of a page, e.g. one without leads yet or an archived one. */
  addForm(form: GraphForm): void;
  expireToken(pageId: string): void;
  restoreToken(pageId: string): void;
  rateLimitNext(n: number, code?: GraphRateLimitCode): void;
  /**
   * The next `n` requests that `match` (default: any) answer HTTP 500 with Graph's code 2 ("Service temporarily
   * unavailable", is_transient) — a page of a paged read failing mid-way, Graph having an outage.
   */
  failNext(n: number, match?: (request: GraphRequest) => boolean): void;
  /** The app's usage in % of its hourly budget (X-App-Usage on every answer; at 100 Meta throttles with code 4). Default 1. */
  setAppUsage(percent: number): void;
  readonly requests: readonly GraphRequest[];
  /** Conversions API requests in arrival order, refused ones included (with their errorCode). */
  readonly conversionRequests: readonly ConversionRequest[];
  /** The conversion events Meta accepted, in the order received. */
  readonly conversions: readonly ConversionEvent[];
  close(): Promise<void>;
}

const DEFAULT_FIELDS = ['id', 'created_time', 'field_data'];
const PAGE_FIELDS = new Set(['id', 'name']);
const FORM_FIELDS = new Set(['id', 'name', 'status', 'locale', 'page_id']);
const KNOWN_FIELDS = new Set(['id', 'created_time', 'ad_id', 'ad_name', 'adset_id', 'adset_name', 'campaign_id', 'campaign_name', 'form_id', 'is_organic', 'platform', 'field_data', 'custom_disclaimer_responses', 'partner_name', 'post', 'retailer_item_id', 'home_listing', 'vehicle', 'post_submission_check_result']);
const trace = (): string => `A${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;

interface GraphErrorSpec { status: number; body: Record<string, unknown>; headers?: Record<string, string> }

export function graphError(code: number, message: string, extra: Record<string, unknown> = {}, status = 400, headers: Record<string, string> = {}): GraphErrorSpec {
  return { status, headers, body: { error: { message, type: code === 190 || code === 102 ? 'OAuthException' : code === 100 ? 'GraphMethodException' : 'OAuthException', code, ...extra, fbtrace_id: trace() } } };
}

function rateLimitError(code: GraphRateLimitCode, pageId: string | undefined): GraphErrorSpec {
  const usage = JSON.stringify({ call_count: 100, total_cputime: 25, total_time: 25 });
  switch (code) {
    case 4: return graphError(4, '(#4) Application request limit reached', { is_transient: true, error_subcode: 1504022 }, 403, { 'X-App-Usage': usage });
    case 17: return graphError(17, '(#17) User request limit reached', { is_transient: true, error_subcode: 2446079 }, 400, { 'X-App-Usage': usage });
    case 32: return graphError(32, '(#32) Page request limit reached', { is_transient: true }, 400, {
      'X-Page-Usage': JSON.stringify({ call_count: 100, total_cputime: 20, total_time: 20 }),
    });
    case 613: return graphError(613, '(#613) Calls to this api have exceeded the rate limit.', { is_transient: true }, 400, {
      'X-Business-Use-Case-Usage': JSON.stringify({ [pageId ?? '0']: [{ type: 'pages', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 5 }] }),
    });
  }
}

const CAPI_ACTION_SOURCES = new Set(['email', 'website', 'app', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other']);
const SEVEN_DAYS = 7 * 86_400;

/** Meta's refusal of a whole Conversions API request: one bad event fails the batch (meta-conversions-api-crm.md). */
function invalidEvent(index: number, title: string, message: string): GraphErrorSpec {
  return graphError(100, 'Invalid parameter', { error_subcode: 2804003, is_transient: false, error_user_title: title, error_user_msg: `${message} (event ${index})` });
}

/** The first reason Meta would refuse these events for, or undefined when it accepts them all. */
function refusal(data: unknown, nowSeconds: number): GraphErrorSpec | undefined {
  if (!Array.isArray(data) || data.length === 0) return graphError(100, '(#100) The parameter data is required', { is_transient: false });
  if (data.length > 1000) return graphError(100, '(#100) A maximum of 1000 events can be sent per request', { is_transient: false });
  for (const [i, raw] of data.entries()) {
    const e = raw as Partial<ConversionEvent>;
    if (typeof e.event_name !== 'string' || e.event_name === '') return invalidEvent(i, 'Missing Event Name', 'event_name is required');
    if (typeof e.event_time !== 'number' || !Number.isInteger(e.event_time)) return invalidEvent(i, 'Invalid Event Time', 'event_time must be a unix timestamp in seconds');
    if (e.event_time < nowSeconds - SEVEN_DAYS) return invalidEvent(i, 'Event Timestamp Too Old', 'The timestamp for this event is more than 7 days in the past');
    if (e.event_time > nowSeconds + 60) return invalidEvent(i, 'Event Timestamp In The Future', 'The timestamp for this event is in the future');
    if (typeof e.action_source !== 'string' || !CAPI_ACTION_SOURCES.has(e.action_source)) return invalidEvent(i, 'Invalid Action Source', `action_source ${String(e.action_source)} is not a valid value`);
    const leadId = e.user_data?.lead_id;
    if (leadId === undefined) return invalidEvent(i, 'Missing User Data', 'user_data must carry lead_id for a CRM event');
    if (!/^[0-9]{15,16}$/.test(String(leadId))) return invalidEvent(i, 'Invalid Lead ID', `lead_id ${String(leadId)} is not a valid Meta lead id`);
    for (const key of ['em', 'ph'] as const) {
      const values = e.user_data?.[key];
      if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)))) {
        return invalidEvent(i, 'Unhashed User Data', `user_data.${key} must be SHA-256 hashes`);
      }
    }
  }
  return undefined;
}

const cursor = (i: number): string => Buffer.from(String(i)).toString('base64url');

export async function startGraphStandIn(opts: GraphStandInOptions): Promise<GraphStandIn> {
  const version = opts.version ?? 'v25.0';
  const requireProof = opts.requireProof ?? true;
  const datasets = opts.datasets ?? {};
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const leads = new Map<string, GraphLead>();
  const forms = new Map<string, GraphForm>();
  const expired = new Set<string>();
  let limited: GraphRateLimitCode[] = [];
  let failing: { left: number; match: (r: GraphRequest) => boolean }[] = [];
  let appUsage = 1;
  const requests: GraphRequest[] = [];
  const conversionRequests: ConversionRequest[] = [];
  const conversions: ConversionEvent[] = [];
  const tokenToPage = (token: string): string | undefined => Object.entries(opts.pageTokens).find(([, t]) => t === token)?.[0];

  function pick(node: object, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = (node as Record<string, unknown>)[f];
      if (v !== undefined) out[f] = v;
    }
    return out;
  }

  /** One page of a cursor-paged edge: `limit` (capped at 500), `after`, and `next` unless it is the last page. */
  function paged(items: object[], fields: string[], query: Record<string, string>, path: string): Record<string, unknown> {
    const limit = Math.min(Math.max(Number(query['limit'] ?? 25) || 25, 1), 500);
    const start = query['after'] ? Number(Buffer.from(query['after'], 'base64url').toString()) : 0;
    const page = items.slice(start, start + limit);
    const body: Record<string, unknown> = { data: page.map((item) => pick(item, fields)) };
    if (page.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
      if (start + page.length < items.length) {
        const next = new URL(`${base}${path.slice(version.length + 1)}`);
        for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
        next.searchParams.set('after', cursor(start + page.length));
        paging['next'] = next.toString();
      }
      body['paging'] = paging;
    }
    return body;
  }

  /** Campaign-level ads insights of one ad account (meta-lead-ads.md's Graph conventions: errors, proof, paging). */
  function insights(accountId: string, token: string, query: Record<string, string>, path: string, res: http.ServerResponse, fail: (e: GraphErrorSpec) => void): void {
    const account = opts.adAccounts?.[accountId];
    if (!account) return fail(graphError(100, `Unsupported get request. Object with ID 'act_${accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));
    if (account.token !== token) return fail(graphError(190, 'Invalid OAuth access token - Cannot parse access token', { error_subcode: 467 }));
    const proofProblem = checkProof(token, query);
    if (proofProblem) return fail(proofProblem);
    if (query['level'] !== undefined && query['level'] !== 'campaign') return fail(graphError(100, `(#100) level must be campaign in this stand-in`));
    const fields = (query['fields'] ?? 'spend').split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = fields.find((f) => !['campaign_id', 'campaign_name', 'spend'].includes(f));
    if (unknown) return fail(graphError(100, `(#100) ${unknown} is not valid for fields param.`));
    const today = new Date().toISOString().slice(0, 10);
    const rows = account.campaigns.map((row) => ({
      ...Object.fromEntries(fields.map((f) => [f, f === 'spend' ? row.spend.toFixed(2) : row[f as 'campaign_id' | 'campaign_name']])),
      date_start: today, date_stop: today,
    }));
    sendJson(res, 200, paged(rows, [...fields, 'date_start', 'date_stop'], query, path), { 'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: 1 }) });
  }

  function injectedFailure(entry: GraphRequest): GraphErrorSpec | undefined {
    const limit = limited.shift();
    if (limit) return rateLimitError(limit, tokenToPage(entry.query['access_token'] ?? ''));
    const rule = failing.find((f) => f.left > 0 && f.match(entry));
    if (rule === undefined) return undefined;
    rule.left -= 1;
    failing = failing.filter((f) => f.left > 0);
    return graphError(2, 'Service temporarily unavailable', { is_transient: true }, 500);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const entry: GraphRequest = { method: req.method ?? 'GET', path: u.pathname, query };
    requests.push(entry);
    const usage = { 'X-App-Usage': JSON.stringify({ call_count: appUsage, total_cputime: 1, total_time: 1 }) };
    const fail = (e: GraphErrorSpec): void => {
      entry.errorCode = (e.body['error'] as { code: number }).code;
      sendJson(res, e.status, e.body, { ...usage, ...e.headers });
    };
    const parts = u.pathname.split('/').filter(Boolean);
    if (parts[0] !== version) return fail(graphError(2635, `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${version}.`));
    const token = query['access_token'];
    if (!token) return fail(graphError(104, 'An access token is required to request this resource.'));
    if (req.method === 'POST' && parts.length === 3 && parts[2] === 'events') return events(req, res, parts[1] as string, token, query, fail, usage);
    const account = /^act_(\d+)$/.exec(parts[1] ?? '')?.[1];
    if (account !== undefined && parts[2] === 'insights' && parts.length === 3) return insights(account, token, query, u.pathname, res, fail);
    const pageId = tokenToPage(token);
    if (!pageId) return fail(graphError(190, 'Invalid OAuth access token - Cannot parse access token', { error_subcode: 467 }));
    if (expired.has(pageId)) {
      return fail(graphError(190, 'Error validating access token: Session has expired on Thursday, 08-Jan-26 10:00:00 PST. The current time is Thursday, 08-Jan-26 10:30:00 PST.', { error_subcode: 463 }));
    }
    const proofProblem = checkProof(token, query);
    if (proofProblem) return fail(proofProblem);
    const injected = injectedFailure(entry);
    if (injected) return fail(injected);
    const fields = query['fields'] ? query['fields'].split(',').map((f) => f.trim()).filter(Boolean) : undefined;
    const notFound = (id: string): void => fail(graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));
    const nonexisting = (node: string, known: ReadonlySet<string>): boolean => {
      const unknown = (fields ?? []).find((f) => !known.has(f));
      if (unknown) fail(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (${node})`));
      return unknown !== undefined;
    };

    if (parts.length === 2 && parts[1] === pageId) {
      if (nonexisting('Page', PAGE_FIELDS)) return;
      return sendJson(res, 200, pick({ id: pageId, name: `Page ${pageId}` }, fields ?? ['id', 'name']), usage);
    }
    if (parts.length === 2) {
      if (nonexisting('LeadgenLead', KNOWN_FIELDS)) return;
      const id = parts[1] as string;
      const lead = leads.get(id);
      if (!lead || lead.page_id !== pageId) return notFound(id);
      return sendJson(res, 200, pick(lead, fields ?? DEFAULT_FIELDS), usage);
    }
    if (parts.length === 3 && parts[2] === 'leadgen_forms') {
      if (parts[1] !== pageId) return notFound(parts[1] as string);
      if (nonexisting('LeadgenForm', FORM_FIELDS)) return;
      const own = [...forms.values()].filter((f) => f.page_id === pageId).sort((a, b) => b.id.localeCompare(a.id));
      return sendJson(res, 200, paged(own, fields ?? ['id', 'name', 'status'], query, u.pathname), usage);
    }
    if (parts.length === 3 && parts[2] === 'leads') {
      if (nonexisting('LeadgenLead', KNOWN_FIELDS)) return;
      const formId = parts[1] as string;
      const form = forms.get(formId);
      if (form === undefined || form.page_id !== pageId) return notFound(formId);
      let filtering: { field: string; operator: string; value: number }[] = [];
      if (query['filtering']) {
        try {
          filtering = JSON.parse(query['filtering']) as typeof filtering;
        } catch {
          return fail(graphError(100, '(#100) param filtering must be an array.'));
        }
      }
      for (const f of filtering) {
        if (f.field !== 'time_created' || !['LESS_THAN', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL'].includes(f.operator)) {
          return fail(graphError(100, `(#100) Filtering field ${f.field} with operation ${f.operator} is not supported`));
        }
      }
      const ts = (l: GraphLead): number => Math.floor(new Date(l.created_time).getTime() / 1000);
      const matched = [...leads.values()].filter((l) => l.form_id === formId && filtering.every((f) =>
        f.operator === 'LESS_THAN' ? ts(l) < f.value : f.operator === 'GREATER_THAN' ? ts(l) > f.value : ts(l) >= f.value))
        .sort((a, b) => ts(b) - ts(a) || b.id.localeCompare(a.id));
      return sendJson(res, 200, paged(matched, fields ?? DEFAULT_FIELDS, query, u.pathname), usage);
    }
    return fail(graphError(100, `Unsupported get request. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));
  }

  function checkProof(token: string, query: Record<string, string>): GraphErrorSpec | undefined {
    const expectedProof = createHmac('sha256', opts.appSecret).update(token).digest('hex');
    if (requireProof && !query['appsecret_proof']) return graphError(100, 'API calls from the server require an appsecret_proof argument');
    if (query['appsecret_proof'] && query['appsecret_proof'] !== expectedProof) return graphError(100, 'Invalid appsecret_proof provided in the API argument');
    return undefined;
  }

  /** POST /{dataset}/events: the dataset's token, the proof, then Meta's validation of every event (all or nothing). */
  async function events(req: http.IncomingMessage, res: http.ServerResponse, datasetId: string, token: string, query: Record<string, string>, fail: (e: GraphErrorSpec) => void, usage: Record<string, string>): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let body: { data?: unknown; test_event_code?: unknown } = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as typeof body);
    } catch {
      return fail(graphError(100, '(#100) The request body is not valid JSON'));
    }
    const record: ConversionRequest = { datasetId, events: Array.isArray(body.data) ? (body.data as ConversionEvent[]) : [], ...(typeof body.test_event_code === 'string' ? { testEventCode: body.test_event_code } : {}) };
    conversionRequests.push(record);
    const refuse = (e: GraphErrorSpec): void => {
      record.errorCode = (e.body['error'] as { code: number }).code;
      fail(e);
    };
    if (!(datasetId in datasets)) return refuse(graphError(100, `Unsupported post request. Object with ID '${datasetId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 }));
    if (datasets[datasetId] !== token) return refuse(graphError(190, 'Invalid OAuth access token - Cannot parse access token', { error_subcode: 467 }));
    const proofProblem = checkProof(token, query);
    if (proofProblem) return refuse(proofProblem);
    const injected = injectedFailure(requests.at(-1) as GraphRequest);
    if (injected) return refuse(injected);
    const refused = refusal(body.data, now());
    if (refused) return refuse(refused);
    conversions.push(...record.events);
    sendJson(res, 200, { events_received: record.events.length, messages: [], fbtrace_id: trace() }, usage);
  }

  const server = await listen((req, res) => void handle(req, res).catch(() => sendJson(res, 500, graphError(1, 'An unknown error occurred').body)), opts.port ?? 0, opts.host);
  const base = `http://127.0.0.1:${server.port}/${version}`;
  const addForm = (form: GraphForm): void => { forms.set(form.id, { ...form }); };
  return {
    url: base,
    version,
    addLead: (lead) => {
      leads.set(lead.id, structuredClone(lead));
      if (!forms.has(lead.form_id)) addForm({ id: lead.form_id, page_id: lead.page_id, name: `Form ${lead.form_id}`, status: 'ACTIVE' });
    },
    addForm,
    expireToken: (pageId) => { expired.add(pageId); },
    restoreToken: (pageId) => { expired.delete(pageId); },
    rateLimitNext: (n, code = 4) => { for (let i = 0; i < n; i++) limited.push(code); },
    failNext: (n, match = () => true) => { failing.push({ left: n, match }); },
    setAppUsage: (percent) => { appUsage = percent; },
    get requests() { return requests; },
    get conversionRequests() { return conversionRequests; },
    get conversions() { return conversions; },
    close: () => { limited = []; failing = []; return server.close(); },
  };
}
