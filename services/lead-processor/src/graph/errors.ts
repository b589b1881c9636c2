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
  error_user_title?: string
  error_user_msg?: string
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

/** Whose token a call used, and what an operator does when it is refused (default: the page's token). */
export interface TokenOwner {
  readonly name: string
  readonly fix: string
}

const pageToken = (pageId: string): TokenOwner => ({
  name: `the access token of Facebook page ${pageId}`,
  fix: 'put a new page token in META_PAGE_TOKENS, restart, then replay the parked leads',
})

/**
 * Maps a Graph error answer to a typed error. `subject` says what was read or sent (`lead 2100…`, `form …`);
 * `pageId` names the page whose token was used, `token` another token's owner (the Conversions API's).
 */
export function graphErrorFrom(status: number, body: unknown, ctx: { pageId?: string; subject: string; token?: TokenOwner; headers?: Headers }): GraphError {
  const err = (typeof body === 'object' && body !== null ? (body as { error?: GraphErrorBody }).error : undefined) ?? {}
  const code = typeof err.code === 'number' ? err.code : undefined
  const token = ctx.token ?? pageToken(ctx.pageId ?? '?')
  const who = ctx.pageId === undefined ? 'the Graph API' : `page ${ctx.pageId}`
  const details = {
    ...(ctx.pageId === undefined ? {} : { pageId: ctx.pageId }),
    ...(code === undefined ? {} : { graphCode: code }),
    ...(typeof err.error_subcode === 'number' ? { graphSubcode: err.error_subcode } : {}),
    ...(typeof err.fbtrace_id === 'string' ? { fbtraceId: err.fbtrace_id } : {}),
  }
  const meta = `(Graph code ${code ?? '?'}${err.error_subcode ? `/${err.error_subcode}` : ''}, HTTP ${status})`
  if (code === 190 || code === 102) {
    return new GraphError(
      'GRAPH_TOKEN_INVALID',
      `${token.name} is expired or invalid ${meta}: ${token.fix}`,
      false,
      details,
    )
  }
  if (code !== undefined && THROTTLED.has(code)) {
    const retryAfterMs = ctx.headers === undefined ? undefined : retryAfterFromUsage(ctx.headers)
    return new GraphError('GRAPH_RATE_LIMITED', `Graph API rate limit reached for ${who} ${meta}`, true, { ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })
  }
  // 100/33: the object is not there for this token; other 100s are refused parameters (a Conversions API event).
  if (code === 100 && (err.error_subcode === undefined || err.error_subcode === 33)) {
    return new GraphError('GRAPH_NOT_FOUND', `${ctx.subject} does not exist or ${token.name} cannot see it ${meta}`, false, details)
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new GraphError('GRAPH_PERMISSION', `${token.name} lacks a permission (leads_retrieval?) ${meta}`, false, details)
  }
  if (status >= 500 || err.is_transient === true || (code !== undefined && TRANSIENT.has(code))) {
    return new GraphError('GRAPH_UNAVAILABLE', `Graph API unavailable ${meta}`, true, details)
  }
  return new GraphError('GRAPH_ERROR', `Graph API refused ${ctx.subject} ${meta}: ${[err.message ?? 'no message', err.error_user_title, err.error_user_msg].filter(Boolean).join(' — ')}`, false, details)
}
