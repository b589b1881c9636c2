// The operator CLI (`pnpm hub dead ...`) run as operators run it: a subprocess against the real
// RabbitMQ, on a service unique to this run (queues removed afterwards), or on a vhost of its own where
// it must not declare anything. Plus its pure parser.
import { randomBytes } from 'node:crypto'
import amqplib from 'amqplib'
import t from 'tap'
import { createEvent, EventType } from '@gassistant/contracts'
import { DEFAULT_RETRY, createAmqpBus, deadQueueName, park, queueName, retryQueueName, type Bus } from '@gassistant/bus'
import { rabbitVhost, runScript, waitFor } from '@gassistant/test-support'
import { USAGE as CLI_USAGE, main } from '../src/cli.js'
import { NO_BROKER, USAGE, errorLine, parseCommand } from '../src/commands/dead.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const BROKER = (() => {
  const url = new URL(AMQP_URL)
  return `${url.hostname}:${url.port || '5672'}${url.pathname || '/'}`
})()

const hub = (args: readonly string[], env: Record<string, string | undefined> = {}) => runScript('apps/hub/src/cli.ts', args, { AMQP_URL, ...env })

function leadSynced(id: string) {
  return createEvent({
    type: EventType.LeadSynced,
    source: '/lead-processor',
    id,
    data: {
      outcome: 'created',
      leadId: 42,
      externalRef: 'meta:2100000000000001',
      channel: 'meta',
      sourceEventId: 'meta:2100000000000001',
      flags: [],
      lead: { name: 'طلب عرض سعر', contactName: 'محمد عبدالله', city: 'الرياض' },
    },
  })
}

t.test('parseCommand turns arguments into a command, or a UsageError', async (t) => {
  t.same(parseCommand(['dead', 'list', 'scoring']), { kind: 'list', service: 'scoring', limit: 100 })
  t.same(parseCommand(['dead', 'list', 'scoring', '--limit', '5']), { kind: 'list', service: 'scoring', limit: 5 })
  t.same(parseCommand(['dead', 'replay', 'scoring']), { kind: 'replay', service: 'scoring' })
  t.same(parseCommand(['dead', 'replay', 'scoring', '--id', 'a', '--id', 'b']), { kind: 'replay', service: 'scoring', eventIds: ['a', 'b'] })
  t.same(parseCommand(['dead', 'purge', 'scoring']), { kind: 'purge', service: 'scoring' })
  t.same(parseCommand(['--help']), { kind: 'help' })
  for (const bad of [[], ['dead'], ['dead', 'list'], ['live', 'list', 'x'], ['dead', 'drop', 'x'], ['dead', 'list', 'x', '--limit', '0'],
    ['dead', 'purge', 'x', '--id', 'a'], ['dead', 'list', 'x', 'y'], ['dead', 'list', 'x', '--force']]) {
    t.throws(() => parseCommand(bad), { name: 'UsageError', code: 'USAGE' }, `refuses: ${bad.join(' ') || '(nothing)'}`)
  }
})

t.test('errorLine never shows the password of the broker URL', async (t) => {
  const line = errorLine(new Error('connect failed for amqp://hub:p%40ss@mq:5672 (p@ss)'), 'amqp://hub:p%40ss@mq:5672')
  t.notMatch(line, /p@ss|p%40ss/)
  t.match(line, /^error: /)
})

t.test('dead list, replay and purge on a real dead-letter queue', async (t) => {
  const run = randomBytes(4).toString('hex')
  const exchange = `test.events.${run}`
  const service = `t${run}-cli`
  const raw = await amqplib.connect(AMQP_URL)
  const channel = await raw.createChannel()
  const bus: Bus = await createAmqpBus({ url: AMQP_URL, exchange, connectTimeoutMs: 3_000 })
  t.teardown(async () => {
    await bus.close({ deadlineMs: 200 })
    const queues = [queueName(service), deadQueueName(service), ...DEFAULT_RETRY.delaysMs.map((delay) => retryQueueName(service, delay))]
    for (const queue of new Set(queues)) await channel.deleteQueue(queue)
    await channel.deleteExchange(exchange)
    await raw.close()
  })
  const parkAll = () =>
    bus.subscribe({ service, bindings: ['lead.synced.v1'], handler: async () => park('phone number is not a number') })

  // Arrange: one parked message, and no consumer left to take it once replayed.
  const event = leadSynced(`cli-${run}`)
  let subscription = await parkAll()
  await bus.publish(event)
  await waitFor(async () => (await bus.deadLetters.list(service)).length === 1, 'the parked message')
  await subscription.cancel()

  const listed = await hub(['dead', 'list', service])
  t.equal(listed.code, 0, `list exits 0 (${listed.stderr.trim()})`)
  const lines = listed.stdout.trim().split('\n')
  t.match(lines[0], new RegExp(`^cli-${run}  lead\\.synced\\.v1  attempts=1  parked_at=\\d{4}-\\d\\d-\\d\\dT\\S+  reason=phone number is not a number$`))
  t.equal(lines[1], `1 parked message(s) in ${service}.dead on ${BROKER}`, 'names the broker it read')
  t.notMatch(listed.stdout, /محمد/, 'the body (personal data) is never printed')

  const replayed = await hub(['dead', 'replay', service, '--id', event.id])
  t.equal(replayed.code, 0)
  t.equal(replayed.stdout.trim(), `replayed 1 of 1 requested parked message(s) from ${service}.dead to ${service} on ${BROKER}`)
  t.equal((await channel.checkQueue(queueName(service))).messageCount, 1, 'the message is in the service queue again')
  t.equal((await channel.checkQueue(deadQueueName(service))).messageCount, 0, 'and no longer parked')

  // The replayed message is consumed (and parked again) by the next consumer: it really was back.
  subscription = await parkAll()
  await waitFor(async () => (await bus.deadLetters.list(service)).length === 1, 'the message parked again')
  await subscription.cancel()
  const purged = await hub(['dead', 'purge', service])
  t.equal(purged.code, 0)
  t.equal(purged.stdout.trim(), `purged 1 parked message(s) from ${service}.dead on ${BROKER}`)
  t.equal((await channel.checkQueue(deadQueueName(service))).messageCount, 0, 'the dead-letter queue is empty')

  const empty = await hub(['dead', 'list', service])
  t.equal(empty.stdout.trim(), `0 parked message(s) in ${service}.dead on ${BROKER}`)
})

