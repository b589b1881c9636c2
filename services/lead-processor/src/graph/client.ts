// The one Graph API client of the hub: reads a lead (GET /{leadgen-id}), a page (the token check), a page's
// lead forms (GET /{page-id}/leadgen_forms) and a form's leads (GET /{form-id}/leads, time_created filter,
// one cursor page per call), and sends conversion events (POST /{dataset-id}/events, the Conversions API
// for CRM). Every call carries appsecret_proof; every answer's usage headers are reported so callers can
// slow down before Meta throttles. Never logs or puts a token, a proof or a URL carrying them (Graph's
// `paging.next` does) in an error message: paging goes by the `after` cursor on URLs built here.
import { createHmac } from 'node:crypto'
import { GraphError, graphErrorFrom, type TokenOwner } from './errors.js'
import { LEAD_FIELDS, type GraphLead } from './types.js'
import { usageFrom, type GraphUsage } from './usage.js'

export interface GraphClientOptions {
  /** Base URL including the version, e.g. https://graph.facebook.com/v25.0 */
  readonly baseUrl: string
  readonly appSecret: string
  /** Page id → page access token. A function so a reloaded configuration is picked up. */
  readonly pageTokens: () => Readonly<Record<string, string>>
  readonly timeoutMs?: number
  readonly fetch?: typeof fetch
}

export interface GraphForm {
  readonly id: string
  readonly name?: string
  /** ACTIVE, ARCHIVED, …: archived forms keep their leads, so they are read too. */
  readonly status?: string
}

/** One page of a cursor-paged edge; `after` is absent on the last page. */
export interface GraphPage<T> {
  readonly data: readonly T[]
  readonly after?: string
  readonly usage: GraphUsage
}

/** A Conversions API for CRM event (meta-conversions-api-crm.md "One event"). */
export interface ConversionEvent {
  readonly event_name: string
  readonly event_time: number
  readonly action_source: 'system_generated'
  readonly event_id: string
  readonly user_data: { readonly lead_id: string; readonly em?: readonly string[]; readonly ph?: readonly string[] }
  readonly custom_data: { readonly event_source: 'crm'; readonly lead_event_source: string }
}

export interface ConversionsTarget {
  readonly datasetId: string
  /** The system-user token that may send to the dataset. */
  readonly token: string
  readonly tokenOwner: TokenOwner
  readonly testEventCode?: string
}

export interface GraphClient {
  getLead(leadgenId: string, pageId: string, signal?: AbortSignal): Promise<GraphLead>
  /** The page as its token sees it: fails with GRAPH_TOKEN_INVALID when the token expired. */
  getPage(pageId: string, signal?: AbortSignal): Promise<{ readonly id: string; readonly name?: string }>
  formsPage(pageId: string, after?: string, signal?: AbortSignal): Promise<GraphPage<GraphForm>>
  /** Leads of a form created at or after `since`, newest first, one page of up to `limit` (default 100). */
  leadsPage(formId: string, pageId: string, query: { readonly since: Date; readonly after?: string; readonly limit?: number }, signal?: AbortSignal): Promise<GraphPage<GraphLead>>
  sendConversions(target: ConversionsTarget, events: readonly ConversionEvent[], signal?: AbortSignal): Promise<{ readonly eventsReceived: number }>
}

export function appSecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex')
}

interface Call {
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
  readonly token: string
  readonly subject: string
  readonly pageId?: string
  readonly tokenOwner?: TokenOwner
  readonly body?: unknown
  readonly signal?: AbortSignal | undefined
}

