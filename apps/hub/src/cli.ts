// `pnpm hub dead list|replay|purge <service>`: the operator's view of a service's dead-letter queue on
// RabbitMQ, through the bus's DeadLetters functions. Reads AMQP_URL and AMQP_EXCHANGE from the
// environment. Must never print the broker password, or a parked message's body (personal data):
// only ids, types, attempts, times and reasons.
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createAmqpBus, deadQueueName, queueName, type Bus, type ParkedMessage } from '@gassistant/bus'

export const USAGE = 'usage: pnpm hub dead list <service> [--limit N] | dead replay <service> [--id <eventId> ...] | dead purge <service>'

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly service: string; readonly limit: number }
  | { readonly kind: 'replay'; readonly service: string; readonly eventIds?: readonly string[] }
  | { readonly kind: 'purge'; readonly service: string }

/** A command line that does not say what to do; the CLI exits 2 with the usage line. */
export class UsageError extends Error {
  readonly code = 'USAGE'
  override readonly name = 'UsageError'
}

const DEFAULT_LIMIT = 100

/** Pure: the arguments after `hub`, to the command they ask for. Throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { limit: { type: 'string' }, id: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (values.help === true) return { kind: 'help' }
  const [group, action, service, ...extra] = positionals
  if (group !== 'dead') throw new UsageError(group === undefined ? 'missing command' : `unknown command: ${group}`)
  if (action === undefined) throw new UsageError('missing action: list, replay or purge')
  if (service === undefined || service === '') throw new UsageError(`missing <service> for dead ${action}`)
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`)
  if (action !== 'list' && values.limit !== undefined) throw new UsageError('--limit only applies to dead list')
  if (action !== 'replay' && values.id !== undefined) throw new UsageError('--id only applies to dead replay')
  switch (action) {
    case 'list': {
      const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number ≥ 1: ${values.limit}`)
      return { kind: 'list', service, limit }
    }
    case 'replay':
      return values.id === undefined ? { kind: 'replay', service } : { kind: 'replay', service, eventIds: values.id }
    case 'purge':
      return { kind: 'purge', service }
    default:
      throw new UsageError(`unknown action: dead ${action}`)
  }
}

/** One parked message per line; the body is never shown (it may hold personal data). */
function formatParked(message: ParkedMessage): string {
  const reason = message.reason.replace(/\s+/g, ' ')
  return `${message.eventId || '(no id)'}  ${message.type || '(no type)'}  attempts=${message.attempts}  parked_at=${message.parkedAt || '?'}  reason=${reason}`
}

async function run(command: Exclude<Command, { kind: 'help' }>, bus: Bus, out: (line: string) => void): Promise<void> {
  const dead = deadQueueName(command.service)
  if (command.kind === 'list') {
    const parked = await bus.deadLetters.list(command.service, command.limit)
    for (const message of parked) out(formatParked(message))
    const more = parked.length === command.limit ? ` (limit ${command.limit} reached; there may be more)` : ''
    out(`${parked.length} parked message(s) in ${dead}${more}`)
  } else if (command.kind === 'replay') {
    const replayed = await bus.deadLetters.replay(command.service, command.eventIds === undefined ? {} : { eventIds: command.eventIds })
    const asked = command.eventIds === undefined ? '' : ` of ${command.eventIds.length} requested`
    out(`replayed ${replayed}${asked} parked message(s) from ${dead} to ${queueName(command.service)}`)
  } else {
    out(`purged ${await bus.deadLetters.purge(command.service)} parked message(s) from ${dead}`)
  }
}

/** The error as one line, with the URL's password removed wherever it might appear. */
export function errorLine(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'QUEUE_NOT_FOUND') text = `unknown service: no dead-letter queue on this broker (${text})`
  // The password as written in the URL (percent-encoded) and as sent to the broker (decoded).
  const secrets = new Set<string>()
  try {
    const { password } = new URL(url)
    secrets.add(password)
    secrets.add(decodeURIComponent(password))
  } catch {
    // Not a URL: nothing to hide beyond the URL itself, which is never printed.
  }
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***')
  return `error: ${text.replace(/\s+/g, ' ')}`
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: Command
  try {
    command = parseCommand(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    // One line: what was wrong, then how to say it.
    console.error(`error: ${error.message}; ${USAGE}`)
    return 2
  }
  if (command.kind === 'help') {
    console.log(USAGE)
    return 0
  }
  const url = env['AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:5672'
  const exchange = env['AMQP_EXCHANGE'] || undefined
  let bus: Bus | undefined
  try {
    bus = await createAmqpBus({ url, connectTimeoutMs: 5_000, connectionName: 'gassistant-hub-cli', ...(exchange === undefined ? {} : { exchange }) })
    await run(command, bus, (line) => console.log(line))
    return 0
  } catch (error) {
    console.error(errorLine(error, url))
    return 1
  } finally {
    await bus?.close({ deadlineMs: 1_000 }).catch(() => undefined)
  }
}

// Run only when executed as the script (`pnpm hub`), not when a test imports the parser.
const invoked = process.argv[1]
if (invoked !== undefined && realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2), process.env)
}
