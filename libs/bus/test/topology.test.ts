// Queue naming and arguments: the data deploy definitions and operators rely on.
import t from 'tap'
import { CRASH_DELIVERY_LIMIT, createMemoryBus, done, serviceTopology } from '../src/index.js'

t.test('a service gets <service>, one <service>.retry.<ms> per distinct delay, and <service>.dead', async (t) => {
  const topology = serviceTopology({ service: 'scoring', bindings: ['lead.synced.v1'], retry: { delaysMs: [1_000, 5_000, 5_000] } })
  t.equal(topology.main.name, 'scoring')
  t.same(topology.retries.map((q) => q.name), ['scoring.retry.1000', 'scoring.retry.5000'])
  t.equal(topology.dead.name, 'scoring.dead')
  t.same(topology.bindings, ['lead.synced.v1'])
})

t.test('the main queue is quorum, bounded, refuses publishes when full and parks crash loops', async (t) => {
  const { main, retries, dead } = serviceTopology({ service: 'scoring', bindings: [], bound: { maxLength: 500 } })
  t.same(main.arguments, {
    'x-queue-type': 'quorum',
    'x-delivery-limit': CRASH_DELIVERY_LIMIT,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': 'scoring.dead',
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
    'x-max-length': 500,
    'x-max-length-bytes': 256 * 1024 * 1024,
  })
  t.same(
    retries.map((queue) => queue.arguments),
    Array.from({ length: 5 }, () => ({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'scoring',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    })),
    'retry tiers have no TTL of their own: each copy carries its jittered expiration',
  )
  t.same(dead.arguments, { 'x-queue-type': 'quorum' }, 'the dead-letter queue is unbounded: a refused park would strand the message')
})

t.test('a classic queue (brokers before 3.10) is bounded the same way, without the quorum-only arguments', async (t) => {
  const { main } = serviceTopology({ service: 'scoring', bindings: [], queueType: 'classic' })
  t.same(main.arguments, {
    'x-queue-type': 'classic',
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': 'scoring.dead',
    'x-overflow': 'reject-publish',
    'x-max-length': 100_000,
    'x-max-length-bytes': 256 * 1024 * 1024,
  })
})

t.test('bad service names, retry policies and bounds are refused at subscribe', async (t) => {
  const bus = createMemoryBus()
  t.teardown(() => bus.close())
  const subscribe = (extra: object) => bus.subscribe({ service: 'ok', bindings: ['#'], handler: async () => done, ...extra })
  await t.rejects(subscribe({ service: 'Lead Processor' }), TypeError)
  await t.rejects(subscribe({ retry: { delaysMs: [0.5] } }), /whole milliseconds/)
  await t.rejects(subscribe({ retry: { delaysMs: [] } }), /must not be empty/)
  await t.rejects(subscribe({ retry: { jitter: 1 } }), /jitter/)
  await t.rejects(subscribe({ retry: { budgetMs: -1 } }), /budget/)
  await t.rejects(subscribe({ bound: { maxLength: 0 } }), /maxLength/)
})
