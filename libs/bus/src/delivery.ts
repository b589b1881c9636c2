// Handles one delivery the same way in both transports: decode and validate the body against its
// contract, run the handler, log one line with the facts ops need, and return the action to take.
// Must never ack, publish or log event data (personal data lives there).
import { identifyEvent, parseEvent } from '@gassistant/contracts'
import type { BusLogger } from './logger.js'
import { decide, type Action, type HandlerResult } from './outcome.js'
import type { Handler, RetryPolicy } from './types.js'

/** The label a handled event is counted under, in logs and metrics. */
export type OutcomeLabel = 'done' | 'retry' | 'unavailable' | 'park'

export interface DeliveryInput {
  readonly body: Buffer
  readonly attempt: number
  /** When the message first failed (epoch ms), if it did. */
  readonly firstFailureMs?: number | undefined
  readonly service: string
  readonly handler: Handler
  readonly policy: RetryPolicy
  readonly signal: AbortSignal
  readonly log: BusLogger
  readonly now: () => Date
  readonly random?: () => number
  /** Called once per delivery with its outcome and handling time. */
  readonly record?: ((outcome: OutcomeLabel, seconds: number) => void) | undefined
}

const LABELS: Record<Action['kind'], OutcomeLabel> = { ack: 'done', retry: 'retry', hold: 'unavailable', park: 'park' }

const EMAIL = /([^\s@"'<>:;,()]{1,2})[^\s@"'<>:;,()]*@([^\s@"'<>:;,()]+)/g
const DIGITS = /\+?\d[\d\s-]{5,}(\d{4})/g

/**
 * A failure reason may quote what Odoo or the Graph API said about a record, emails and phone numbers
 * included: logs get it masked (the parked message keeps the whole reason for the operator).
 */
export function maskReason(reason: string): string {
  return reason.replace(EMAIL, '$1***@$2').replace(DIGITS, '***$1')
}

/** What a body that failed its contract still says about itself, as log fields, so its line can be found. */
function identify(body: Buffer): Record<string, string> {
  const { id, type, correlationid } = identifyEvent(body)
  return { ...(id === undefined ? {} : { event_id: id }), ...(type === undefined ? {} : { type }), ...(correlationid === undefined ? {} : { correlation_id: correlationid }) }
}

export async function runDelivery(input: DeliveryInput): Promise<Action> {
  const { body, attempt, service, log } = input
  const started = performance.now()
  const parsed = parseEvent(body)
  if (!parsed.ok) {
    // Bad data never improves with time: park at once, with the field that failed.
    const reason = `invalid event: ${parsed.error.message}`
    log.warn({ service, ...identify(body), attempt, outcome: 'park', reason: maskReason(reason), duration_ms: 0 }, 'invalid event parked')
    input.record?.('park', 0)
    return { kind: 'park', reason }
  }
  const event = parsed.event
  let result: HandlerResult
  try {
    result = { outcome: await input.handler(event, { attempt, service, signal: input.signal }) }
  } catch (error) {
    result = { error }
  }
  const nowMs = input.now().getTime()
  const action = decide(result, { attempt, firstFailureMs: input.firstFailureMs }, input.policy, { nowMs, random: input.random ?? Math.random })
  const durationMs = performance.now() - started
  const outcome = LABELS[action.kind]
  input.record?.(outcome, durationMs / 1_000)
  const fields = {
    service,
    event_id: event.id,
    type: event.type,
    correlation_id: event.correlationid ?? event.id,
    attempt,
    outcome,
    duration_ms: Math.round(durationMs * 10) / 10,
    ...(action.kind === 'ack' ? {} : { reason: maskReason(action.reason) }),
    ...(action.kind === 'retry' || action.kind === 'hold' ? { failing_for_ms: nowMs - action.firstFailureMs } : {}),
    ...(action.kind === 'retry' ? { retry_in_ms: action.delayMs } : {}),
    ...(action.kind === 'hold' ? { dependency: action.dependency } : {}),
  }
  if (action.kind === 'park') log.error(fields, 'event parked on the dead-letter queue')
  else if (action.kind === 'retry') log.warn(fields, 'event handling failed, will retry')
  else if (action.kind === 'hold') log.warn(fields, 'dependency unavailable, event kept for later')
  else log.info(fields, 'event handled')
  return action
}
