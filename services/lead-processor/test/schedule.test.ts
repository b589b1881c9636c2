// The reconciliation schedule: one replica at a time (the shared lock), no overlapping runs in a replica,
// and a stop that ends a run in progress.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { startReconcileSchedule } from '../src/meta/schedule.js'
import type { Reconciler, ReconcileScope, ReconcileSummary } from '../src/meta/reconcile.js'
import { createMemoryLocks } from '../src/sync/locks.js'
import { memoryLog } from './helpers/harness.js'

const SUMMARY: ReconcileSummary = { forms: [], pageErrors: [], leadsRead: 0, published: 0, failed: false }

/** A reconciler whose runs last until released (or aborted), counting them. */
function gatedReconciler(): { reconciler: Reconciler; runs: ReconcileScope[]; release(): void } {
  const runs: ReconcileScope[] = []
  let release = (): void => undefined
  return {
    runs,
    release: () => release(),
    reconciler: {
      run: (scope) => {
        runs.push(scope)
        return new Promise((resolve, reject) => {
          release = () => resolve(SUMMARY)
          if (scope.signal?.aborted === true) reject(scope.signal.reason)
          scope.signal?.addEventListener('abort', () => reject(scope.signal?.reason))
        })
      },
    },
  }
}

t.test('two replicas sharing the lock: one runs, the other skips its turn', async (t) => {
  const locks = createMemoryLocks()
  const a = gatedReconciler()
  const b = gatedReconciler()
  const first = startReconcileSchedule({ reconciler: a.reconciler, intervalMs: 3_600_000, locks, log: memoryLog().log })
  const second = startReconcileSchedule({ reconciler: b.reconciler, intervalMs: 3_600_000, locks, log: memoryLog().log })
  t.teardown(async () => {
    await first.stop()
    await second.stop()
  })
  const running = first.runNow()
  const again = first.runNow()
  t.equal(await second.runNow(), undefined, 'the other replica skipped')
  t.equal(b.runs.length, 0)
  a.release()
  t.same(await running, SUMMARY)
  t.equal(await again, SUMMARY, 'a second call during a run joins it')
  t.equal(a.runs.length, 1, 'one run')
})

const waitForRun = (runs: unknown[]): Promise<number> => waitFor(() => runs.length > 0 && runs.length, 'a run')

t.test('stop() aborts a run in progress and waits for it', async (t) => {
  const a = gatedReconciler()
  const schedule = startReconcileSchedule({ reconciler: a.reconciler, intervalMs: 3_600_000, locks: createMemoryLocks(), log: memoryLog().log })
  const running = schedule.runNow()
  t.equal(await waitForRun(a.runs), 1, 'the run started')
  await schedule.stop()
  t.equal(await running, undefined, 'the aborted run ended')
  t.equal(a.runs[0]?.signal?.aborted, true)
})

t.test('runs on its own every interval, and reports each run', async (t) => {
  const runs: ReconcileSummary[] = []
  const schedule = startReconcileSchedule({
    reconciler: { run: async () => SUMMARY },
    intervalMs: 20,
    firstRunMs: 0,
    locks: createMemoryLocks(),
    log: memoryLog().log,
    onRun: (summary) => runs.push(summary),
  })
  t.teardown(() => schedule.stop())
  await waitFor(() => runs.length >= 3, 'three scheduled runs')
  t.same(runs.slice(0, 3), [SUMMARY, SUMMARY, SUMMARY])
})
