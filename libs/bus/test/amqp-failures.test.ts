// How the RabbitMQ transport behaves when things go wrong: bad bytes on the queue, an unreachable or
// partitioned broker, a reconnect, a topology that contradicts the declared one, a consumer that dies.
import t from 'tap'
import { BrokerUnavailableError, CRASH_DELIVERY_LIMIT, PublishTimeoutError, TopologyError, createAmqpBus, done } from '../src/index.js'
import { leadSynced } from './helpers/events.js'
import { startProxy } from './helpers/proxy.js'
import { rabbitScope } from './helpers/rabbit.js'
import { waitFor } from '@gassistant/test-support'
import { gate } from './helpers/wait.js'

const BROKER = { host: '127.0.0.1', port: Number(new URL(process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672').port || 5672) }

t.test('bytes that are not a valid event are parked at once with the failing field, never handled', async (t) => {
  const scope = await rabbitScope(t)
  const bus = await scope.bus()
  const name = scope.service('invalid')
  const handled: string[] = []
  await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async (e) => (handled.push(e.id), done) })
  const channel = await scope.channel()
  channel.publish(scope.exchange, 'lead.synced.v1', Buffer.from('{"not json'), { messageId: 'raw-1', type: 'lead.synced.v1' })
  channel.publish(scope.exchange, 'lead.synced.v1', Buffer.from(JSON.stringify({ ...leadSynced('raw-2'), data: {} })))

  const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length === 2 && list }, 'two parked messages')
  const byId = Object.fromEntries(parked.map((p) => [p.eventId, p]))
  t.equal(byId['raw-1']?.reason, 'invalid event: / is not valid JSON')
  t.equal(byId['raw-1']?.body.toString('utf8'), '{"not json', 'the undecodable body is kept as it came')
  t.match(byId['raw-2']?.reason, /^invalid event: \/data /)
  t.equal(byId['raw-2']?.type, 'lead.synced.v1', 'id and type read from the body when properties lack them')
  t.same(handled, [], 'the handler never saw them')
})

t.test('an unreachable broker fails creation fast, without leaking the password', async (t) => {
  const started = performance.now()
  const error = await createAmqpBus({ url: 'amqp://guest:s3cret-pw@127.0.0.1:1', connectTimeoutMs: 300 }).catch((e: unknown) => e)
  t.type(error, BrokerUnavailableError)
  t.equal((error as BrokerUnavailableError).code, 'BROKER_UNAVAILABLE')
  t.notMatch((error as Error).message, /s3cret-pw/)
  t.ok(performance.now() - started < 2_000, 'gave up within the connect timeout')
})

t.test('a lost connection makes publish fail fast, and consuming resumes after reconnect', async (t) => {
  const proxy = await startProxy(BROKER)
  t.teardown(() => proxy.close())
  const scope = await rabbitScope(t)
  const bus = await scope.bus({ url: proxy.url, reconnectSeconds: 0.1 })
  const seen: string[] = []
  await bus.subscribe({ service: scope.service('reconnect'), bindings: ['lead.synced.v1'], handler: async (e) => (seen.push(e.id), done) })
  await bus.publish(leadSynced('before'))
  await waitFor(() => seen.length === 1, 'delivery before the outage')

  proxy.setMode('drop')
  await waitFor(() => !bus.isReady(), 'bus notices the outage')
  const started = performance.now()
  await t.rejects(bus.publish(leadSynced('during')), BrokerUnavailableError)
  const failMs = performance.now() - started
  t.ok(failMs < 100, `publish failed in ${failMs.toFixed(1)} ms instead of waiting`)

  proxy.setMode('pass')
  const down = performance.now()
  await waitFor(() => bus.isReady(), 'bus reconnects')
  t.comment(`ready again ${(performance.now() - down).toFixed(0)} ms after the network came back`)
  await bus.publish(leadSynced('after'))
  await waitFor(() => seen.includes('after'), 'delivery after the reconnect')
  // 'before' may come twice: its ack can be lost with the connection, and at-least-once redelivers it.
  t.same([...new Set(seen)], ['before', 'after'], 'the consumer was re-established; the refused event was never queued')
})

t.test('a subscription made while the broker is away starts consuming when it returns', async (t) => {
  const proxy = await startProxy(BROKER)
  t.teardown(() => proxy.close())
  const scope = await rabbitScope(t)
  const name = scope.service('late')
  const bus = await scope.bus({ url: proxy.url, reconnectSeconds: 0.1, declare: [{ service: name, bindings: ['lead.synced.v1'] }] })
  proxy.setMode('drop')
  await waitFor(() => !bus.isReady(), 'bus notices the outage')
  const seen: string[] = []
  await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async (e) => (seen.push(e.id), done) })
  proxy.setMode('pass')
  await waitFor(() => bus.isReady(), 'bus reconnects')
  await bus.publish(leadSynced('late-1'))
  await waitFor(() => seen.length === 1, 'delivery to the late subscription')
  t.same(seen, ['late-1'])
})

