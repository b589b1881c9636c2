// The coalescer: requests made together become one call, answers go back in order, a failed call fails its
// whole batch, and whatever queues while a call runs goes out together right after it.
import t from 'tap'
import { coalesce } from '../src/sync/coalescer.js'

t.test('requests made together go out as one call, each gets its own answer', async (t) => {
  const calls: number[][] = []
  const double = coalesce<number, number>(async (xs) => {
    calls.push([...xs])
    return xs.map((x) => x * 2)
  })
  t.same(await Promise.all([double(1), double(2), double(3)]), [2, 4, 6])
  t.same(calls, [[1, 2, 3]])
})

t.test('a batch is at most maxBatch; requests waiting while a call runs go out together after it', async (t) => {
  const calls: number[][] = []
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const echo = coalesce<number, number>(async (xs) => {
    calls.push([...xs])
    if (calls.length === 1) await gate
    return xs
  }, { maxBatch: 2 })
  const first = [echo(1), echo(2)]
  const waiting = [echo(3), echo(4), echo(5)]
  t.same(calls, [[1, 2]], 'a full batch leaves at once; the rest wait for it')
  release()
  t.same(await Promise.all([...first, ...waiting]), [1, 2, 3, 4, 5])
  t.same(calls, [[1, 2], [3, 4], [5]])
})

t.test('a failed call fails every request of its batch, and only those', async (t) => {
  let n = 0
  const flaky = coalesce<string, string>(async (xs) => {
    if (n++ === 0) throw new Error('Odoo unreachable')
    return xs
  })
  const failed = await Promise.allSettled([flaky('a'), flaky('b')])
  t.same(failed.map((r) => r.status), ['rejected', 'rejected'])
  t.equal(await flaky('c'), 'c')
})