t.test('errors are one line on stderr with a non-zero exit', async (t) => {
  const run = randomBytes(4).toString('hex')
  const [usage, unknown, unreachable, badUrl] = await Promise.all([
    hub(['dead', 'frobnicate', 'scoring']),
    hub(['dead', 'list', `t${run}-never-declared`]),
    hub(['dead', 'purge', 'scoring'], { AMQP_URL: 'amqp://guest:s3cret-pw@127.0.0.1:1' }),
    hub(['dead', 'list', 'scoring'], { AMQP_URL: 'rabbit://guest:s3cret-pw@mq' }),
  ])
  t.equal(usage.code, 2, 'usage error exits 2')
  t.equal(usage.stderr.trim(), `error: unknown action: dead frobnicate; usage: pnpm hub ${USAGE}`)
  t.equal(usage.stdout, '')

  t.equal(unknown.code, 1, 'unknown service exits 1')
  t.equal(unknown.stderr.trim(), `error: queue not found: t${run}-never-declared.dead on ${BROKER}: no service of that name has run against this broker`)

  t.equal(unreachable.code, 1, 'unreachable broker exits 1')
  t.equal(unreachable.stderr.trim(), 'error: message broker unavailable at 127.0.0.1:1/')
  t.notMatch(unreachable.stderr, /s3cret-pw/)

  t.equal(badUrl.code, 2, 'a malformed AMQP_URL exits 2')
  t.equal(badUrl.stderr.trim(), 'error: AMQP_URL must be a URL starting with amqp:// or amqps://')
  t.notMatch(badUrl.stderr, /s3cret-pw/)
})

t.test('without AMQP_URL (the in-process bus of pnpm start) it says there is no broker to read', async (t) => {
  const result = await hub(['dead', 'list', 'lead-processor'], { AMQP_URL: undefined })
  t.equal(result.code, 2)
  t.equal(result.stderr.trim(), NO_BROKER)
  t.equal(result.stdout, '')
})

t.test('dead list only looks: on a broker of its own it declares no exchange and no queue', async (t) => {
  const vhost = await rabbitVhost(t)
  const listed = await hub(['dead', 'list', 'lead-processor'], { AMQP_URL: vhost.url })
  t.equal(listed.code, 1)
  t.match(listed.stderr, /^error: queue not found: lead-processor\.dead on /)
  const raw = await amqplib.connect(vhost.url)
  t.teardown(() => raw.close())
  for (const [kind, name] of [['exchange', 'gassistant.events'], ['queue', 'lead-processor.dead'], ['queue', 'lead-processor']] as const) {
    const channel = await raw.createChannel()
    channel.on('error', () => undefined)
    const check = kind === 'exchange' ? channel.checkExchange(name) : channel.checkQueue(name)
    await t.rejects(check, { code: 404 }, `no ${kind} ${name} was declared`)
  }
})

t.test('the dispatcher names an unknown group, prints every usage on --help, and exits 2 with nothing to do', async (t) => {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] }
  const io = { out: (line: string) => void lines.out.push(line), err: (line: string) => void lines.err.push(line) }
  t.equal(await main(['frobnicate'], {}, io), 2)
  t.equal(lines.err.pop(), `error: unknown command: frobnicate; ${CLI_USAGE}`)
  t.equal(await main(['--help'], {}, io), 0)
  t.equal(lines.out.pop(), CLI_USAGE)
  t.match(CLI_USAGE, `pnpm hub ${USAGE}`, 'the dead-letter group is listed')
  t.equal(await main([], {}, io), 2)
  t.equal(lines.err.pop(), CLI_USAGE)
})
