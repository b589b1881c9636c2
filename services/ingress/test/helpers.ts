// Test helpers: the app built against the real RabbitMQ on a unique exchange, a queue that records
// everything reaching that exchange, a TCP proxy to take "the broker" away, and condition polling.
import { createHmac, randomBytes } from 'node:crypto'
import net from 'node:net'
import { createAmqpBus, type Bus } from '@gassistant/bus'
import { createLogger, createMetrics, type Logger } from '@gassistant/runtime'
import amqp from 'amqplib'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { Writable } from 'node:stream'
import { buildApp } from '../src/app.js'
import type { IngressConfig } from '../src/config.js'

// The shared fixtures and the one polling helper, under the names these tests use.
export { fixtureBytes as fixture, waitFor } from '@gassistant/test-support'

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
export const META_SECRET = 'test-app-secret'
export const ODOO_SECRET = 'test-odoo-secret'
/** 2026-01-08T10:30:00Z: the `t` of the fixtures' X-GAssistant-Signature. */
export const FIXTURE_TIME = new Date(1767868200 * 1000)

export function testConfig(overrides: Partial<IngressConfig> = {}): IngressConfig {
  return {
    meta: { appSecret: META_SECRET, verifyToken: 'meta-verify-token' },
    whatsapp: { appSecret: META_SECRET, verifyToken: 'wa-verify-token' },
    odoo: { webhookSecret: ODOO_SECRET },
    forms: { contact: { secret: 'contact-form-secret' }, partner: { apiKey: 'partner-api-key-123' } },
    trustProxy: [],
    bodyLimit: 64 * 1024,
    requestTimeoutMs: 10_000,
    rateLimit: { max: 1000, windowMs: 60_000 },
    ...overrides,
  }
}

export interface Received {
  routingKey: string
  event: Record<string, unknown> & { id: string; type: string; data: Record<string, unknown> }
  raw: Buffer
}

/**
 * Records every message published to `exchange` through a queue bound with `#`. Other suites on this
 * broker force-close all connections (the bus's recovery test), so the recorder reconnects, and its queue
 * is neither exclusive nor auto-deleted (it would vanish with the connection); `x-expires` is the safety net.
 */
export async function recordExchange(t: Test, exchange: string): Promise<Received[]> {
  const queue = `${exchange}.recorder`
  const received: Received[] = []
  let stopped = false
  let current: amqp.ChannelModel | undefined
  const connect = async (): Promise<void> => {
    const connection = await amqp.connect(AMQP_URL)
    current = connection
    connection.on('error', () => undefined)
    connection.on('close', () => {
      if (!stopped) void retry()
    })
    const channel = await connection.createChannel()
    await channel.assertExchange(exchange, 'topic', { durable: true })
    await channel.assertQueue(queue, { durable: false, arguments: { 'x-expires': 120_000 } })
    await channel.bindQueue(queue, exchange, '#')
    await channel.consume(queue, (message) => {
      if (!message) return
      received.push({ routingKey: message.fields.routingKey, event: JSON.parse(message.content.toString('utf8')), raw: message.content })
      channel.ack(message)
    })
  }
  const retry = async (): Promise<void> => {
    for (let attempt = 0; attempt < 100 && !stopped; attempt++) {
      try {
        return await connect()
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  await connect()
  t.teardown(async () => {
    stopped = true
    const connection = current
    if (!connection) return
    const channel = await connection.createChannel().catch(() => undefined)
    await channel?.deleteQueue(queue).catch(() => undefined)
    await channel?.deleteExchange(exchange).catch(() => undefined)
    await connection.close().catch(() => undefined)
  })
  return received
}

export interface LogCapture {
  log: Logger
  text: () => string
}

export function captureLog(): LogCapture {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8')
      callback()
    },
  })
  return { log: createLogger({ service: 'ingress', level: 'debug', destination: stream }), text: () => text }
}

export interface Harness {
  app: FastifyInstance
  bus: Bus
  received: Received[]
  logs: LogCapture
  exchange: string
}

/** The ingress on the real RabbitMQ with a unique exchange; everything is closed in teardown. */
export async function harness(
  t: Test,
  options: { config?: Partial<IngressConfig>; clock?: () => Date; amqpUrl?: string; bus?: Partial<Parameters<typeof createAmqpBus>[0]> } = {},
): Promise<Harness> {
  const exchange = `test.ingress.${randomBytes(6).toString('hex')}`
  const received = await recordExchange(t, exchange)
  const logs = captureLog()
  const bus = await createAmqpBus({ url: options.amqpUrl ?? AMQP_URL, exchange, connectionName: 'ingress-test', ...options.bus })
  const app = await buildApp({
    bus,
    config: testConfig(options.config),
    log: logs.log,
    metrics: createMetrics('ingress', { defaultMetrics: false }),
    clock: options.clock ?? (() => FIXTURE_TIME),
  })
  t.teardown(async () => {
    await app.close()
    await bus.close()
  })
  return { app, bus, received, logs, exchange }
}

/** A TCP relay to RabbitMQ that can drop every connection and refuse new ones: "the broker is down". */
export async function brokerProxy(t: Test): Promise<{ url: string; down(): void; up(): void }> {
  let accepting = true
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    if (!accepting) return client.destroy()
    const upstream = net.connect(5672, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    down() {
      accepting = false
      for (const socket of sockets) socket.destroy()
    },
    up() {
      accepting = true
    },
  }
}

export function hubSignature(body: Buffer | string, secret = META_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** POST of raw bytes with a content type and extra headers, through Fastify's inject. */
export function post(app: FastifyInstance, url: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } })
}
