/**
 * startGraphStandIn: Meta Graph API lead reads as meta-lead-ads.md documents them — `GET /{version}/{leadgen-id}`
 * with `fields`, `GET /{version}/{form-id}/leads` with cursor paging and `time_created` filtering,
 * `appsecret_proof` checking, and the error bodies/headers for 190, 100/33, 4, 17, 32, 613 (HTTP 400/403,
 * never 429, usage headers, no Retry-After). Also the ads insights edge `GET /{version}/act_{id}/insights` at
 * campaign level (`campaign_name`, `spend` as Meta's decimal strings, cursor paging) for the ad accounts given
 * in `adAccounts`, each read with its own token; the spend does not vary with `date_preset`. In memory,
 * test/local use only; no webhooks are sent from here.
 */
import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { listen, sendMetaJson as sendJson } from '../http.js';

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
}

export interface GraphStandIn {
  /** Base URL including the version, e.g. http://127.0.0.1:1234/v25.0 */
  url: string;
  version: string;
  addLead(lead: GraphLead): void;
  expireToken(pageId: string): void;
  restoreToken(pageId: string): void;
  rateLimitNext(n: number, code?: GraphRateLimitCode): void;
  readonly requests: readonly GraphRequest[];
  close(): Promise<void>;
}

const DEFAULT_FIELDS = ['id', 'created_time', 'field_data'];
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

