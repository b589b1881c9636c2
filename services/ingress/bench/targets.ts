// The two baselines of `pnpm bench:ingress`, each run as a child process (BENCH_TARGET=bare|naive) that
// reports its port over IPC. bare: Fastify parsing the same JSON and answering. naive: the simplest
// correct ingress — HMAC over the raw body, JSON.parse, one publish to a quorum queue with amqplib, and
// the 200 only after the broker's confirm. Must stay that simple: it is the yardstick.
import { createHmac, timingSafeEqual } from 'node:crypto'
import amqp from 'amqplib'
import Fastify from 'fastify'

const app = Fastify()

if (process.env.BENCH_TARGET === 'naive') {
  const secret = process.env.BENCH_SECRET ?? ''
  const queue = process.env.BENCH_QUEUE ?? 'naive'
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
    const event = Buffer.from(JSON.stringify({ id: `meta:${value?.leadgen_id}`, type: 'inbound.meta.leadgen.v1', data: value }))
    await new Promise<void>((resolve, reject) => {
      channel.publish('', queue, event, { persistent: true }, (error: unknown) => (error ? reject(error as Error) : resolve()))
    })
    return { received: true, events: 1 }
  })
} else {
  app.post('/webhooks/meta', async (request) => ({ received: true, events: Array.isArray((request.body as { entry?: unknown[] }).entry) ? 1 : 0 }))
}

await app.listen({ port: 0, host: '127.0.0.1' })
process.send?.({ port: (app.server.address() as { port: number }).port })
