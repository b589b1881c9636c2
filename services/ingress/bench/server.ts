// Benchmark target, run as a child process of ingress.ts: the real ingress app on the real RabbitMQ
// (exchange from BENCH_EXCHANGE), or with BENCH_BARE=1 a bare Fastify handler that parses JSON and answers.
// Reports its port to the parent over IPC.
import { createAmqpBus, createMemoryBus } from '@gassistant/bus'
import { createLogger, createMetrics } from '@gassistant/runtime'
import Fastify from 'fastify'
import { buildApp } from '../src/app.js'

const send = (message: unknown) => process.send?.(message)

if (process.env.BENCH_BARE === '1') {
  const app = Fastify()
  app.post('/webhooks/meta', async (request) => ({ received: true, events: Array.isArray((request.body as { entry?: unknown[] }).entry) ? 1 : 0 }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  send({ port: (app.server.address() as { port: number }).port })
} else {
  const log = createLogger({ service: 'ingress', level: process.env.LOG_LEVEL ?? 'info' })
  const bus = process.env.BENCH_BUS === 'memory' ? createMemoryBus() : await createAmqpBus({ url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', exchange: process.env.BENCH_EXCHANGE ?? 'bench', log, connectionName: 'ingress-bench' })
  const app = await buildApp({
    bus,
    log,
    metrics: createMetrics('ingress'),
    config: {
      meta: { appSecret: 'bench-app-secret', verifyToken: 'bench' },
      whatsapp: { appSecret: 'bench-app-secret', verifyToken: 'bench' },
      odoo: { webhookSecret: 'bench-odoo-secret' },
      forms: {},
      trustProxy: [],
      bodyLimit: 1_048_576,
      rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
    },
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  send({ port: (app.server.address() as { port: number }).port })
  process.on('SIGTERM', () => void app.close().then(() => bus.close()).then(() => process.exit(0)))
}
