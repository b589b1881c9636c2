// The in-process topic matcher must route exactly as RabbitMQ does: the same table is checked
// against the matcher and against a real topic exchange.
import { randomBytes } from 'node:crypto'
import amqplib from 'amqplib'
import t from 'tap'
import { topicMatches } from '../src/memory/topic.js'
import { AMQP_URL } from './helpers/rabbit.js'

const patterns = ['lead.synced.v1', 'lead.*.v1', 'inbound.#', '#', '*', '*.synced.*', 'lead.#.v1', '#.v1', 'inbound.*.#', '#.leadgen.#']
const keys = ['lead.synced.v1', 'lead.v1', 'lead.synced', 'lead', 'inbound.meta.leadgen.v1', 'inbound', 'notification.requested.v1', 'lead.a.b.v1']

t.test('known cases', async (t) => {
  t.ok(topicMatches('lead.*.v1', 'lead.synced.v1'))
  t.notOk(topicMatches('lead.*.v1', 'lead.v1'), '* needs exactly one word')
  t.ok(topicMatches('lead.#.v1', 'lead.v1'), '# may match no word')
  t.ok(topicMatches('inbound.#', 'inbound'), '# may match nothing at the end')
  t.notOk(topicMatches('inbound.#', 'inbound2.meta'))
  t.notOk(topicMatches('lead.synced.v1', 'lead.synced.v12'))
})

t.test('the matcher routes the whole table as RabbitMQ does', async (t) => {
  const connection = await amqplib.connect(AMQP_URL)
  t.teardown(() => connection.close())
  const channel = await connection.createConfirmChannel()
  const exchange = `test.topic.${randomBytes(4).toString('hex')}`
  await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false })
  t.teardown(() => channel.deleteExchange(exchange))
  const queues: string[] = []
  for (const pattern of patterns) {
    const { queue } = await channel.assertQueue('', { exclusive: true })
    await channel.bindQueue(queue, exchange, pattern)
    queues.push(queue)
  }
  for (const key of keys) channel.publish(exchange, key, Buffer.from(key))
  // Once confirmed, every message has been routed to (and enqueued on) all matching queues.
  await channel.waitForConfirms()

  const broker: string[] = []
  const matcher: string[] = []
  for (const [index, pattern] of patterns.entries()) {
    const queue = queues[index] as string
    for (;;) {
      const message = await channel.get(queue, { noAck: true })
      if (message === false) break
      broker.push(`${pattern} <- ${message.content.toString()}`)
    }
    for (const key of keys) if (topicMatches(pattern, key)) matcher.push(`${pattern} <- ${key}`)
  }
  t.ok(broker.length > 20, `the table exercises real routing (${broker.length} matches)`)
  t.same(matcher.sort(), broker.sort())
})
