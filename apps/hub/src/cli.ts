// `pnpm hub <group> …`: the operator's commands, one group per file in commands/. Exit codes: 0 done,
// 1 failed while doing it, 2 the command line or the environment was wrong (one line says which).
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '@gassistant/runtime'
import { UsageError, type CommandGroup, type CommandIo } from './commands/command.js'
import { dashboard } from './commands/dashboard.js'
import { dead } from './commands/dead.js'
import { meta } from './commands/meta.js'
import { rules } from './commands/rules.js'
import { score } from './commands/score.js'

const GROUPS: Readonly<Record<string, CommandGroup>> = { dead, rules, score, dashboard, meta }

export const USAGE = `usage: ${Object.values(GROUPS).map((group) => `pnpm hub ${group.usage}`).join('\n       ')}`

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CommandIo = { out: console.log, err: console.error }): Promise<number> {
  const [name] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? io.err : io.out)(USAGE)
    return name === undefined ? 2 : 0
  }
  const group = Object.hasOwn(GROUPS, name) ? GROUPS[name] : undefined
  if (group === undefined) {
    io.err(`error: unknown command: ${name}; ${USAGE}`)
    return 2
  }
  try {
    return await group.run(argv, env, io)
  } catch (error) {
    // One line: what was wrong, then (for the command line) how to say it.
    if (error instanceof UsageError) io.err(`error: ${error.message}; usage: pnpm hub ${group.usage}`)
    else if (error instanceof ConfigError) io.err(`error: ${error.message}`)
    else throw error
    return 2
  }
}

// Run only when executed as the script (`pnpm hub`), not when a test imports it.
const invoked = process.argv[1]
if (invoked !== undefined && realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2), process.env)
}
