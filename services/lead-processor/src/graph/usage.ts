// How much of Meta's rate-limit budget a Graph answer says is used (meta-lead-ads.md "Usage headers"): the
// highest percentage in X-App-Usage, X-Business-Use-Case-Usage (an array per business object),
// X-Page-Usage and X-Ad-Account-Usage, and when access comes back if Meta said so. Pure; never throws on a
// malformed header (it counts as "nothing said").
import { retryAfterFromUsage } from './errors.js'

type Headers = { get(name: string): string | null }

export interface GraphUsage {
  /** 0–100: the fullest budget among every usage header of the answer (0 when none came). */
  readonly percent: number
  /** Meta's own estimate of when a throttled caller may call again, in ms. */
  readonly regainMs?: number
}

function parse(text: string | null): unknown {
  if (text === null) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const PERCENT_FIELDS = ['call_count', 'total_cputime', 'total_time', 'acc_id_util_pct'] as const

function highest(entry: unknown): number {
  if (typeof entry !== 'object' || entry === null) return 0
  let max = 0
  for (const field of PERCENT_FIELDS) {
    const value = (entry as Record<string, unknown>)[field]
    if (typeof value === 'number' && Number.isFinite(value)) max = Math.max(max, value)
  }
  return max
}

export function usageFrom(headers: Headers): GraphUsage {
  let percent = Math.max(highest(parse(headers.get('x-app-usage'))), highest(parse(headers.get('x-page-usage'))), highest(parse(headers.get('x-ad-account-usage'))))
  const buc = parse(headers.get('x-business-use-case-usage'))
  if (typeof buc === 'object' && buc !== null) {
    for (const entries of Object.values(buc)) for (const entry of Array.isArray(entries) ? entries : []) percent = Math.max(percent, highest(entry))
  }
  const regainMs = retryAfterFromUsage(headers)
  return regainMs === undefined ? { percent } : { percent, regainMs }
}
