// Turns what a handler did (an outcome, or a thrown error) into what the transport must do with the
// message: the retry schedule, the time budget and the pause on an unavailable dependency. Pure, so
// both transports share one decision table. Must never touch a broker or read a clock itself.
import type { Outcome, RetryPolicy } from './types.js'

export type Action =
  | { readonly kind: 'ack' }
  | {
      readonly kind: 'retry'
      /** The tier (queue `<service>.retry.<tierMs>`) and the jittered wait inside it. */
      readonly tierMs: number
      readonly delayMs: number
      readonly nextAttempt: number
      readonly reason: string
      readonly firstFailureMs: number
    }
  | {
      /** Keep the message without counting an attempt, and pause the consumer. */
      readonly kind: 'hold'
      readonly dependency: string
      readonly reason: string
      readonly retryAfterMs?: number
      readonly firstFailureMs: number
    }
  | { readonly kind: 'park'; readonly reason: string }

export type HandlerResult = { readonly outcome: Outcome } | { readonly error: unknown }

/** Where a message stands: its counted attempt and, once it failed, when it first did. */
export interface DeliveryState {
  readonly attempt: number
  readonly firstFailureMs?: number | undefined
}

export interface Clock {
  readonly nowMs: number
  /** In [0, 1), for jitter. */
  readonly random: () => number
}

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

/** A thrown DependencyError: `retryable: true` and the name of the dependency that is down. */
function dependencyOf(error: unknown): { dependency: string; retryAfterMs?: number } | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { retryable, dependency, retryAfterMs } = error as { retryable?: unknown; dependency?: unknown; retryAfterMs?: unknown }
  if (retryable !== true || typeof dependency !== 'string') return undefined
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? { dependency, retryAfterMs } : { dependency }
}

/** `ms` varied by ± `jitter` (a fraction), never below 1 ms. */
export function jittered(ms: number, jitter: number, random: () => number): number {
  return Math.max(1, Math.round(ms * (1 + jitter * (2 * random() - 1))))
}

/** "6 h", "2.5 min", "30 s", "200 ms": for reasons an operator reads. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ]
  for (const [size, unit] of units) if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`
  return `${ms} ms`
}

export function decide(result: HandlerResult, state: DeliveryState, policy: RetryPolicy, clock: Clock): Action {
  let reason: string
  let dependency: { dependency: string; retryAfterMs?: number } | undefined
  if ('outcome' in result) {
    const { outcome } = result
    if (outcome.kind === 'done') return { kind: 'ack' }
    if (outcome.kind === 'park') return { kind: 'park', reason: outcome.reason }
    reason = outcome.reason
    if (outcome.kind === 'unavailable') {
      dependency = outcome.retryAfterMs === undefined ? { dependency: outcome.dependency } : { dependency: outcome.dependency, retryAfterMs: outcome.retryAfterMs }
    }
  } else {
    reason = errorText(result.error)
    if (isPermanent(result.error)) return { kind: 'park', reason }
    dependency = dependencyOf(result.error)
  }
  // The budget runs from the first failure of any kind, so an outage spent paused counts too.
  const firstFailureMs = state.firstFailureMs ?? clock.nowMs
  if (clock.nowMs - firstFailureMs > policy.budgetMs) {
    const attempts = `${state.attempt} attempt${state.attempt === 1 ? '' : 's'}`
    return { kind: 'park', reason: `retry budget of ${formatDuration(policy.budgetMs)} exhausted after ${attempts}: ${reason}` }
  }
  if (dependency !== undefined) return { kind: 'hold', ...dependency, reason, firstFailureMs }
  // The last delay repeats until the budget is spent.
  const tierMs = policy.delaysMs[Math.min(state.attempt, policy.delaysMs.length) - 1] as number
  return {
    kind: 'retry',
    tierMs,
    delayMs: jittered(tierMs, policy.jitter, clock.random),
    nextAttempt: state.attempt + 1,
    reason,
    firstFailureMs,
  }
}
