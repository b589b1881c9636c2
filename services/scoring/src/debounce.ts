// Per-key debounce that never acks early: the first event of a key schedules one run after the window; every
// event of the same key arriving before that run finishes joins it and resolves (or fails) with it. A handler
// returns only once the run its event joined has completed, so no message is acknowledged before the re-score
// it asked for is durable in Odoo; a failure reaches every joined message, and the bus retries each.
// Joining a run already in flight is sound because a re-score reads all its inputs from Odoo, not from the event.
/** Long enough for a burst of WhatsApp messages typed in a row to join one re-score; a rep still sees it within seconds. */
export const DEFAULT_DEBOUNCE_MS = 2_000

export type Debounce = <T>(key: string, run: () => Promise<T>) => Promise<T>

export function createDebounce(windowMs: number): Debounce {
  const pending = new Map<string, Promise<unknown>>()
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const joined = pending.get(key)
    if (joined !== undefined) return joined as Promise<T>
    const scheduled = new Promise<void>((resolve) => setTimeout(resolve, windowMs))
      .then(run)
      .finally(() => pending.delete(key))
    pending.set(key, scheduled)
    return scheduled
  }
}
