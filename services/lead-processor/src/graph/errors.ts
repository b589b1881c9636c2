// Typed Graph API failures with a stable `code` and `retryable`, and the one table that maps Meta's
// error codes onto them (meta-lead-ads.md §5: branch on error.code, never on HTTP status alone).
// Messages are written for an operator and never contain a token or an appsecret_proof.

export type GraphErrorCode =
  | 'GRAPH_TOKEN_INVALID'
  | 'GRAPH_NO_TOKEN'
  | 'GRAPH_RATE_LIMITED'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_NOT_FOUND'
  | 'GRAPH_PERMISSION'
  | 'GRAPH_ERROR'

export class GraphError extends Error {
  readonly code: GraphErrorCode
  readonly retryable: boolean
  readonly graphCode: number | undefined
  readonly graphSubcode: number | undefined
  readonly pageId: string | undefined
  readonly fbtraceId: string | undefined
  constructor(
    code: GraphErrorCode,
    message: string,
    retryable: boolean,
    details: { graphCode?: number; graphSubcode?: number; pageId?: string; fbtraceId?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'GraphError'
    this.code = code
    this.retryable = retryable
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

/** Maps a Graph error answer to a typed error; `pageId` names the page whose token was used. */
export function graphErrorFrom(status: number, body: unknown, ctx: { pageId: string; leadgenId: string }): GraphError {
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
    return new GraphError('GRAPH_RATE_LIMITED', `Graph API rate limit reached for page ${ctx.pageId} ${meta}`, true, details)
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
