// A gate to hold a handler until the test lets it go. Waiting for a condition is @gassistant/test-support's waitFor.

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

/** A clock the test moves by hand, for retry budgets and outages measured in hours. */
export function fakeClock(start = Date.parse('2026-01-08T10:00:00.000Z')): { now: () => Date; ms: () => number; advance: (ms: number) => void } {
  let current = start
  return {
    now: () => new Date(current),
    ms: () => current,
    advance(ms) {
      current += ms
    },
  }
}

export interface LogLine {
  level: string
  fields: Record<string, unknown>
  message: string
}

/** A BusLogger that keeps what it was told. */
export function captureLog(): { lines: LogLine[]; log: Record<'debug' | 'info' | 'warn' | 'error', (fields: Record<string, unknown>, message: string) => void> } {
  const lines: LogLine[] = []
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message })
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } }
}
