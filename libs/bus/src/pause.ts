// Pausing one subscription while a dependency it needs is down: stop taking messages, probe the
// dependency, resume on the first answer. Shared by both transports; they supply how to stop and
// restart their consumer. Must never count an attempt or touch a message: that is the caller's job.
import type { BusLogger } from './logger.js'
import { jittered } from './outcome.js'
import { maskReason } from './delivery.js'

/** A probe that neither answers nor fails in this time counts as failed. */
export const PROBE_TIMEOUT_MS = 10_000

export interface PauseOptions {
  readonly service: string
  readonly probes: Readonly<Record<string, () => Promise<void>>>
  readonly intervalMs: number
  readonly jitter: number
  readonly log: BusLogger
  /** Stops deliveries to this subscription; in-flight handlers keep running. */
  readonly stopConsuming: () => Promise<void>
  /** Starts deliveries again. */
  readonly resumeConsuming: () => Promise<void>
  readonly onChange?: (paused: boolean) => void
  readonly random?: () => number
}

export interface Pause {
  /** Pauses (if not paused yet) because `dependency` is down; resolves once deliveries stopped. */
  hold(dependency: string, reason: string, retryAfterMs?: number): Promise<void>
  isPaused(): boolean
  /** No more probes or resumes: the subscription is going away. */
  stop(): void
}

interface Paused {
  readonly since: number
  readonly dependencies: Set<string>
  readonly stopped: Promise<void>
}

async function probeOnce(probe: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)
  })
  try {
    return await Promise.race([probe().then(() => true), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

export function createPause(options: PauseOptions): Pause {
  const { service, log } = options
  const random = options.random ?? Math.random
  let paused: Paused | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  function schedule(ms: number): void {
    timer = setTimeout(() => void probe(), ms)
  }

  async function probe(): Promise<void> {
    const state = paused
    if (state === undefined || stopped) return
    const failing: string[] = []
    for (const dependency of state.dependencies) {
      const check = options.probes[dependency]
      // No probe for it: resume after the wait and let the next message find out.
      if (check !== undefined && !(await probeOnce(check))) failing.push(dependency)
    }
    if (stopped) return
    if (failing.length > 0) {
      log.debug({ service, dependencies: failing }, 'dependency still unavailable')
      schedule(jittered(options.intervalMs, options.jitter, random))
      return
    }
    await state.stopped
    paused = undefined
    options.onChange?.(false)
    log.info({ service, dependencies: [...state.dependencies], paused_ms: Math.round(performance.now() - state.since) }, 'dependency answers again, consumer resumed')
    await options.resumeConsuming()
  }

  return {
    hold(dependency, reason, retryAfterMs) {
      if (stopped) return Promise.resolve()
      if (paused !== undefined) {
        paused.dependencies.add(dependency)
        return paused.stopped
      }
      paused = { since: performance.now(), dependencies: new Set([dependency]), stopped: options.stopConsuming() }
      options.onChange?.(true)
      log.warn(
        { service, dependency, reason: maskReason(reason), ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }) },
        'dependency unavailable, consumer paused',
      )
      schedule(retryAfterMs ?? jittered(options.intervalMs, options.jitter, random))
      return paused.stopped
    },
    isPaused: () => paused !== undefined,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
