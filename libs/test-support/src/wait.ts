// Waiting for a condition instead of sleeping: polls until the probe yields a value, or fails naming
// what never happened. The one polling helper of every test in the repository.

/**
 * Resolves with the probe's first value that is not `undefined`, `null` or `false` (so a boolean
 * condition resolves with `true`, a lookup with what it found). Polls every few milliseconds, backing off
 * to 50 ms; rejects after `timeoutMs` with "timed out after … waiting for <what>".
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let delay = 5
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 50)
  }
}
