// The in-process transport: the same routing, acks, retries and dead letters as the RabbitMQ
// transport, for `pnpm start` on a laptop and for fast service tests. Must never be used in
// production: nothing here survives a restart.
import { encodeEvent, identifyEvent, validateEvent, type AnyEvent } from '@gassistant/contracts'
import { runDelivery } from '../delivery.js'
import { BrokerUnavailableError, PublishRejectedError } from '../errors.js'
import { silentLogger, type BusLogger } from '../logger.js'
import type { Action } from '../outcome.js'
import { subscriptionMetrics, type SubscriptionMetrics } from '../metrics.js'
import { createPause, type Pause } from '../pause.js'
import { deadQueueName, queueName, resolveRetryPolicy, serviceTopology } from '../topology.js'
import {
  DEFAULT_PREFETCH,
  DEFAULT_PROBE_INTERVAL_MS,
  type Bus,
  type Handler,
  type ParkedMessage,
  type QueueBound,
  type QueueSpec,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from '../types.js'
import { createMemoryDeadLetters } from './dead-letters.js'
import { topicMatches } from './topic.js'

export interface MemoryBusOptions {
  /** Default: silent. */
  readonly log?: BusLogger
  /** Clock for `parkedAt`. Default: the system clock. */
  readonly now?: () => Date
  /** Service queues that exist from the start, as with the RabbitMQ transport's option. Default: none. */
  readonly declare?: readonly QueueSpec[]
}

export interface Message {
  readonly body: Buffer
  readonly attempt: number
  /** Epoch ms of the first failure, as the RabbitMQ transport's header. */
  readonly firstFailureMs?: number
}

interface Consumer {
  readonly handler: Handler
  readonly prefetch: number
  readonly policy: RetryPolicy
  readonly inFlight: Set<Promise<void>>
  readonly pause: Pause
  readonly metrics: SubscriptionMetrics | undefined
  active: boolean
}

export interface ServiceQueue {
  readonly service: string
  readonly bindings: Set<string>
  /** As `x-max-length(-bytes)` with overflow reject-publish: a full queue refuses the publish. */
  readonly bound: QueueBound
  readonly ready: Message[]
  readonly consumers: Consumer[]
  readonly dead: ParkedMessage[]
  nextConsumer: number
}

const DEFAULT_DEADLINE_MS = 10_000

function eventFacts(body: Buffer): { eventId: string; type: string } {
  const { id = '', type = '' } = identifyEvent(body)
  return { eventId: id, type }
}

export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const log = options.log ?? silentLogger
  const now = options.now ?? (() => new Date())
  const queues = new Map<string, ServiceQueue>()
  const retryTimers = new Set<NodeJS.Timeout>()
  const closing = new AbortController()
  let closed = false

  function declareQueue(spec: QueueSpec): ServiceQueue {
    const { bindings, bound } = serviceTopology(spec)
    const { service } = spec
    let queue = queues.get(service)
    if (queue === undefined) {
      queue = { service, bindings: new Set(), bound, ready: [], consumers: [], dead: [], nextConsumer: 0 }
      queues.set(service, queue)
    }
    // Bindings accumulate on the queue and outlive the consumer, as they do on a broker.
    for (const binding of bindings) queue.bindings.add(binding)
    return queue
  }
  for (const spec of options.declare ?? []) declareQueue(spec)

  /** As a quorum queue: refuses once it is over the bound, so it holds one message past it. */
  function isFull(queue: ServiceQueue): boolean {
    const bytes = queue.ready.reduce((sum, message) => sum + message.body.length, 0)
    return queue.ready.length > queue.bound.maxLength || bytes > queue.bound.maxLengthBytes
  }

  function dispatch(queue: ServiceQueue): void {
    while (queue.ready.length > 0) {
      const consumer = pickConsumer(queue)
      if (consumer === undefined) return
      const message = queue.ready.shift() as Message
      const work = deliver(queue, consumer, message)
        .catch((error: unknown) => log.error({ service: queue.service, err: error }, 'in-process delivery failed'))
        .finally(() => {
          consumer.inFlight.delete(work)
          dispatch(queue)
        })
      consumer.inFlight.add(work)
    }
  }

  // Round-robin over consumers with room under their prefetch, as RabbitMQ spreads work over replicas.
  function pickConsumer(queue: ServiceQueue): Consumer | undefined {
    const count = queue.consumers.length
    for (let i = 0; i < count; i++) {
      const consumer = queue.consumers[(queue.nextConsumer + i) % count]
      if (consumer?.active && !consumer.pause.isPaused() && consumer.inFlight.size < consumer.prefetch) {
        queue.nextConsumer = (queue.nextConsumer + i + 1) % count
        return consumer
      }
    }
    return undefined
  }

  async function deliver(queue: ServiceQueue, consumer: Consumer, message: Message): Promise<void> {
    // Deliver on a later tick, as a broker would: a publisher never runs its own consumers inline.
    await new Promise<void>((resolve) => setImmediate(resolve))
    const action = await runDelivery({
      body: message.body,
      attempt: message.attempt,
      firstFailureMs: message.firstFailureMs,
      service: queue.service,
      handler: consumer.handler,
      policy: consumer.policy,
      signal: closing.signal,
      log,
      now,
      record: consumer.metrics?.record,
    })
    await apply(queue, consumer, message, action)
  }

  async function apply(queue: ServiceQueue, consumer: Consumer, message: Message, action: Action): Promise<void> {
    if (action.kind === 'ack') return
    if (action.kind === 'hold') {
      // Paused first, so the kept message goes to another replica or waits for the resume.
      await consumer.pause.hold(action.dependency, action.reason, action.retryAfterMs)
      queue.ready.push({ body: message.body, attempt: message.attempt, firstFailureMs: action.firstFailureMs })
      dispatch(queue)
      return
    }
    if (action.kind === 'park') {
      queue.dead.push({
        ...eventFacts(message.body),
        reason: action.reason,
        attempts: message.attempt,
        parkedAt: now().toISOString(),
        body: message.body,
      })
      return
    }
    // A retry waits as it would in `<service>.retry.<ms>`; on close it is dropped with the process.
    const timer = setTimeout(() => {
      retryTimers.delete(timer)
      queue.ready.push({ body: message.body, attempt: action.nextAttempt, firstFailureMs: action.firstFailureMs })
      dispatch(queue)
    }, action.delayMs)
    retryTimers.add(timer)
  }

  const deadLetters = createMemoryDeadLetters(queues, dispatch)

  async function waitForConsumers(consumers: readonly Consumer[], deadlineMs: number): Promise<void> {
    const inFlight = consumers.flatMap((consumer) => [...consumer.inFlight])
    if (inFlight.length === 0) return
    if (!Number.isFinite(deadlineMs)) {
      await Promise.allSettled(inFlight)
      return
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs)
    })
    await Promise.race([Promise.allSettled(inFlight), deadline])
    clearTimeout(timer)
  }

  return {
    async publish(events) {
      if (closed) throw new BrokerUnavailableError('bus is closed')
      const list: readonly AnyEvent[] = Array.isArray(events) ? events : [events as AnyEvent]
      // Validate the whole batch first: a batch is accepted entirely or not at all.
      const bodies = list.map((event) => {
        const result = validateEvent(event)
        if (!result.ok) throw result.error
        return { type: result.event.type, body: encodeEvent(result.event) }
      })
      for (const { type, body } of bodies) {
        let refused = false
        for (const queue of queues.values()) {
          if (![...queue.bindings].some((pattern) => topicMatches(pattern, type))) continue
          // As RabbitMQ: the other bound queues still get the event; the publisher hears of the refusal.
          if (isFull(queue)) refused = true
          else {
            queue.ready.push({ body, attempt: 1 })
            dispatch(queue)
          }
        }
        if (refused) throw new PublishRejectedError()
      }
    },

    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      if (closed) throw new BrokerUnavailableError('bus is closed')
      const policy = resolveRetryPolicy(subscribeOptions.retry)
      const queue = declareQueue(subscribeOptions)
      const metrics = subscriptionMetrics(subscribeOptions.metrics, queue.service, async () => ({
        [queueName(queue.service)]: queue.ready.length,
        [deadQueueName(queue.service)]: queue.dead.length,
      }))
      const consumer: Consumer = {
        handler: subscribeOptions.handler,
        prefetch: subscribeOptions.prefetch ?? DEFAULT_PREFETCH,
        policy,
        inFlight: new Set(),
        pause: createPause({
          service: queue.service,
          probes: subscribeOptions.probes ?? {},
          intervalMs: subscribeOptions.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
          jitter: policy.jitter,
          log,
          // Deliveries check the pause themselves (pickConsumer); resuming only needs a dispatch.
          stopConsuming: async () => undefined,
          resumeConsuming: async () => dispatch(queue),
          onChange: (paused) => metrics?.paused(paused),
        }),
        metrics,
        active: true,
      }
      queue.consumers.push(consumer)
      const owner = queue
      dispatch(owner)
      return {
        async cancel() {
          consumer.active = false
          consumer.pause.stop()
          consumer.metrics?.close()
          const index = owner.consumers.indexOf(consumer)
          if (index >= 0) owner.consumers.splice(index, 1)
          await waitForConsumers([consumer], Number.POSITIVE_INFINITY)
        },
      }
    },

    deadLetters,

    isReady: () => !closed,

    async close(closeOptions) {
      if (closed) return
      closed = true
      const consumers = [...queues.values()].flatMap((queue) => queue.consumers)
      for (const consumer of consumers) {
        consumer.active = false
        consumer.pause.stop()
      }
      const deadlineMs = closeOptions?.deadlineMs ?? DEFAULT_DEADLINE_MS
      await waitForConsumers(consumers, deadlineMs)
      // Past the deadline, tell handlers still running to give up; their messages are lost with the process.
      closing.abort(new BrokerUnavailableError('bus closed before the handler finished'))
      for (const timer of retryTimers) clearTimeout(timer)
      retryTimers.clear()
    },
  }
}
