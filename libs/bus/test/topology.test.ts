// Queue naming and the hub's consumer table: the data deploy definitions and operators rely on.
import t from 'tap'
import { EventType } from '@gassistant/contracts'
import { DEFAULT_RETRY, HUB_QUEUES, createMemoryBus, done, serviceTopology } from '../src/index.js'
import { topicMatches } from '../src/memory/topic.js'

t.test('a service gets <service>, one <service>.retry.<ms> per distinct delay, and <service>.dead', async (t) => {
  const topology = serviceTopology('scoring', ['lead.synced.v1'], { ...DEFAULT_RETRY, delaysMs: [1_000, 5_000, 5_000] }, 'quorum')
  t.equal(topology.main.name, 'scoring')
  t.same(topology.retries.map((q) => q.name), ['scoring.retry.1000', 'scoring.retry.5000'])
  t.equal(topology.dead.name, 'scoring.dead')
  t.match(topology.retries[0]?.arguments, { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'scoring' })
  t.match(topology.main.arguments, { 'x-queue-type': 'quorum', 'x-dead-letter-routing-key': 'scoring.dead' })
  t.same(serviceTopology('scoring', [], DEFAULT_RETRY, 'classic').main.arguments, { 'x-queue-type': 'classic' })
})

t.test('every event type except the audit-only outcomes has a consumer queue in HUB_QUEUES', async (t) => {
  const auditOnly: string[] = [EventType.NotificationDelivered, EventType.NotificationFailed]
  const unconsumed = Object.values(EventType).filter(
    (type) => !HUB_QUEUES.some((queue) => queue.bindings.some((binding) => topicMatches(binding, type))),
  )
  t.same(unconsumed.sort(), auditOnly.sort())
})

t.test('bad service names and retry delays are refused at subscribe', async (t) => {
  const bus = createMemoryBus()
  t.teardown(() => bus.close())
  await t.rejects(bus.subscribe({ service: 'Lead Processor', bindings: ['#'], handler: async () => done }), TypeError)
  await t.rejects(bus.subscribe({ service: 'ok', bindings: ['#'], retry: { delaysMs: [0.5] }, handler: async () => done }), TypeError)
})
