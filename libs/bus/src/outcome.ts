// Turns what a handler did (an outcome, or a thrown error) into what the transport must do with the
// message. Pure, so both transports share one decision table. Must never touch a broker or a clock.
import type { Outcome, RetryPolicy } from './types.js'

export type Action =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly nextAttempt: number; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string }

export type HandlerResult = { readonly outcome: Outcome } | { readonly error: unknown }

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`
  }
  return String(error)
}

/** An error counts as permanent only when it says so; anything else is an outage or a bug, so retried. */
function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false
}

export function decide(result: HandlerResult, attempt: number, policy: RetryPolicy): Action {
  let reason: string
  if ('outcome' in result) {
    const { outcome } = result
    if (outcome.kind === 'done') return { kind: 'ack' }
    if (outcome.kind === 'park') return { kind: 'park', reason: outcome.reason }
    reason = outcome.reason
  } else {
    reason = errorText(result.error)
    if (isPermanent(result.error)) return { kind: 'park', reason }
  }
  const delayMs = policy.delaysMs[attempt - 1]
  if (delayMs === undefined) return { kind: 'park', reason: `retries exhausted after ${attempt} attempts: ${reason}` }
  return { kind: 'retry', delayMs, nextAttempt: attempt + 1, reason }
}
