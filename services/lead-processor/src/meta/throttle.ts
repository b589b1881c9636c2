// Keeps bulk Graph reads under Meta's rate limits by slowing down, never by skipping: after every answer it
// waits in proportion to the budget used (usage headers above SLOW_FROM_PERCENT), and a throttled call
// (codes 4, 17, 32, 613, 80001–80005: GRAPH_RATE_LIMITED) is waited out — Meta's estimate when its headers
// give one, else an exponential backoff — and made again, as often as it takes (meta-lead-ads.md §5).
// Only for bulk work (reconciliation, backfill); a leadgen event's read uses the bus's pause instead.
import { GraphError } from '../graph/errors.js'
import type { GraphUsage } from '../graph/usage.js'

/** Below this share of a budget, calls go at full speed. */
export const SLOW_FROM_PERCENT = 75

export interface ThrottleOptions {
  /** The longest wait between two calls when the budget is nearly used up; also the first backoff's cap. Default 60 s. */
  readonly pauseMs?: number
  /** The longest wait after a throttled call. Default 15 minutes. */
  readonly maxBackoffMs?: number
  /** Rejects when the signal aborts (shutdown). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Called before each wait, for logs and metrics. */
  readonly onWait?: (wait: { readonly ms: number; readonly reason: 'usage' | 'throttled'; readonly percent?: number; readonly graphCode?: number }) => void
}

export type Throttled = <T extends { readonly usage: GraphUsage }>(call: () => Promise<T>, signal?: AbortSignal) => Promise<T>

export function createThrottle(options: ThrottleOptions): Throttled {
  const pauseMs = options.pauseMs ?? 60_000
  const maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000
  return async (call, signal) => {
    for (let throttled = 0; ; throttled++) {
      signal?.throwIfAborted()
      let result
      try {
        result = await call()
      } catch (err) {
        if (!(err instanceof GraphError) || err.code !== 'GRAPH_RATE_LIMITED') throw err
        const ms = err.retryAfterMs ?? Math.min(maxBackoffMs, (pauseMs / 4) * 2 ** throttled)
        options.onWait?.({ ms, reason: 'throttled', ...(err.graphCode === undefined ? {} : { graphCode: err.graphCode }) })
        await options.sleep(ms, signal)
        continue
      }
      const { percent, regainMs } = result.usage
      if (percent >= SLOW_FROM_PERCENT) {
        const ms = Math.max(regainMs ?? 0, Math.round((pauseMs * Math.min(percent - SLOW_FROM_PERCENT, 100 - SLOW_FROM_PERCENT)) / (100 - SLOW_FROM_PERCENT)))
        options.onWait?.({ ms, reason: 'usage', percent })
        await options.sleep(ms, signal)
      }
      return result
    }
  }
}
