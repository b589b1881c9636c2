// Graceful shutdown on SIGTERM/SIGINT through close-with-grace: run `close` (stop taking work, finish
// in-flight, release connections) and exit 0, or exit 1 if it fails or outlives the deadline.
// Must never exit before `close` settled unless the deadline passed.
import closeWithGrace from 'close-with-grace'
import type { Logger } from 'pino'

export interface ShutdownOptions {
  log: Logger
  /** How long `close` may take before the process exits with 1 anyway (default 10 s). */
  deadlineMs?: number
}

export interface ShutdownHandle {
  /** Removes the signal handlers (tests, or a process embedding several services). */
  uninstall(): void
}

export function onShutdown(close: () => Promise<void>, { log, deadlineMs = 10_000 }: ShutdownOptions): ShutdownHandle {
  const handle = closeWithGrace({ delay: deadlineMs }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'fatal error, shutting down')
    else log.info({ signal, deadline_ms: deadlineMs }, 'shutting down')
    await close()
    log.info('shut down cleanly')
  })
  return { uninstall: () => handle.uninstall() }
}
