// What /readyz reports for Odoo and the Graph API, cheaply and truthfully: the outcome of the last real
// use of each dependency (handled events, failed calls, the probes a paused consumer runs), and — when that
// is older than `staleMs` — one cheap probe (an authenticated Odoo call; never a Graph call, which would spend
// Meta's per-page quota), shared by concurrent readiness requests. Never throws.

export interface DependencyHealth {
  /** Records what a real call just showed. */
  record(dependency: string, up: boolean): void
  /** The dependency's current state: the last observation when fresh, else a probe (when there is one). */
  check(dependency: string): Promise<boolean>
  /** `run` with its outcome recorded for `dependency`: the probe a paused consumer runs is also what readiness reports. */
  recorded(dependency: string, run: () => Promise<void>): () => Promise<void>
}

export interface HealthOptions {
  /** Cheap checks by dependency; resolve while it answers. Dependencies without one report their last observation. */
  readonly probes: Readonly<Record<string, () => Promise<void>>>
  /** How long an observation stands for the current state. Default 5 s. */
  readonly staleMs?: number
  /** A probe that takes longer counts as down. Default 3 s. */
  readonly probeTimeoutMs?: number
  readonly now?: () => number
}

export function createHealth(options: HealthOptions): DependencyHealth {
  const staleMs = options.staleMs ?? 5_000
  const probeTimeoutMs = options.probeTimeoutMs ?? 3_000
  const now = options.now ?? Date.now
  const seen = new Map<string, { up: boolean; at: number }>()
  const probing = new Map<string, Promise<boolean>>()

  function record(dependency: string, up: boolean): void {
    seen.set(dependency, { up, at: now() })
  }

  function probe(dependency: string, run: () => Promise<void>): Promise<boolean> {
    let pending = probing.get(dependency)
    if (pending === undefined) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), probeTimeoutMs)))
      pending = Promise.race([run().then(() => true, () => false), timeout]).then((up) => {
        clearTimeout(timer)
        probing.delete(dependency)
        record(dependency, up)
        return up
      })
      probing.set(dependency, pending)
    }
    return pending
  }

  return {
    record,
    recorded: (dependency, run) => async () => {
      try {
        await run()
      } catch (err) {
        record(dependency, false)
        throw err
      }
      record(dependency, true)
    },
    async check(dependency) {
      const last = seen.get(dependency)
      if (last !== undefined && now() - last.at < staleMs) return last.up
      const run = options.probes[dependency]
      if (run === undefined) return last?.up ?? true
      return probe(dependency, run)
    },
  }
}
