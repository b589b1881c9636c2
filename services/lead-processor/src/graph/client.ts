// Reads one lead from the Graph API: GET /{version}/{leadgen-id}?fields=…&access_token=…&appsecret_proof=…
// with the page's token from configuration. Never logs or puts a token, a proof or a URL carrying them in
// an error message.
import { createHmac } from 'node:crypto'
import { GraphError, graphErrorFrom } from './errors.js'
import { LEAD_FIELDS, type GraphLead } from './types.js'

export interface GraphClientOptions {
  /** Base URL including the version, e.g. https://graph.facebook.com/v25.0 */
  readonly baseUrl: string
  readonly appSecret: string
  /** Page id → page access token. A function so a reloaded configuration is picked up. */
  readonly pageTokens: () => Readonly<Record<string, string>>
  readonly timeoutMs?: number
  readonly fetch?: typeof fetch
}

export interface GraphClient {
  getLead(leadgenId: string, pageId: string, signal?: AbortSignal): Promise<GraphLead>
}

export function appSecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex')
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const base = options.baseUrl.replace(/\/+$/, '')
  return {
    async getLead(leadgenId, pageId, signal) {
      const token = options.pageTokens()[pageId]
      if (token === undefined) {
        throw new GraphError('GRAPH_NO_TOKEN', `no access token configured for Facebook page ${pageId}: add it to META_PAGE_TOKENS, restart, then replay the parked leads`, false, { pageId })
      }
      const url = new URL(`${base}/${encodeURIComponent(leadgenId)}`)
      url.searchParams.set('fields', LEAD_FIELDS.join(','))
      url.searchParams.set('access_token', token)
      url.searchParams.set('appsecret_proof', appSecretProof(options.appSecret, token))
      const timeout = AbortSignal.timeout(timeoutMs)
      let res: Response
      try {
        res = await doFetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/json' } })
      } catch (cause) {
        const timedOut = (cause as { name?: string }).name === 'TimeoutError'
        throw new GraphError('GRAPH_UNAVAILABLE', timedOut ? `Graph API did not answer within ${timeoutMs} ms` : 'Graph API unreachable', true, { pageId, cause: timedOut ? undefined : (cause as Error).message })
      }
      const text = await res.text()
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw new GraphError('GRAPH_UNAVAILABLE', `Graph API answered HTTP ${res.status} with a body that is not JSON`, res.status >= 500 || res.status === 429, { pageId })
      }
      if (!res.ok || (typeof body === 'object' && body !== null && 'error' in body)) {
        throw graphErrorFrom(res.status, body, { pageId, leadgenId, headers: res.headers })
      }
      const lead = body as GraphLead
      if (typeof lead.id !== 'string') throw new GraphError('GRAPH_ERROR', 'Graph API answered without a lead id', false, { pageId })
      return lead
    },
  }
}
