// The RabbitMQ transport. amqp-connection-manager owns reconnection and re-runs every channel's
// setup after a reconnect; this file adds what the Bus contract promises on top: validated,
// confirmed publishes that fail fast while the broker is away, and an orderly close.
// Must never log the broker URL's credentials or message bodies.
import { encodeEvent, validateEvent, type AnyEvent } from '@gassistant/contracts'
import { AmqpConnectionManagerClass, type ChannelWrapper } from 'amqp-connection-manager'
import type { ConfirmChannel } from 'amqplib'
import type { Socket } from 'node:net'
import { BrokerUnavailableError, PublishRejectedError, PublishTimeoutError, TopologyError, type BusError } from '../errors.js'
import { silentLogger, type BusLogger } from '../logger.js'
import { serviceTopology } from '../topology.js'
import { EXCHANGE, type Bus, type QueueSpec } from '../types.js'
import { startConsumer, type AmqpConsumer } from './consumer.js'
import { createAmqpDeadLetters } from './dead-letters.js'
import { IRRECOVERABLE_CODES, brokerReason, describeBroker, publishProperties, replyCode } from './wire.js'

export interface AmqpBusOptions {
  /** `amqp://user:pass@host:5672/vhost`. */
  readonly url: string
  /** Default: silent. */
  readonly log?: BusLogger
  /** Topic exchange all events go through. Default `gassistant.events`; tests use a unique one. */
  readonly exchange?: string
  /** How long a publish waits for the broker's confirm. Default 10 000 ms. */
  readonly publishTimeoutMs?: number
  /** How long creation waits for the first connection and declarations. Default 10 000 ms. */
  readonly connectTimeoutMs?: number
  /** AMQP heartbeat, which is also how fast a dead connection is noticed. Default 5 s. */
  readonly heartbeatSeconds?: number
  /** Pause between reconnect attempts; fractions allowed. Default 1 s. */
  readonly reconnectSeconds?: number
  /** Shown in the broker's connection list. Default `gassistant`. */
  readonly connectionName?: string
  /** Clock for `parkedAt`. Default: the system clock. */
  readonly now?: () => Date
  /**
   * Service queues to declare at connect, before any consumer exists (e.g. `Object.values(HUB_TOPOLOGY)` in
   * the ingress), so nothing published early is dropped as unroutable. Default: none.
   */
  readonly declare?: readonly QueueSpec[]
}

const DEFAULT_DEADLINE_MS = 10_000

interface Pending {
  readonly reject: (error: BusError) => void
}

