// One subscription on RabbitMQ: declares the service's queues, consumes, and turns each handler
// outcome into ack, a copy on `<service>.retry.<ms>`, a copy back on `<service>` while the consumer
// pauses (dependency unavailable), or a copy on `<service>.dead` — the copy is confirmed before the
// original is acked, so a crash in between duplicates a message, never loses one.
// Must never ack on a channel other than the one that delivered (the broker would close it).
import type { AmqpConnectionManagerClass, ChannelWrapper } from 'amqp-connection-manager'
import type { ConfirmChannel, ConsumeMessage } from 'amqplib'
import { runDelivery } from '../delivery.js'
import { TopologyError } from '../errors.js'
import type { BusLogger } from '../logger.js'
import type { Action } from '../outcome.js'
import { subscriptionMetrics } from '../metrics.js'
import { createPause } from '../pause.js'
import { retryQueueName, serviceTopology } from '../topology.js'
import { DEFAULT_PREFETCH, DEFAULT_PROBE_INTERVAL_MS, type SubscribeOptions } from '../types.js'
import {
  Header,
  IRRECOVERABLE_CODES,
  baseHeaders,
  boundReason,
  brokerReason,
  copyProperties,
  publishConfirmed,
  readAttempt,
  readFirstFailure,
  replyCode,
} from './wire.js'

const DEPTH_TIMEOUT_MS = 2_000

export interface ConsumerDeps {
  readonly manager: AmqpConnectionManagerClass
  readonly exchange: string
  readonly log: BusLogger
  readonly now: () => Date
  /** Aborted when the bus gives up waiting for handlers at close. */
  readonly closing: AbortSignal
  /** How long subscribe waits for the first declaration when connected. */
  readonly setupTimeoutMs: number
}

export interface AmqpConsumer {
  /** Stops new deliveries; waits for in-flight handlers up to the deadline; closes the channel. */
  stop(deadlineMs: number): Promise<void>
}