t.test('a message held by a handler when its consumer connection dies is redelivered and handled', async (t) => {
  const proxy = await startProxy(BROKER)
  t.teardown(() => proxy.close())
  const scope = await rabbitScope(t)
  const name = scope.service('unacked')
  const bus = await scope.bus({ url: proxy.url, reconnectSeconds: 0.1 })
  const held = gate()
  const deliveries: string[] = []
  let finished = 0
  await bus.subscribe({
    service: name,
    bindings: ['lead.synced.v1'],
    handler: async (event) => {
      deliveries.push(event.id)
      // The first delivery hangs (a slow Odoo call) while its connection dies under it.
      if (deliveries.length === 1) await held.promise
      finished++
      return done
    },
  })
  await bus.publish(leadSynced('unacked-1'))
  await waitFor(() => deliveries.length === 1, 'the handler holds the message')

  proxy.setMode('drop')
  await waitFor(() => !bus.isReady(), 'the consumer connection is gone')
  proxy.setMode('pass')
  await waitFor(() => deliveries.length === 2 && finished === 1, 'redelivery after reconnect', 10_000)
  t.same(deliveries, ['unacked-1', 'unacked-1'], 'the unacked message came back, attempt unchanged')
  // The first handler ends on a dead channel: its ack cannot reach the broker and must not break anything.
  held.open()
  await waitFor(() => finished === 2, 'the stale handler returns')
  t.same(await bus.deadLetters.list(name), [], 'nothing parked')
  // Closing returns anything still unacked to the queue: an empty queue proves the redelivery was acked.
  await bus.close({ deadlineMs: 1_000 })
  const channel = await scope.channel()
  t.equal((await channel.checkQueue(name)).messageCount, 0, 'the queue is empty: handled once, acked, not lost')
})

t.test('a partitioned broker times the publish out, then the heartbeat notices', async (t) => {
  const proxy = await startProxy(BROKER)
  t.teardown(() => proxy.close())
  const scope = await rabbitScope(t)
  const bus = await scope.bus({ url: proxy.url, publishTimeoutMs: 300, heartbeatSeconds: 1, reconnectSeconds: 0.1 })
  proxy.setMode('blackhole')
  await t.rejects(bus.publish(leadSynced()), PublishTimeoutError)
  await waitFor(() => !bus.isReady(), 'missed heartbeats close the connection', 8_000)
  proxy.setMode('drop')
  proxy.setMode('pass')
  await waitFor(() => bus.isReady(), 'bus reconnects after the partition', 8_000)
  t.ok(bus.isReady())
})

t.test('a queue declared with other arguments is a TopologyError, not a retry loop', async (t) => {
  const scope = await rabbitScope(t)
  const name = scope.service('conflict')
  const channel = await scope.channel()
  await channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'classic' } })
  const bus = await scope.bus()
  const error = await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async () => done }).catch((e: unknown) => e)
  t.type(error, TopologyError)
  t.equal((error as TopologyError).code, 'TOPOLOGY_MISMATCH')
  t.equal((error as TopologyError).retryable, false)
  t.match((error as TopologyError).message, `broker refused the topology of ${name}: `)
  t.match((error as TopologyError).message, new RegExp(`inequivalent arg '[a-z-]+' for queue '${name}'`), 'names the queue and argument an operator must reconcile')
  t.ok(bus.isReady(), 'the publisher side is unaffected')
})

t.test('a message whose consumer keeps dying is parked by the broker, not redelivered forever', async (t) => {
  const scope = await rabbitScope(t)
  const bus = await scope.bus()
  const name = scope.service('crash')
  // Declare the topology through a real subscription, then stop it so only the "crashing" consumer runs.
  const subscription = await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async () => done })
  await subscription.cancel()
  await bus.publish(leadSynced('poison'))
  const channel = await scope.channel()
  let deliveries = 0
  // Returning a message unsettled is what the broker sees when a consumer process dies mid-handler.
  await channel.consume(name, (message) => {
    if (message === null) return
    deliveries++
    channel.nack(message, false, true)
  })
  const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length === 1 && list }, 'broker-parked message')
  t.equal(parked[0]?.eventId, 'poison')
  t.match(parked[0]?.reason, /dead-lettered by the broker \(delivery_limit\)/)
  t.ok(deliveries >= CRASH_DELIVERY_LIMIT, `delivered ${deliveries} times before the broker gave up`)
})

t.test('published messages are persistent CloudEvents with their id and type as AMQP properties', async (t) => {
  const scope = await rabbitScope(t)
  const bus = await scope.bus()
  const channel = await scope.channel()
  const probe = scope.service('probe')
  await channel.assertQueue(probe, { durable: false, autoDelete: false })
  await channel.bindQueue(probe, scope.exchange, '#')
  const event = leadSynced('props-1')
  await bus.publish(event)
  // channel.get answers false while the queue is empty, which waitFor reads as "not yet".
  const message = await waitFor(() => channel.get(probe, { noAck: true }), 'the probe message')
  t.equal(message.fields.routingKey, 'lead.synced.v1', 'routing key is the type')
  t.equal(message.properties.deliveryMode, 2, 'persistent')
  t.equal(message.properties.messageId, 'props-1')
  t.equal(message.properties.type, 'lead.synced.v1')
  t.equal(message.properties.contentType, 'application/cloudevents+json; charset=utf-8')
  t.same(JSON.parse(message.content.toString('utf8')), event)
})
