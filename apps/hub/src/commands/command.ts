// What every `pnpm hub <group> …` command is: its usage line and a run that returns the exit code.
// Groups live one per file beside this one and are listed once in cli.ts; they read their arguments with
// readArgs and a lead id with leadIdArg, so every group answers --help and refuses alike.
import { parseArgs, type ParseArgsConfig } from 'node:util'

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

type Options = NonNullable<ParseArgsConfig['options']>
const HELP = { help: { type: 'boolean', short: 'h' } } as const
type ArgsConfig<O extends Options> = { args: string[]; allowPositionals: true; strict: true; options: O & typeof HELP }

/** A group's command line (strict, positionals allowed) with `--help`/`-h` on every command; what it cannot read is a UsageError. */
export function readArgs<const O extends Options>(argv: readonly string[], options: O): ReturnType<typeof parseArgs<ArgsConfig<O>>> {
  try {
    return parseArgs<ArgsConfig<O>>({ args: [...argv], allowPositionals: true, strict: true, options: { ...options, ...HELP } })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** An Odoo record id given on the command line (`<lead id>`): a whole number ≥ 1. */
export function leadIdArg(text: string | undefined): number {
  if (text === undefined) throw new UsageError('missing <lead id>')
  const id = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1) throw new UsageError(`<lead id> must be a whole number ≥ 1: ${text}`)
  return id
}
