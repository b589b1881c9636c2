// RabbitMQ test plumbing: names unique per run, and removal of everything a test declared.
import { randomBytes } from 'node:crypto'
import amqplib from 'amqplib'
import type { Test } from 'tap'
import { DEFAULT_RETRY, createAmqpBus, deadQueueName, queueName, retryQueueName, type AmqpBusOptions, type Bus } from '../../src/index.js'

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'

/** Every retry delay any test uses, so cleanup finds every retry queue. */
const ALL_DELAYS = [...new Set([20, 40, 50, ...DEFAULT_RETRY.delaysMs])]

export interface RabbitScope {
  readonly exchange: string
  service(label: string): string
  /** A bus on this scope's exchange, closed at teardown. */
  bus(options?: Partial<AmqpBusOptions>): Promise<Bus>
  /** A raw channel for arranging what the bus would never do (invalid bodies, conflicting queues). */
  channel(): Promise<amqplib.Channel>
}

export async function rabbitScope(t: Test, amqpUrl = AMQP_URL): Promise<RabbitScope> {
  const run = randomBytes(4).toString('hex')
  const exchange = `test.events.${run}`
  const services = new Set<string>()
  const connection = await amqplib.connect(amqpUrl)
  // A test may force-close every connection on the broker, this one included: a closed helper
  // connection must not crash the test process, and cleanup opens its own.
  connection.on('error', () => undefined)
  const buses: Bus[] = []

  t.teardown(async () => {
    for (const bus of buses) await bus.close({ deadlineMs: 200 })
    await connection.close().catch(() => undefined)
    const cleanup = await amqplib.connect(amqpUrl)
    const channel = await cleanup.createChannel()
    for (const service of services) {
      for (const queue of [queueName(service), deadQueueName(service), ...ALL_DELAYS.map((d) => retryQueueName(service, d))]) {
        await channel.deleteQueue(queue)
      }
    }
    await channel.deleteExchange(exchange)
    await cleanup.close()
  })

  return {
    exchange,
    service(label) {
      const name = `t${run}-${label}`
      services.add(name)
      return name
    },
    async bus(options = {}) {
      const bus = await createAmqpBus({ url: amqpUrl, exchange, connectTimeoutMs: 3_000, ...options })
      buses.push(bus)
      return bus
    },
    async channel() {
      const channel = await connection.createChannel()
      channel.on('error', () => undefined)
      return channel
    },
  }
}

// The vhost helper is shared with other packages' tests.
export { rabbitVhost, rabbitmqctl } from '@gassistant/test-support'
