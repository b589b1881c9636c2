// Typed Graph API failures with a stable `code` and `retryable` (retryable ones name the 'graph' dependency,
// with Meta's wait from the usage headers), and the one table that maps Meta's error codes onto them
// (meta-lead-ads.md §5: branch on error.code, never on HTTP status alone).
// Messages are written for an operator and never contain a token or an appsecret_proof.

export type GraphErrorCode =
  | 'GRAPH_TOKEN_INVALID'
  | 'GRAPH_NO_TOKEN'
  | 'GRAPH_RATE_LIMITED'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_NOT_FOUND'
  | 'GRAPH_PERMISSION'
  | 'GRAPH_ERROR'

/** The dependency name a retryable Graph failure reports (the bus pauses the consumer and probes it). */
export const GRAPH_DEPENDENCY = 'graph'

export class GraphError extends Error {
  readonly code: GraphErrorCode
  readonly retryable: boolean
  /** 'graph' when retryable: Meta is rate-limiting or unavailable, not the lead's fault. */
  readonly dependency: typeof GRAPH_DEPENDENCY | undefined
  /** When Meta says access comes back (usage headers), in ms from now. */
  readonly retryAfterMs: number | undefined
  readonly graphCode: number | undefined
  readonly graphSubcode: number | undefined
  readonly pageId: string | undefined
  readonly fbtraceId: string | undefined
  constructor(
    code: GraphErrorCode,
    message: string,
    retryable: boolean,
    details: { graphCode?: number; graphSubcode?: number; pageId?: string; fbtraceId?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'GraphError'
    this.code = code
    this.retryable = retryable
    this.dependency = retryable ? GRAPH_DEPENDENCY : undefined
    this.retryAfterMs = details.retryAfterMs
    this.graphCode = details.graphCode
    this.graphSubcode = details.graphSubcode
    this.pageId = details.pageId
    this.fbtraceId = details.fbtraceId
  }
}

const THROTTLED = new Set([4, 17, 32, 341, 613, 80001, 80004, 80005])
const TRANSIENT = new Set([1, 2])

interface GraphErrorBody {
  message?: string
  code?: number
  error_subcode?: number
  is_transient?: boolean
  fbtrace_id?: string
}

type Headers = { get(name: string): string | null }

function parseJson(text: string | null): unknown {
  if (text === null) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * When a throttled caller may call again, from Meta's usage headers (meta-lead-ads.md "Usage headers"; no
 * Retry-After): the largest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage, else
 * `reset_time_duration` (seconds) of X-Ad-Account-Usage / X-Page-Usage. Undefined when none says (code 4/17
 * app limits carry percentages only).
 */
export function retryAfterFromUsage(headers: Headers): number | undefined {
  const buc = parseJson(headers.get('x-business-use-case-usage'))
  let minutes: number | undefined
  if (typeof buc === 'object' && buc !== null) {
    for (const entries of Object.values(buc)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        const m = (entry as { estimated_time_to_regain_access?: unknown }).estimated_time_to_regain_access
        if (typeof m === 'number' && m > 0) minutes = Math.max(minutes ?? 0, m)
      }
    }
  }
  if (minutes !== undefined) return minutes * 60_000
  for (const name of ['x-ad-account-usage', 'x-page-usage']) {
    const seconds = (parseJson(headers.get(name)) as { reset_time_duration?: unknown } | undefined)?.reset_time_duration
    if (typeof seconds === 'number' && seconds > 0) return seconds * 1000
  }
  return undefined
}

/** Maps a Graph error answer to a typed error; `pageId` names the page whose token was used. */
export function graphErrorFrom(status: number, body: unknown, ctx: { pageId: string; leadgenId: string; headers?: Headers }): GraphError {
  const err = (typeof body === 'object' && body !== null ? (body as { error?: GraphErrorBody }).error : undefined) ?? {}
  const code = typeof err.code === 'number' ? err.code : undefined
  const details = {
    pageId: ctx.pageId,
    ...(code === undefined ? {} : { graphCode: code }),
    ...(typeof err.error_subcode === 'number' ? { graphSubcode: err.error_subcode } : {}),
    ...(typeof err.fbtrace_id === 'string' ? { fbtraceId: err.fbtrace_id } : {}),
  }
  const meta = `(Graph code ${code ?? '?'}${err.error_subcode ? `/${err.error_subcode}` : ''}, HTTP ${status})`
  if (code === 190 || code === 102) {
    return new GraphError(
      'GRAPH_TOKEN_INVALID',
      `the access token of Facebook page ${ctx.pageId} is expired or invalid ${meta}: put a new page token in META_PAGE_TOKENS, restart, then replay the parked leads`,
      false,
      details,
    )
  }
  if (code !== undefined && THROTTLED.has(code)) {
    const retryAfterMs = ctx.headers === undefined ? undefined : retryAfterFromUsage(ctx.headers)
    return new GraphError('GRAPH_RATE_LIMITED', `Graph API rate limit reached for page ${ctx.pageId} ${meta}`, true, { ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })
  }
  if (code === 100) {
    return new GraphError('GRAPH_NOT_FOUND', `lead ${ctx.leadgenId} does not exist or page ${ctx.pageId}'s token cannot see it ${meta}`, false, details)
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new GraphError('GRAPH_PERMISSION', `the token of page ${ctx.pageId} lacks a permission (leads_retrieval?) ${meta}`, false, details)
  }
  if (status >= 500 || err.is_transient === true || (code !== undefined && TRANSIENT.has(code))) {
    return new GraphError('GRAPH_UNAVAILABLE', `Graph API unavailable ${meta}`, true, details)
  }
  return new GraphError('GRAPH_ERROR', `Graph API refused the lead read ${meta}: ${err.message ?? 'no message'}`, false, details)
}
