// The decision table shared by both transports: what each handler result does to the message.
import t from 'tap'
import { decide, formatDuration, type Clock } from '../src/outcome.js'
import { DEFAULT_RETRY, done, park, retry, unavailable } from '../src/index.js'

const HOUR = 3_600_000
const policy = { delaysMs: [1_000, 5_000], budgetMs: HOUR, jitter: 0 }
const T0 = Date.parse('2026-01-08T10:00:00Z')
/** No jitter unless a test asks for it: random() = 0.5 puts a delay exactly on its tier. */
const at = (nowMs: number, random = 0.5): Clock => ({ nowMs, random: () => random })

t.test('done acks', async (t) => {
  t.same(decide({ outcome: done }, { attempt: 1 }, policy, at(T0)), { kind: 'ack' })
})

t.test('retry waits the delay of its attempt, counts up and remembers the first failure', async (t) => {
  t.same(decide({ outcome: retry('odoo 503') }, { attempt: 1 }, policy, at(T0)), {
    kind: 'retry',
    tierMs: 1_000,
    delayMs: 1_000,
    nextAttempt: 2,
    reason: 'odoo 503',
    firstFailureMs: T0,
  })
  t.match(decide({ outcome: retry('odoo 503') }, { attempt: 2, firstFailureMs: T0 }, policy, at(T0 + 1_000)), {
    kind: 'retry',
    tierMs: 5_000,
    nextAttempt: 3,
    firstFailureMs: T0,
  })
})

t.test('the last delay repeats until the budget is spent', async (t) => {
  const late = decide({ outcome: retry('odoo 503') }, { attempt: 40, firstFailureMs: T0 }, policy, at(T0 + HOUR))
  t.match(late, { kind: 'retry', tierMs: 5_000, nextAttempt: 41 }, 'still retrying at exactly the budget')
})

t.test('past the budget a failure parks, naming the budget, the attempts and the last reason', async (t) => {
  t.same(decide({ outcome: retry('odoo 503') }, { attempt: 41, firstFailureMs: T0 }, policy, at(T0 + HOUR + 1)), {
    kind: 'park',
    reason: 'retry budget of 1 h exhausted after 41 attempts: odoo 503',
  })
  t.same(decide({ outcome: retry('x') }, { attempt: 1 }, { ...policy, budgetMs: 0 }, at(T0)), { kind: 'retry', tierMs: 1_000, delayMs: 1_000, nextAttempt: 2, reason: 'x', firstFailureMs: T0 }, 'a zero budget still allows the retry of the first failure')
  t.match(decide({ outcome: unavailable('odoo', 'down') }, { attempt: 2, firstFailureMs: T0 }, policy, at(T0 + 2 * HOUR)), {
    kind: 'park',
    reason: 'retry budget of 1 h exhausted after 2 attempts: down',
  }, 'time spent paused counts against the budget too')
})

t.test('jitter spreads a delay by ± the fraction around its tier', async (t) => {
  const jittery = { ...policy, jitter: 0.2 }
  t.match(decide({ outcome: retry('x') }, { attempt: 2 }, jittery, at(T0, 0)), { tierMs: 5_000, delayMs: 4_000 })
  t.match(decide({ outcome: retry('x') }, { attempt: 2 }, jittery, at(T0, 0.999_999)), { tierMs: 5_000, delayMs: 6_000 })
})

t.test('the defaults: 1 s, 5 s, 30 s, 60 s, then 300 s again and again for 6 hours, ±20%', async (t) => {
  t.same(DEFAULT_RETRY, { delaysMs: [1_000, 5_000, 30_000, 60_000, 300_000], budgetMs: 6 * HOUR, jitter: 0.2 })
  const tiers = [1, 2, 3, 4, 5, 6, 70].map((attempt) => decide({ outcome: retry('x') }, { attempt, firstFailureMs: T0 }, DEFAULT_RETRY, at(T0 + 5 * HOUR)))
  t.same(tiers.map((action) => (action.kind === 'retry' ? action.tierMs : action.kind)), [1_000, 5_000, 30_000, 60_000, 300_000, 300_000, 300_000])
})

t.test('unavailable keeps the message without counting an attempt', async (t) => {
  t.same(decide({ outcome: unavailable('odoo', 'connection refused') }, { attempt: 3, firstFailureMs: T0 }, policy, at(T0 + 10)), {
    kind: 'hold',
    dependency: 'odoo',
    reason: 'connection refused',
    firstFailureMs: T0,
  })
  t.same(decide({ outcome: unavailable('graph', 'rate limited', 60_000) }, { attempt: 1 }, policy, at(T0)), {
    kind: 'hold',
    dependency: 'graph',
    reason: 'rate limited',
    retryAfterMs: 60_000,
    firstFailureMs: T0,
  })
})

t.test('a thrown DependencyError means unavailable', async (t) => {
  const error = Object.assign(new Error('Graph rate limit (code 4)'), { code: 'GRAPH_RATE_LIMITED', retryable: true, dependency: 'graph', retryAfterMs: 30_000 })
  t.same(decide({ error }, { attempt: 1 }, policy, at(T0)), {
    kind: 'hold',
    dependency: 'graph',
    retryAfterMs: 30_000,
    reason: 'GRAPH_RATE_LIMITED: Graph rate limit (code 4)',
    firstFailureMs: T0,
  })
  const withoutRetryable = Object.assign(new Error('odoo down'), { dependency: 'odoo' })
  t.equal(decide({ error: withoutRetryable }, { attempt: 1 }, policy, at(T0)).kind, 'retry', 'a dependency without retryable:true is an ordinary failure')
})

t.test('park parks at once, whatever the attempt', async (t) => {
  t.same(decide({ outcome: park('no contact') }, { attempt: 1 }, policy, at(T0)), { kind: 'park', reason: 'no contact' })
})

t.test('an error marked retryable:false parks at once, named by its code', async (t) => {
  const error = Object.assign(new Error('Access Denied'), { code: 'ODOO_ACCESS_DENIED', retryable: false, dependency: 'odoo' })
  t.same(decide({ error }, { attempt: 1 }, policy, at(T0)), { kind: 'park', reason: 'ODOO_ACCESS_DENIED: Access Denied' })
})

t.test('any other error is retried: an outage or a bug is never dropped', async (t) => {
  t.match(decide({ error: new TypeError('x is undefined') }, { attempt: 1 }, policy, at(T0)), {
    kind: 'retry',
    delayMs: 1_000,
    nextAttempt: 2,
    reason: 'TypeError: x is undefined',
  })
  const retryable = Object.assign(new Error('timeout'), { code: 'ODOO_TIMEOUT', retryable: true })
  t.equal(decide({ error: retryable }, { attempt: 2 }, policy, at(T0)).kind, 'retry')
  t.match(decide({ error: 'a string' }, { attempt: 3, firstFailureMs: T0 }, policy, at(T0 + 2 * HOUR)), {
    kind: 'park',
    reason: 'retry budget of 1 h exhausted after 3 attempts: a string',
  })
})

t.test('durations read as an operator would say them', async (t) => {
  t.same([6 * HOUR, 150_000, 30_000, 1_500, 200].map(formatDuration), ['6 h', '2.5 min', '30 s', '1.5 s', '200 ms'])
})
