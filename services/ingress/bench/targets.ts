// The baselines of `pnpm bench:ingress`, each run as a child process (BENCH_TARGET=bare|naive) that
// reports its port over IPC. bare: Fastify parsing the same JSON and answering. naive: the simplest
// correct ingress — HMAC over the raw body, JSON.parse, one publish with amqplib, and the 200 only after
// the broker's confirm: a small message straight to a quorum queue, or with BENCH_EXCHANGE the event the
// ingress publishes (CloudEvents envelope, same properties) through the hub's exchange, so the broker does
// the same work for both. Must stay that simple: it is the yardstick.
import { createHmac, timingSafeEqual } from 'node:crypto'
import amqp from 'amqplib'
import Fastify from 'fastify'

const app = Fastify()

if (process.env.BENCH_TARGET === 'naive') {
  const secret = process.env.BENCH_SECRET ?? ''
  const queue = process.env.BENCH_QUEUE ?? 'naive'
  const exchange = process.env.BENCH_EXCHANGE
  const connection = await amqp.connect(process.env.AMQP_URL ?? '', { noDelay: true })
  const channel = await connection.createConfirmChannel()
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  app.post('/webhooks/meta', async (request, reply) => {
    const raw = request.body as Buffer
    const given = Buffer.from(String(request.headers['x-hub-signature-256']).slice('sha256='.length), 'hex')
    const expected = createHmac('sha256', secret).update(raw).digest()
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send({ code: 'INVALID_SIGNATURE' })
    const body = JSON.parse(raw.toString('utf8')) as { entry: { changes: { value: { leadgen_id: string } }[] }[] }
    const value = body.entry[0]?.changes[0]?.value
    const id = `meta:${value?.leadgen_id}`
    const type = 'inbound.meta.leadgen.v1'
    await new Promise<void>((resolve, reject) => {
      const confirmed = (error: unknown) => (error ? reject(error as Error) : resolve())
      if (exchange === undefined) return channel.publish('', queue, Buffer.from(JSON.stringify({ id, type, data: value })), { persistent: true }, confirmed)
      const time = new Date().toISOString()
      const event = { specversion: '1.0', id, source: '/ingress', type, time, datacontenttype: 'application/json', correlationid: id, subject: id, data: value }
      const properties = { persistent: true, contentType: 'application/cloudevents+json; charset=utf-8', messageId: id, type, correlationId: id, appId: '/ingress', timestamp: Math.floor(Date.parse(time) / 1000) }
      channel.publish(exchange, type, Buffer.from(JSON.stringify(event)), properties, confirmed)
    })
    return { received: true, events: 1 }
  })
} else {
  app.post('/webhooks/meta', async (request) => ({ received: true, events: Array.isArray((request.body as { entry?: unknown[] }).entry) ? 1 : 0 }))
}

await app.listen({ port: 0, host: '127.0.0.1' })
process.send?.({ port: (app.server.address() as { port: number }).port })
