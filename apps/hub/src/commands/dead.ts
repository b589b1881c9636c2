// `pnpm hub dead list|replay|purge <service>`: the operator's view of a service's dead-letter queue on
// the RabbitMQ at AMQP_URL (required: there is no broker to guess), through the bus's passive
// openDeadLetters — it declares nothing, and says which broker it read. Must never print the broker
// password, or a parked message's body (personal data): only ids, types, attempts, times and reasons.
import { deadQueueName, describeBroker, openDeadLetters, queueName, type DeadLetterAccess, type ParkedMessage } from '@gassistant/bus'
import { AmqpUrl, loadConfig } from '@gassistant/runtime'
import Type from 'typebox'
import { UsageError, readArgs, type CommandGroup } from './command.js'

export const USAGE = 'dead list <service> [--limit N] | dead replay <service> [--id <eventId> ...] | dead purge <service>'

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly service: string; readonly limit: number }
  | { readonly kind: 'replay'; readonly service: string; readonly eventIds?: readonly string[] }
  | { readonly kind: 'purge'; readonly service: string }

const DEFAULT_LIMIT = 100

/** Pure: the arguments after `hub` (starting with `dead`), to the command they ask for. Throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = readArgs(argv, { limit: { type: 'string' }, id: { type: 'string', multiple: true } })
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

async function run(command: Exclude<Command, { kind: 'help' }>, access: DeadLetterAccess, out: (line: string) => void): Promise<void> {
  const dead = deadQueueName(command.service)
  const on = `on ${access.broker}`
  if (command.kind === 'list') {
    const parked = await access.deadLetters.list(command.service, command.limit)
    for (const message of parked) out(formatParked(message))
    const more = parked.length === command.limit ? ` (limit ${command.limit} reached; there may be more)` : ''
    out(`${parked.length} parked message(s) in ${dead} ${on}${more}`)
  } else if (command.kind === 'replay') {
    const replayed = await access.deadLetters.replay(command.service, command.eventIds === undefined ? {} : { eventIds: command.eventIds })
    const asked = command.eventIds === undefined ? '' : ` of ${command.eventIds.length} requested`
    out(`replayed ${replayed}${asked} parked message(s) from ${dead} to ${queueName(command.service)} ${on}`)
  } else {
    out(`purged ${await access.deadLetters.purge(command.service)} parked message(s) from ${dead} ${on}`)
  }
}

/** The error as one line, with the URL's password removed wherever it might appear. */
export function errorLine(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'QUEUE_NOT_FOUND') text = `${text} on ${describeBroker(url)}: no service of that name has run against this broker`
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

const CliEnv = Type.Object({ AMQP_URL: Type.Optional(AmqpUrl) })

/** Without AMQP_URL there is nothing to read: `pnpm start` on its in-process bus keeps dead letters in its own memory. */
export const NO_BROKER =
  'error: no broker to read: AMQP_URL is unset (a `pnpm start` without AMQP_URL keeps its dead letters inside its own process; set AMQP_URL to the RabbitMQ to inspect)'

export const dead: CommandGroup = {
  usage: USAGE,
  async run(argv, env, io) {
    const command = parseCommand(argv)
    if (command.kind === 'help') {
      io.out(`usage: pnpm hub ${USAGE}`)
      return 0
    }
    const url = loadConfig(CliEnv, env).AMQP_URL
    if (url === undefined) {
      io.err(NO_BROKER)
      return 2
    }
    let access: DeadLetterAccess | undefined
    try {
      access = await openDeadLetters({ url, connectionName: 'gassistant-hub-cli' })
      await run(command, access, io.out)
      return 0
    } catch (error) {
      io.err(errorLine(error, url))
      return 1
    } finally {
      await access?.close().catch(() => undefined)
    }
  },
}