export async function startConsumer(deps: ConsumerDeps, options: SubscribeOptions): Promise<AmqpConsumer> {
  const { service } = options
  const topology = serviceTopology(options)
  const policy = topology.retry
  const prefetch = options.prefetch ?? DEFAULT_PREFETCH
  const { log } = deps
  const inFlight = new Set<Promise<void>>()
  /** The channel of the current connection, whether or not we consume on it right now. */
  let channel: ConfirmChannel | undefined
  let consumerTag: string | undefined
  let stopping = false
  // Consuming starts and stops from setup (reconnects), pauses and resumes: one at a time.
  let transitions: Promise<void> = Promise.resolve()
  const serially = (step: () => Promise<void>): Promise<void> => (transitions = transitions.then(step, step))

  async function consume(): Promise<void> {
    const current = channel
    if (current === undefined || consumerTag !== undefined || stopping || pause.isPaused()) return
    const { consumerTag: tag } = await current.consume(topology.main.name, (message) => onMessage(current, message), { noAck: false })
    if (channel === current) consumerTag = tag
  }

  async function cancel(): Promise<void> {
    const current = channel
    const tag = consumerTag
    consumerTag = undefined
    // Already delivered messages stay ours to settle on this channel; the broker sends no new ones.
    if (current !== undefined && tag !== undefined) await current.cancel(tag).catch(() => undefined)
  }

  const metrics = subscriptionMetrics(options.metrics, topology.main.name, readDepth)

  /**
   * Ready messages in the service and dead queues: two passive declares on a short-lived channel, per
   * scrape. A broker that does not answer within DEPTH_TIMEOUT_MS must not hold the scrape up.
   */
  async function readDepth(): Promise<Record<string, number>> {
    const connection = deps.manager.connection
    if (connection === undefined) return {}
    const probe = await connection.createChannel()
    probe.on('error', () => undefined)
    let timer: NodeJS.Timeout | undefined
    try {
      const read = Promise.all([probe.checkQueue(topology.main.name), probe.checkQueue(topology.dead.name)])
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('queue depth not read in time')), DEPTH_TIMEOUT_MS)
      })
      const [main, dead] = await Promise.race([read, timeout])
      return { [topology.main.name]: main.messageCount, [topology.dead.name]: dead.messageCount }
    } finally {
      clearTimeout(timer)
      await probe.close().catch(() => undefined)
    }
  }

  const pause = createPause({
    service,
    probes: options.probes ?? {},
    intervalMs: options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
    jitter: policy.jitter,
    log,
    stopConsuming: () => serially(cancel),
    resumeConsuming: () => serially(consume),
    onChange: (paused) => metrics?.paused(paused),
  })

  async function apply(channel: ConfirmChannel, message: ConsumeMessage, attempt: number, action: Action): Promise<void> {
    if (action.kind === 'retry') {
      const headers = {
        ...baseHeaders(message.properties),
        [Header.attempt]: action.nextAttempt,
        [Header.firstFailure]: action.firstFailureMs,
        [Header.lastError]: boundReason(action.reason),
      }
      // The tier queue has no TTL of its own: each copy expires after its own jittered delay.
      const properties = { ...copyProperties(message.properties, headers), expiration: String(action.delayMs) }
      await publishConfirmed(channel, '', retryQueueName(service, action.tierMs), message.content, properties)
    } else if (action.kind === 'hold') {
      // Stop consuming first, or the copy could come straight back to this consumer.
      await pause.hold(action.dependency, action.reason, action.retryAfterMs)
      // The same attempt: a dependency outage spends the time budget, not attempts.
      const headers = {
        ...baseHeaders(message.properties),
        [Header.attempt]: attempt,
        [Header.firstFailure]: action.firstFailureMs,
        [Header.lastError]: boundReason(action.reason),
      }
      await publishConfirmed(channel, '', topology.main.name, message.content, copyProperties(message.properties, headers))
    } else if (action.kind === 'park') {
      const headers = {
        ...baseHeaders(message.properties),
        [Header.attempt]: attempt,
        [Header.parkedReason]: boundReason(action.reason),
        [Header.parkedAt]: deps.now().toISOString(),
      }
      await publishConfirmed(channel, '', topology.dead.name, message.content, copyProperties(message.properties, headers))
    }
    channel.ack(message)
  }

  function onMessage(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (queue deleted): nothing to consume until the topology is declared again.
      log.warn({ service }, 'broker cancelled the consumer')
      return
    }
    const attempt = readAttempt(message.properties)
    const work = runDelivery({
      body: message.content,
      attempt,
      firstFailureMs: readFirstFailure(message.properties),
      service,
      handler: options.handler,
      policy,
      signal: deps.closing,
      log,
      now: deps.now,
      record: metrics?.record,
    })
      .then((action) => apply(channel, message, attempt, action))
      .catch((error: unknown) => {
        // Usually the channel closed under us; the unacked message returns to the queue by itself.
        log.warn({ service, err: error instanceof Error ? error.message : String(error) }, 'could not settle message, broker will redeliver')
      })
      .finally(() => inFlight.delete(work))
    inFlight.add(work)
  }

  // Re-run by amqp-connection-manager after every reconnect, on the new channel.
  async function setup(next: ConfirmChannel): Promise<void> {
    // amqplib turns an unhandled channel error into a connection error: a refused declaration here
    // would otherwise drop every other channel with it. The failed call reports the error itself.
    next.on('error', () => undefined)
    await next.assertExchange(deps.exchange, 'topic', { durable: true })
    for (const queue of [topology.main, ...topology.retries, topology.dead]) {
      await next.assertQueue(queue.name, { durable: true, arguments: queue.arguments })
    }
    for (const binding of topology.bindings) await next.bindQueue(topology.main.name, deps.exchange, binding)
    await next.prefetch(prefetch)
    next.once('close', () => {
      if (channel !== next) return
      channel = undefined
      consumerTag = undefined
    })
    channel = next
    consumerTag = undefined
    // Paused (a dependency is down) or stopping: the channel is ready, consuming waits for a resume.
    await serially(consume)
  }

  const connected = deps.manager.isConnected()
  const wrapper: ChannelWrapper = deps.manager.createChannel({ name: `consumer:${service}`, confirm: true, setup })
  // Setup failures after a reconnect are logged; the wrapper stays subscribed and tries on the next one.
  wrapper.on('error', (error: unknown) => {
    log.error({ service, code: replyCode(error), err: error instanceof Error ? error.message : String(error) }, 'queue setup failed')
  })
  // Connected now: report the first declaration's result to the caller. Not connected: the consumer
  // starts whenever the connection comes (back), as after any reconnect.
  if (connected) {
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, deps.setupTimeoutMs)
        wrapper.once('connect', () => {
          clearTimeout(timer)
          resolve()
        })
        wrapper.once('error', (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        })
      })
    } catch (error) {
      await wrapper.close().catch(() => undefined)
      const code = replyCode(error)
      if (code !== undefined && IRRECOVERABLE_CODES.has(code)) {
        throw new TopologyError(`broker refused the topology of ${service}: ${brokerReason(error)}`, { cause: error })
      }
      throw error
    }
  }

  return {
    async stop(deadlineMs) {
      stopping = true
      pause.stop()
      metrics?.close()
      await serially(cancel)
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined
        const deadline = Number.isFinite(deadlineMs)
          ? new Promise<void>((resolve) => {
              timer = setTimeout(resolve, deadlineMs)
            })
          : new Promise<void>(() => undefined)
        await Promise.race([Promise.allSettled([...inFlight]), deadline])
        clearTimeout(timer)
      }
      // Anything still unacked goes back to the queue when the channel closes.
      await wrapper.close().catch(() => undefined)
    },
  }
}
