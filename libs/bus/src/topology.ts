// Queue names and arguments for one consuming service: the topology as data, in one place, so the
// RabbitMQ transport, the in-process transport, the operator commands and deploy/ definitions agree.
// Must never talk to a broker.
import type { RetryPolicy } from './types.js'

export type QueueType = 'quorum' | 'classic'

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

export function assertRetryPolicy(policy: RetryPolicy): void {
  for (const delay of policy.delaysMs) {
    if (!Number.isInteger(delay) || delay < 1) throw new TypeError(`retry delays must be whole milliseconds ≥ 1: ${delay}`)
  }
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
}

/**
 * How many times RabbitMQ may hand out one message before it gives up on it. Only a consumer that
 * crashes or loses its connection mid-message returns a message without an outcome, so reaching this
 * means the message probably kills its consumer: the broker parks it instead of looping forever.
 */
export const CRASH_DELIVERY_LIMIT = 10

export function serviceTopology(
  service: string,
  bindings: readonly string[],
  policy: RetryPolicy,
  queueType: QueueType,
): ServiceTopology {
  const type = { 'x-queue-type': queueType }
  const main: QueueDeclaration = {
    name: queueName(service),
    arguments:
      queueType === 'quorum'
        ? {
            ...type,
            'x-delivery-limit': CRASH_DELIVERY_LIMIT,
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': deadQueueName(service),
            // At-least-once dead-lettering (RabbitMQ ≥ 3.10) needs reject-publish overflow.
            'x-dead-letter-strategy': 'at-least-once',
            'x-overflow': 'reject-publish',
          }
        : type,
  }
  const delays = [...new Set(policy.delaysMs)]
  const retries = delays.map((delay) => ({
    name: retryQueueName(service, delay),
    // A queue per delay: a TTL shared by the whole queue never blocks a short delay behind a long one.
    arguments: {
      ...type,
      'x-message-ttl': delay,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queueName(service),
      ...(queueType === 'quorum' ? { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } : {}),
    },
  }))
  return { main, retries, dead: { name: deadQueueName(service), arguments: type }, bindings }
}

/** A service's queue and bindings, declared ahead of its consumer. */
export interface QueueSpec {
  readonly service: string
  readonly bindings: readonly string[]
}

/**
 * Who consumes what (DESIGN.md, "Events"). A publisher that declares these at start makes sure an event
 * published before its consumer first started waits in that consumer's queue instead of being dropped
 * as unroutable — which a topic exchange does silently.
 */
export const HUB_QUEUES: readonly QueueSpec[] = Object.freeze([
  { service: 'lead-processor', bindings: ['inbound.meta.leadgen.v1', 'inbound.whatsapp.message.v1', 'inbound.form.submitted.v1'] },
  { service: 'scoring', bindings: ['inbound.whatsapp.message.v1', 'inbound.odoo.lead.v1', 'lead.synced.v1'] },
  {
    service: 'workflow-rules',
    bindings: [
      'inbound.odoo.lead.v1',
      'inbound.odoo.lead.message_posted.v1',
      'inbound.odoo.order.v1',
      'lead.synced.v1',
      'lead.rejected.v1',
      'lead.scored.v1',
    ],
  },
  { service: 'notifier', bindings: ['notification.requested.v1'] },
])