/** Connects (waiting up to `connectTimeoutMs`) and declares the exchange; rejects with BrokerUnavailableError otherwise. */
export async function createAmqpBus(options: AmqpBusOptions): Promise<Bus> {
  const log = options.log ?? silentLogger
  const exchange = options.exchange ?? EXCHANGE
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  const broker = describeBroker(options.url)
  // Checked before connecting: a bad declaration is a programming error, not an outage.
  const declared = (options.declare ?? []).map(serviceTopology)
  const manager = new AmqpConnectionManagerClass([options.url], {
    heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
    reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
    connectionOptions: {
      clientProperties: { connection_name: options.connectionName ?? 'gassistant' },
      // amqplib leaves Nagle's algorithm on; with it a lone publish waits ~40 ms for its confirm.
      noDelay: true,
      // Bounds the TCP + AMQP handshake: a half-open network must not hang a reconnect attempt forever.
      timeout: connectTimeoutMs,
    },
  })
  let publisherReady = false
  /** The publisher's raw channel while it is open: tells a nack from a channel that went away. */
  let publisherChannel: ConfirmChannel | undefined
  let closed = false
  const pending = new Set<Pending>()
  const consumers = new Set<AmqpConsumer>()
  const closing = new AbortController()

  manager.on('connect', () => log.info({ broker }, 'connected to message broker'))
  manager.on('disconnect', ({ err }: { err?: Error }) => {
    publisherReady = false
    // Confirms for messages in flight will never come on this connection: fail them now so callers
    // (the ingress answering 503) need not wait for the timeout. The message may or may not be queued.
    for (const entry of pending) entry.reject(new BrokerUnavailableError('connection to message broker lost'))
    pending.clear()
    if (!closed) log.warn({ broker, err: err?.message }, 'lost connection to message broker, reconnecting')
  })
  manager.on('connectFailed', ({ err }: { err?: Error }) => {
    log.warn({ broker, err: err?.message }, 'could not connect to message broker, will retry')
  })

  const publisher: ChannelWrapper = manager.createChannel({
    name: 'publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    setup: async (channel: ConfirmChannel) => {
      // Unhandled, a channel error would take the whole connection down (amqplib's default).
      channel.on('error', () => undefined)
      await channel.assertExchange(exchange, 'topic', { durable: true })
      for (const topology of declared) {
        for (const queue of [topology.main, ...topology.retries, topology.dead]) {
          await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments })
        }
        for (const binding of topology.bindings) await channel.bindQueue(topology.main.name, exchange, binding)
      }
      publisherChannel = channel
      channel.once('close', () => {
        if (publisherChannel === channel) publisherChannel = undefined
      })
    },
  })
  publisher.on('connect', () => {
    publisherReady = true
  })
  publisher.on('error', (error: unknown) => {
    log.error({ broker, code: replyCode(error), err: error instanceof Error ? error.message : String(error) }, 'exchange setup failed')
  })

  try {
    await manager.connect({ timeout: connectTimeoutMs })
    await Promise.race([
      publisher.waitForConnect(),
      new Promise<never>((_resolve, reject) => publisher.once('error', reject)),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('exchange setup timed out')), connectTimeoutMs).unref()),
    ])
  } catch (error) {
    closed = true
    await publisher.close().catch(() => undefined)
    await manager.close().catch(() => undefined)
    const code = replyCode(error)
    if (code !== undefined && IRRECOVERABLE_CODES.has(code)) {
      throw new TopologyError(`broker refused exchange ${exchange} or a declared queue: ${brokerReason(error)}`, { cause: error })
    }
    throw new BrokerUnavailableError(`message broker unavailable at ${broker}`, { cause: error })
  }

  /**
   * Why a publish that did not time out was refused, read from the state of the channel it went out
   * on (amqplib's errors carry no code to tell): still open means the broker nacked it (e.g. a full
   * queue with overflow reject-publish); closed means the channel or connection went away. The
   * channel's close listeners run before the rejection reaches us, so the state is already current.
   */
  function refusal(error: unknown): BusError {
    return publisherChannel !== undefined && manager.isConnected()
      ? new PublishRejectedError(undefined, { cause: error })
      : new BrokerUnavailableError('connection to message broker lost', { cause: error })
  }

  function publishOne(event: AnyEvent, body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const settle = (error?: BusError): void => {
        if (settled) return
        settled = true
        pending.delete(entry)
        clearTimeout(timer)
        if (error === undefined) resolve()
        else reject(error)
      }
      const entry: Pending = { reject: settle }
      pending.add(entry)
      // Our own timer, started before the channel wrapper's equal one, so it fires first: a timeout
      // is known as one by construction, not by the wrapper's error text.
      const timer = setTimeout(() => settle(new PublishTimeoutError()), publishTimeoutMs)
      publisher.publish(exchange, event.type, body, publishProperties(event, publishTimeoutMs)).then(
        () => settle(),
        (error: unknown) => settle(refusal(error)),
      )
    })
  }

  // amqplib writes each message to the socket by itself, one syscall and TCP segment each, in a
  // setImmediate after the publish. Corking the socket until that write is done sends the publishes of
  // every request handled in this turn of the event loop in one write, which the broker reads, journals
  // and confirms as one batch (quorum queue, 50 publishes in flight: ~1.4x the confirms per second).
  let corked = false
  function writeTogether(): void {
    const socket = (manager.connection?.connection as { stream?: Socket } | undefined)?.stream
    if (corked || typeof socket?.cork !== 'function') return
    corked = true
    socket.cork()
    // Queued after amqplib's own setImmediate (scheduled on the nextTick its buffer turned readable).
    process.nextTick(() =>
      setImmediate(() => {
        corked = false
        socket.uncork()
      }),
    )
  }

    const isReady = (): boolean => !closed && publisherReady && publisherChannel !== undefined && manager.isConnected()

  return {
    async publish(events) {
      const list: readonly AnyEvent[] = Array.isArray(events) ? events : [events as AnyEvent]
      const bodies = list.map((event) => {
        const result = validateEvent(event)
        if (!result.ok) throw result.error
        return { event: result.event, body: encodeEvent(result.event) }
      })
      // Fail fast rather than queue in memory: the caller must not believe an event is safe yet.
      if (!isReady()) throw new BrokerUnavailableError(closed ? 'bus is closed' : undefined)
      const confirmed = Promise.all(bodies.map(({ event, body }) => publishOne(event, body)))
      writeTogether()
      await confirmed
    },

    async subscribe(subscribeOptions) {
      if (closed) throw new BrokerUnavailableError('bus is closed')
      const consumer = await startConsumer(
        { manager, exchange, log, now: options.now ?? (() => new Date()), closing: closing.signal, setupTimeoutMs: connectTimeoutMs },
        subscribeOptions,
      )
      consumers.add(consumer)
      return {
        async cancel() {
          consumers.delete(consumer)
          await consumer.stop(Number.POSITIVE_INFINITY)
        },
      }
    },

    deadLetters: createAmqpDeadLetters(manager, log),

    isReady,

    async close(closeOptions) {
      if (closed) return
      closed = true
      const deadlineMs = closeOptions?.deadlineMs ?? DEFAULT_DEADLINE_MS
      const stopping = Promise.all([...consumers].map((consumer) => consumer.stop(deadlineMs)))
      // Handlers still running at the deadline are told to give up; their messages are redelivered.
      const abort = setTimeout(() => closing.abort(new BrokerUnavailableError('bus closed before the handler finished')), deadlineMs)
      await stopping
      clearTimeout(abort)
      consumers.clear()
      await publisher.close().catch(() => undefined)
      await manager.close()
      log.info({ broker }, 'message broker connection closed')
    },
  }
}
