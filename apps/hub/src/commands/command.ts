// What every `pnpm hub <group> …` command is: its usage line and a run that returns the exit code.
// Groups live one per file beside this one and are listed once in cli.ts.

export interface CommandIo {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

export interface CommandGroup {
  /** Without the leading `pnpm hub`, e.g. `dead list <service> | …`. */
  readonly usage: string
  /**
   * argv starts with the group's own name. Throws UsageError for a command line it cannot read and ConfigError
   * for a setting it cannot use: the CLI prints either as one line and exits 2.
   */
  run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CommandIo): Promise<number>
}

/** A command line that does not say what to do; the CLI exits 2 with the usage line. */
export class UsageError extends Error {
  readonly code = 'USAGE'
  override readonly name = 'UsageError'
}
