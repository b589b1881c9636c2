// Runs a service's entry function and turns a start-up failure into one line on stderr and exit 1.
// Must never print a configuration value: ConfigError messages name the variable only.
import { ConfigError } from './config.js'

export interface RunMainOptions {
  service: string
  /** Where the one line goes (default: process.stderr); `exit` defaults to process.exit. */
  stderr?: { write(line: string): unknown }
  exit?: (code: number) => void
}

export async function runMain(main: () => Promise<unknown>, options: RunMainOptions): Promise<void> {
  const { service, stderr = process.stderr, exit = (code: number) => process.exit(code) } = options
  try {
    await main()
  } catch (error) {
    const line =
      error instanceof ConfigError
        ? `${service}: configuration error: ${error.message}`
        : `${service}: failed to start: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
    stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`)
    exit(1)
  }
}
