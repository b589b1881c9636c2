// The logging surface the bus needs. A pino logger fits it as is; the bus never creates its own logger.
// Must never receive event data or message bodies: only ids, types, outcomes and timings.

export interface BusLogger {
  debug(fields: Record<string, unknown>, message: string): void
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

const ignore = (): void => undefined

/** For callers that do not care (one-off operator commands, some tests). */
export const silentLogger: BusLogger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore })
