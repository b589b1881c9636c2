// Per-person mutual exclusion, so two replicas handling two enquiries of the same person at the same
// moment cannot both decide "no open lead yet" and create two. The interface plus the in-process
// implementation (one process: `pnpm start`, unit tests); amqp-locks.ts holds the cross-replica one.
// Must never be held across anything but one lead's search-and-write, and is always released.

/** Waiting for a person's lock took too long: retried later by the bus. */
export class LockTimeoutError extends Error {
  readonly code = 'LOCK_TIMEOUT'
  readonly retryable = true
  constructor(key: string, timeoutMs: number) {
    super(`another enquiry of the same person held its lock for more than ${timeoutMs} ms (${key.split(':')[0]})`)
    this.name = 'LockTimeoutError'
  }
}

export interface PersonLocks {
  /** Takes every key (sorted, so two callers never deadlock) and resolves with the release function. */
  acquire(keys: readonly string[], timeoutMs: number): Promise<() => Promise<void>>
  close(): Promise<void>
}

export function createMemoryLocks(): PersonLocks {
  const tails = new Map<string, Promise<void>>()
  async function takeOne(key: string, timeoutMs: number): Promise<() => void> {
    const previous = tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    tails.set(key, tail)
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
    const won = await Promise.race([previous.then(() => 'ok' as const), timedOut])
    clearTimeout(timer)
    if (won === 'timeout') {
      // Still queued: pass the turn on as soon as it comes, so later waiters are not blocked by us.
      void previous.then(() => release())
      throw new LockTimeoutError(key, timeoutMs)
    }
    return () => {
      release()
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
  return {
    async acquire(keys, timeoutMs) {
      const held: (() => void)[] = []
      try {
        for (const key of [...new Set(keys)].sort()) held.push(await takeOne(key, timeoutMs))
      } catch (err) {
        for (const release of held.reverse()) release()
        throw err
      }
      return async () => {
        for (const release of held.reverse()) release()
      }
    },
    async close() {},
  }
}
