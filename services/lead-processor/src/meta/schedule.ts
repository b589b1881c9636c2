// Runs the reconciliation every interval (META_RECONCILE_INTERVAL_MINUTES) in the lead-processor, so a lost
// webhook becomes a lead within one interval. One replica at a time: a run holds the `meta-reconcile` lock
// (the cross-replica RabbitMQ lock the processor already uses); a replica that finds it taken skips its turn,
// and a run still going when the timer fires again is not doubled. Each run's outcome is one log line and
// the meta_reconcile_* metrics. Never throws out of the timer.
import type { Logger, Metrics } from '@gassistant/runtime'
import { LockTimeoutError, type PersonLocks } from '../sync/locks.js'
import type { Reconciler, ReconcileSummary } from './reconcile.js'

export const RECONCILE_LOCK = 'meta-reconcile'

export interface ScheduleOptions {
  readonly reconciler: Reconciler
  readonly intervalMs: number
  /** The first run, after start-up (default: one interval, at most a minute). */
  readonly firstRunMs?: number
  readonly locks: PersonLocks
  readonly log: Logger
  readonly metrics?: Metrics
  /** Called after each run that happened (tests wait on it). */
  readonly onRun?: (summary: ReconcileSummary) => void
}

export interface ReconcileSchedule {
  /** Runs once now (unless one is running or another replica holds the lock); resolves when it ended. */
  runNow(): Promise<ReconcileSummary | undefined>
  stop(): Promise<void>
}

export function startReconcileSchedule(options: ScheduleOptions): ReconcileSchedule {
  const { reconciler, log } = options
  const runs = options.metrics?.counter({ name: 'meta_reconcile_runs_total', help: 'Scheduled Meta reconciliation runs, by outcome (complete, partial: a form or page failed, skipped: another replica ran)', labelNames: ['outcome'] })
  const lastComplete = options.metrics?.gauge({ name: 'meta_reconcile_last_complete_timestamp_seconds', help: 'When the last reconciliation run that read every form completed' })
  let running: Promise<ReconcileSummary | undefined> | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const stopping = new AbortController()

  async function once(): Promise<ReconcileSummary | undefined> {
    let release: (() => Promise<void>) | undefined
    try {
      release = await options.locks.acquire([RECONCILE_LOCK], 1_000)
    } catch (err) {
      if (!(err instanceof LockTimeoutError)) throw err
      runs?.inc({ outcome: 'skipped' })
      log.info({ outcome: 'skipped' }, 'meta reconciliation skipped: another replica is running it')
      return undefined
    }
    const started = Date.now()
    try {
      const summary = await reconciler.run({ publish: true, signal: stopping.signal })
      const outcome = summary.failed ? 'partial' : 'complete'
      runs?.inc({ outcome })
      if (!summary.failed) lastComplete?.set(Date.now() / 1000)
      log.info({
        outcome,
        duration_ms: Date.now() - started,
        forms: summary.forms.length,
        forms_failed: summary.forms.filter((f) => f.error !== undefined).length,
        pages_failed: summary.pageErrors.length,
        leads_read: summary.leadsRead,
        published: summary.published,
      }, summary.failed ? 'meta reconciliation ran, some forms failed and are read again next run' : 'meta reconciliation ran')
      options.onRun?.(summary)
      return summary
    } finally {
      await release()
    }
  }

  function runNow(): Promise<ReconcileSummary | undefined> {
    running ??= once()
      .catch((err: unknown) => {
        runs?.inc({ outcome: 'failed' })
        log.error({ outcome: 'failed', err_code: (err as { code?: string }).code }, `meta reconciliation failed: ${(err as Error).message}`)
        return undefined
      })
      .finally(() => (running = undefined))
    return running
  }

  function schedule(ms: number): void {
    if (stopped) return
    timer = setTimeout(() => void runNow().finally(() => schedule(options.intervalMs)), ms)
    timer.unref()
  }
  schedule(options.firstRunMs ?? Math.min(options.intervalMs, 60_000))

  return {
    runNow,
    async stop() {
      stopped = true
      clearTimeout(timer)
      stopping.abort()
      await running
    },
  }
}
