// The decision table shared by both transports: what each handler result does to the message.
import t from 'tap'
import { decide } from '../src/outcome.js'
import { done, park, retry } from '../src/index.js'

const policy = { delaysMs: [1_000, 5_000] }

t.test('done acks', async (t) => {
  t.same(decide({ outcome: done }, 1, policy), { kind: 'ack' })
})

t.test('retry waits the delay of its attempt and counts up', async (t) => {
  t.same(decide({ outcome: retry('odoo 503') }, 1, policy), { kind: 'retry', delayMs: 1_000, nextAttempt: 2, reason: 'odoo 503' })
  t.same(decide({ outcome: retry('odoo 503') }, 2, policy), { kind: 'retry', delayMs: 5_000, nextAttempt: 3, reason: 'odoo 503' })
})

t.test('retry past the last delay parks, saying retries ran out', async (t) => {
  t.same(decide({ outcome: retry('odoo 503') }, 3, policy), { kind: 'park', reason: 'retries exhausted after 3 attempts: odoo 503' })
  t.same(decide({ outcome: retry('x') }, 1, { delaysMs: [] }), { kind: 'park', reason: 'retries exhausted after 1 attempts: x' })
})

t.test('park parks at once, whatever the attempt', async (t) => {
  t.same(decide({ outcome: park('no contact') }, 1, policy), { kind: 'park', reason: 'no contact' })
})

t.test('an error marked retryable:false parks at once, named by its code', async (t) => {
  const error = Object.assign(new Error('Access Denied'), { code: 'ODOO_ACCESS_DENIED', retryable: false })
  t.same(decide({ error }, 1, policy), { kind: 'park', reason: 'ODOO_ACCESS_DENIED: Access Denied' })
})

t.test('any other error is retried: an outage or a bug is never dropped', async (t) => {
  t.same(decide({ error: new TypeError('x is undefined') }, 1, policy), {
    kind: 'retry',
    delayMs: 1_000,
    nextAttempt: 2,
    reason: 'TypeError: x is undefined',
  })
  const retryable = Object.assign(new Error('timeout'), { code: 'ODOO_TIMEOUT', retryable: true })
  t.equal(decide({ error: retryable }, 2, policy).kind, 'retry')
  t.same(decide({ error: 'a string' }, 3, policy), { kind: 'park', reason: 'retries exhausted after 3 attempts: a string' })
})
