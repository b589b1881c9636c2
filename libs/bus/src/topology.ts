// Queue names and arguments for one consuming service, derived from its QueueSpec (for the hub:
// HUB_TOPOLOGY in @gassistant/contracts), so the RabbitMQ transport, the in-process transport, the
// operator commands and deploy/rabbitmq/definitions.json agree. Must never talk to a broker.
import { DEFAULT_QUEUE_BOUND, DEFAULT_RETRY, type QueueBound, type QueueSpec, type QueueType, type RetryPolicy } from './types.js'

export const queueName = (service: string): string => service
export const retryQueueName = (service: string, delayMs: number): string => `${service}.retry.${delayMs}`
export const deadQueueName = (service: string): string => `${service}.dead`

/** Service names become queue names: keep them to what RabbitMQ and operators handle comfortably. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,99}$/

export function assertServiceName(service: string): void {
  if (!SERVICE_NAME.test(service)) {
    throw new TypeError(`service name must match ${SERVICE_NAME.source}: ${JSON.stringify(service)}`)
  }
}

/** A subscription's retry settings over the defaults, checked: a bad policy fails subscribe, not a retry. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...overrides }
  if (policy.delaysMs.length === 0) throw new TypeError('retry delays must not be empty')
  for (const delay of policy.delaysMs) {
    if (!Number.isInteger(delay) || delay < 1) throw new TypeError(`retry delays must be whole milliseconds ≥ 1: ${delay}`)
  }
  if (!Number.isFinite(policy.budgetMs) || policy.budgetMs < 0) throw new TypeError(`retry budget must be milliseconds ≥ 0: ${policy.budgetMs}`)
  if (!(policy.jitter >= 0 && policy.jitter < 1)) throw new TypeError(`retry jitter must be a fraction in [0, 1): ${policy.jitter}`)
  return policy
}

export function resolveBound(overrides: Partial<QueueBound> = {}): QueueBound {
  const bound: QueueBound = { ...DEFAULT_QUEUE_BOUND, ...overrides }
  for (const [name, value] of Object.entries(bound)) {
    if (!Number.isInteger(value) || value < 1) throw new TypeError(`queue bound ${name} must be a whole number ≥ 1: ${value}`)
  }
  return bound
}

export interface QueueDeclaration {
  readonly name: string
  readonly arguments: Readonly<Record<string, unknown>>
}

export interface ServiceTopology {
  readonly main: QueueDeclaration
  readonly retries: readonly QueueDeclaration[]
  readonly dead: QueueDeclaration
  readonly bindings: readonly string[]
  readonly retry: RetryPolicy
  readonly bound: QueueBound
}

/**
 * How many times RabbitMQ may hand out one message before it gives up on it. Only a consumer that
 * crashes or loses its connection mid-message returns a message without an outcome, so reaching this
 * means the message probably kills its consumer: the broker parks it instead of looping forever.
 */
export const CRASH_DELIVERY_LIMIT = 10

/** Everything RabbitMQ must hold for one service, with the arguments its queues are declared with. */
export function serviceTopology(spec: QueueSpec): ServiceTopology {
  const { service } = spec
  assertServiceName(service)
  const retry = resolveRetryPolicy(spec.retry)
  const bound = resolveBound(spec.bound)
  const queueType: QueueType = spec.queueType ?? 'quorum'
  const type = { 'x-queue-type': queueType }
  const quorum = queueType === 'quorum'
  // At-least-once dead-lettering (quorum, RabbitMQ ≥ 3.10) needs reject-publish overflow; the bound
  // needs it too, so a full queue refuses the publisher (a nack) instead of dropping its oldest events.
  const safeDeadLettering = quorum ? { 'x-dead-letter-strategy': 'at-least-once' } : {}
  const main: QueueDeclaration = {
    name: queueName(service),
    arguments: {
      ...type,
      ...(quorum ? { 'x-delivery-limit': CRASH_DELIVERY_LIMIT } : {}),
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadQueueName(service),
      ...safeDeadLettering,
      'x-overflow': 'reject-publish',
      'x-max-length': bound.maxLength,
      'x-max-length-bytes': bound.maxLengthBytes,
    },
  }
  const retries = [...new Set(retry.delaysMs)].map((delay) => ({
    name: retryQueueName(service, delay),
    // A queue per delay tier, so a short delay never waits behind a long one. Each copy carries its own
    // jittered `expiration`; RabbitMQ expires messages at the head only, so one may wait up to the
    // jitter spread (±20% of the tier) behind a longer one published just before it.
    arguments: {
      ...type,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queueName(service),
      ...safeDeadLettering,
      ...(quorum ? { 'x-overflow': 'reject-publish' } : {}),
    },
  }))
  // Unbounded: a refused park would leave the message unsettled on its consumer. Operators watch its depth.
  const dead = { name: deadQueueName(service), arguments: type }
  return { main, retries, dead, bindings: [...spec.bindings], retry, bound }
}