export async function startGraphStandIn(opts: GraphStandInOptions): Promise<GraphStandIn> {
  const version = opts.version ?? 'v25.0';
  const requireProof = opts.requireProof ?? true;
  const leads = new Map<string, GraphLead>();
  const expired = new Set<string>();
  let limited: GraphRateLimitCode[] = [];
  const requests: GraphRequest[] = [];
  const tokenToPage = (token: string): string | undefined => Object.entries(opts.pageTokens).find(([, t]) => t === token)?.[0];

  function pick(lead: GraphLead, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = (lead as unknown as Record<string, unknown>)[f];
      if (v !== undefined) out[f] = v;
    }
    return out;
  }

  /** Campaign-level ads insights of one ad account (meta-lead-ads.md's Graph conventions: errors, proof, paging). */
  function insights(accountId: string, token: string, query: Record<string, string>, path: string, res: http.ServerResponse, fail: (e: GraphErrorSpec) => void): void {
    const account = opts.adAccounts?.[accountId];
    if (!account) return fail(graphError(100, `Unsupported get request. Object with ID 'act_${accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));
    if (account.token !== token) return fail(graphError(190, 'Invalid OAuth access token - Cannot parse access token', { error_subcode: 467 }));
    const expectedProof = createHmac('sha256', opts.appSecret).update(token).digest('hex');
    if (requireProof && !query['appsecret_proof']) return fail(graphError(100, 'API calls from the server require an appsecret_proof argument'));
    if (query['appsecret_proof'] && query['appsecret_proof'] !== expectedProof) return fail(graphError(100, 'Invalid appsecret_proof provided in the API argument'));
    if (query['level'] !== undefined && query['level'] !== 'campaign') return fail(graphError(100, `(#100) level must be campaign in this stand-in`));
    const fields = (query['fields'] ?? 'spend').split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = fields.find((f) => !['campaign_id', 'campaign_name', 'spend'].includes(f));
    if (unknown) return fail(graphError(100, `(#100) ${unknown} is not valid for fields param.`));
    const limit = Math.min(Math.max(Number(query['limit'] ?? 25) || 25, 1), 500);
    const start = query['after'] ? Number(Buffer.from(query['after'], 'base64url').toString()) : 0;
    const page = account.campaigns.slice(start, start + limit);
    const cursor = (i: number): string => Buffer.from(String(i)).toString('base64url');
    const today = new Date().toISOString().slice(0, 10);
    const data = page.map((row) => ({
      ...Object.fromEntries(fields.map((f) => [f, f === 'spend' ? row.spend.toFixed(2) : row[f as 'campaign_id' | 'campaign_name']])),
      date_start: today, date_stop: today,
    }));
    const body: Record<string, unknown> = { data };
    if (page.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
      if (start + page.length < account.campaigns.length) {
        const next = new URL(`${base}${path.slice(version.length + 1)}`);
        for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
        next.searchParams.set('after', cursor(start + page.length));
        paging['next'] = next.toString();
      }
      body['paging'] = paging;
    }
    sendJson(res, 200, body, { 'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: 1 }) });
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const entry: GraphRequest = { method: req.method ?? 'GET', path: u.pathname, query };
    requests.push(entry);
    const fail = (e: GraphErrorSpec): void => {
      entry.errorCode = (e.body['error'] as { code: number }).code;
      sendJson(res, e.status, e.body, e.headers);
    };
    const parts = u.pathname.split('/').filter(Boolean);
    if (parts[0] !== version) return fail(graphError(2635, `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${version}.`));
    const token = query['access_token'];
    if (!token) return fail(graphError(104, 'An access token is required to request this resource.'));
    const account = /^act_(\d+)$/.exec(parts[1] ?? '')?.[1];
    if (account !== undefined && parts[2] === 'insights' && parts.length === 3) return insights(account, token, query, u.pathname, res, fail);
    const pageId = tokenToPage(token);
    if (!pageId) return fail(graphError(190, 'Invalid OAuth access token - Cannot parse access token', { error_subcode: 467 }));
    if (expired.has(pageId)) {
      return fail(graphError(190, 'Error validating access token: Session has expired on Thursday, 08-Jan-26 10:00:00 PST. The current time is Thursday, 08-Jan-26 10:30:00 PST.', { error_subcode: 463 }));
    }
    const expectedProof = createHmac('sha256', opts.appSecret).update(token).digest('hex');
    if (requireProof && !query['appsecret_proof']) return fail(graphError(100, 'API calls from the server require an appsecret_proof argument'));
    if (query['appsecret_proof'] && query['appsecret_proof'] !== expectedProof) return fail(graphError(100, 'Invalid appsecret_proof provided in the API argument'));
    const limit = limited.shift();
    if (limit) return fail(rateLimitError(limit, pageId));
    const usage = { 'X-App-Usage': JSON.stringify({ call_count: 1, total_cputime: 1, total_time: 1 }) };
    const fields = query['fields'] ? query['fields'].split(',').map((f) => f.trim()).filter(Boolean) : DEFAULT_FIELDS;
    const unknown = fields.find((f) => !KNOWN_FIELDS.has(f));
    if (unknown) return fail(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (LeadgenLead)`));
    const notFound = (id: string): void => fail(graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));

    if (parts.length === 2) {
      const id = parts[1] as string;
      const lead = leads.get(id);
      if (!lead || lead.page_id !== pageId) return notFound(id);
      return sendJson(res, 200, pick(lead, fields), usage);
    }
    if (parts.length === 3 && parts[2] === 'leads') {
      const formId = parts[1] as string;
      const forms = [...leads.values()].filter((l) => l.form_id === formId);
      if (forms.length === 0 || forms.some((l) => l.page_id !== pageId)) return notFound(formId);
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
      const matched = forms.filter((l) => filtering.every((f) =>
        f.operator === 'LESS_THAN' ? ts(l) < f.value : f.operator === 'GREATER_THAN' ? ts(l) > f.value : ts(l) >= f.value))
        .sort((a, b) => ts(b) - ts(a) || b.id.localeCompare(a.id));
      const limit = Math.min(Math.max(Number(query['limit'] ?? 25) || 25, 1), 500);
      const start = query['after'] ? Number(Buffer.from(query['after'], 'base64url').toString()) : 0;
      const page = matched.slice(start, start + limit);
      const cursor = (i: number): string => Buffer.from(String(i)).toString('base64url');
      const body: Record<string, unknown> = { data: page.map((l) => pick(l, fields)) };
      if (page.length > 0) {
        const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
        if (start + page.length < matched.length) {
          const next = new URL(`${base}${u.pathname.slice(version.length + 1)}`);
          for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
          next.searchParams.set('after', cursor(start + page.length));
          paging['next'] = next.toString();
        }
        body['paging'] = paging;
      }
      return sendJson(res, 200, body, usage);
    }
    return fail(graphError(100, `Unsupported get request. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { error_subcode: 33 }));
  }

  const server = await listen(handle, opts.port ?? 0, opts.host);
  const base = `http://127.0.0.1:${server.port}/${version}`;
  return {
    url: base,
    version,
    addLead: (lead) => { leads.set(lead.id, structuredClone(lead)); },
    expireToken: (pageId) => { expired.add(pageId); },
    restoreToken: (pageId) => { expired.delete(pageId); },
    rateLimitNext: (n, code = 4) => { for (let i = 0; i < n; i++) limited.push(code); },
    get requests() { return requests; },
    close: () => { limited = []; return server.close(); },
  };
}