/** Meta's page size for lead reads is unconfirmed; 100 is what its own examples use. */
const DEFAULT_LEADS_LIMIT = 100

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const base = options.baseUrl.replace(/\/+$/, '')

  function pageToken(pageId: string): string {
    const token = options.pageTokens()[pageId]
    if (token === undefined) {
      throw new GraphError('GRAPH_NO_TOKEN', `no access token configured for Facebook page ${pageId}: add it to META_PAGE_TOKENS, restart, then replay the parked leads`, false, { pageId })
    }
    return token
  }

  async function call<T>(c: Call): Promise<{ body: T; usage: GraphUsage }> {
    const url = new URL(`${base}/${c.path}`)
    for (const [key, value] of Object.entries(c.query ?? {})) url.searchParams.set(key, value)
    url.searchParams.set('access_token', c.token)
    url.searchParams.set('appsecret_proof', appSecretProof(options.appSecret, c.token))
    const timeout = AbortSignal.timeout(timeoutMs)
    const where = c.pageId === undefined ? {} : { pageId: c.pageId }
    let res: Response
    try {
      res = await doFetch(url, {
        signal: c.signal ? AbortSignal.any([c.signal, timeout]) : timeout,
        ...(c.body === undefined
          ? { headers: { accept: 'application/json' } }
          : { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(c.body) }),
      })
    } catch (cause) {
      const timedOut = (cause as { name?: string }).name === 'TimeoutError'
      throw new GraphError('GRAPH_UNAVAILABLE', timedOut ? `Graph API did not answer within ${timeoutMs} ms` : 'Graph API unreachable', true, { ...where, cause: timedOut ? undefined : (cause as Error).message })
    }
    const text = await res.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new GraphError('GRAPH_UNAVAILABLE', `Graph API answered HTTP ${res.status} with a body that is not JSON`, res.status >= 500 || res.status === 429, where)
    }
    if (!res.ok || (typeof body === 'object' && body !== null && 'error' in body)) {
      throw graphErrorFrom(res.status, body, { ...where, subject: c.subject, headers: res.headers, ...(c.tokenOwner === undefined ? {} : { token: c.tokenOwner }) })
    }
    return { body: body as T, usage: usageFrom(res.headers) }
  }

  function page<T>(body: { data?: T[]; paging?: { cursors?: { after?: string }; next?: string } }, usage: GraphUsage): GraphPage<T> {
    const after = body.paging?.next === undefined ? undefined : body.paging.cursors?.after
    return after === undefined ? { data: body.data ?? [], usage } : { data: body.data ?? [], after, usage }
  }

  return {
    async getLead(leadgenId, pageId, signal) {
      const { body } = await call<GraphLead>({ path: encodeURIComponent(leadgenId), query: { fields: LEAD_FIELDS.join(',') }, token: pageToken(pageId), pageId, subject: `lead ${leadgenId}`, signal })
      if (typeof body.id !== 'string') throw new GraphError('GRAPH_ERROR', 'Graph API answered without a lead id', false, { pageId })
      return body
    },
    async getPage(pageId, signal) {
      const { body } = await call<{ id: string; name?: string }>({ path: encodeURIComponent(pageId), query: { fields: 'id,name' }, token: pageToken(pageId), pageId, subject: `page ${pageId}`, signal })
      return body
    },
    async formsPage(pageId, after, signal) {
      const { body, usage } = await call<{ data?: GraphForm[] }>({
        path: `${encodeURIComponent(pageId)}/leadgen_forms`,
        query: { fields: 'id,name,status', limit: '100', ...(after === undefined ? {} : { after }) },
        token: pageToken(pageId),
        pageId,
        subject: `the lead forms of page ${pageId}`,
        signal,
      })
      return page(body, usage)
    },
    async leadsPage(formId, pageId, query, signal) {
      const filtering = [{ field: 'time_created', operator: 'GREATER_THAN_OR_EQUAL', value: Math.floor(query.since.getTime() / 1000) }]
      const { body, usage } = await call<{ data?: GraphLead[] }>({
        path: `${encodeURIComponent(formId)}/leads`,
        query: {
          fields: LEAD_FIELDS.join(','),
          filtering: JSON.stringify(filtering),
          limit: String(query.limit ?? DEFAULT_LEADS_LIMIT),
          ...(query.after === undefined ? {} : { after: query.after }),
        },
        token: pageToken(pageId),
        pageId,
        subject: `the leads of form ${formId}`,
        signal,
      })
      return page(body, usage)
    },
    async sendConversions(target, events, signal) {
      const { body } = await call<{ events_received?: number }>({
        path: `${encodeURIComponent(target.datasetId)}/events`,
        token: target.token,
        tokenOwner: target.tokenOwner,
        subject: `${events.length} conversion event(s) for dataset ${target.datasetId}`,
        body: { data: events, ...(target.testEventCode === undefined ? {} : { test_event_code: target.testEventCode }) },
        signal,
      })
      return { eventsReceived: body.events_received ?? 0 }
    },
  }
}
