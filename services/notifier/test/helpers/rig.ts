// The notifier as its end-to-end tests drive it: a RabbitMQ vhost of the test's own, the Odoo and Slack
// stand-ins (Sara is on both; Omar is in Odoo only), the service consuming, its log lines captured, and the
// outcome events (notification.delivered.v1 / .failed.v1) observed on the exchange.
import { Writable } from 'node:stream'
import amqp from 'amqplib'
import type { Test } from 'tap'
import { createAmqpBus, type Bus } from '@gassistant/bus'
import { EXCHANGE, createEvent, type AnyEvent, type DataOf } from '@gassistant/contracts'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { createLogger, createMetrics, type Metrics } from '@gassistant/runtime'
import { startOdooStandIn, startSlackStandIn, type OdooStandIn, type SlackStandIn } from '@gassistant/sandbox'
import { rabbitVhost, type RabbitVhost } from '@gassistant/test-support'
import { createNotifier, createSlack, type RoutesFile } from '../../src/index.js'

export interface LogLine { level: number; msg: string; [key: string]: unknown }

export const SLACK_TOKEN = 'xoxb-notifier-test-token'
export const ODOO_PUBLIC_URL = 'https://crm.example.sa'
export const SARA = { email: 'sara@example.com', slackId: 'U0SARA0001', dm: 'D0SARA0001' }
export const ARABIC_NAME = 'محمد عبدالله القحطاني'

export interface Rig {
  vhost: RabbitVhost
  odooServer: OdooStandIn
  odoo: OdooClient
  slackServer: SlackStandIn
  bus: Bus
  metrics: Metrics
  /** notification.delivered.v1 and notification.failed.v1 as published. */
  outcomes: AnyEvent[]
  lines: LogLine[]
  userId(login: string): Promise<number>
  request(id: string, data: Partial<DataOf<'notification.requested.v1'>> & { dedupeKey: string }): Promise<void>
  lead(values: Record<string, unknown>): Promise<number>
}

export interface RigOptions {
  routes?: RoutesFile
  defaultChannel?: string
  /** The stand-in's per-channel limit and the notifier's pause (default 50 ms each: fast tests, still enforced). */
  channelIntervalMs?: number
  /** Start the notifier (default true); false for tests that run it in a child process. */
  startService?: boolean
}

/** Observes the outcome events on the vhost's exchange. */
async function observe(url: string, t: Test, types: string[]): Promise<AnyEvent[]> {
  const connection = await amqp.connect(url)
  const channel = await connection.createChannel()
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true })
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true })
  for (const type of types) await channel.bindQueue(queue, EXCHANGE, type)
  const seen: AnyEvent[] = []
  await channel.consume(queue, (message) => {
    if (message) seen.push(JSON.parse(message.content.toString('utf8')) as AnyEvent)
  }, { noAck: true })
  t.teardown(() => connection.close())
  return seen
}

export async function startRig(t: Test, opts: RigOptions = {}): Promise<Rig> {
  const interval = opts.channelIntervalMs ?? 50
  const vhost = await rabbitVhost(t)
  const odooServer = await startOdooStandIn({
    addonInstalled: true,
    users: [
      { login: 'sara', name: 'سارة الحربي', email: SARA.email, password: 'sara' },
      { login: 'omar', name: 'Omar Nasser', email: 'omar@example.com', password: 'omar' },
    ],
  })
  const slackServer = await startSlackStandIn({ token: SLACK_TOKEN, users: { [SARA.email]: SARA.slackId }, channels: ['C0GENERAL', 'C0LEADS', 'C0RIYADH'], channelIntervalMs: interval })
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password, timeoutMs: 2_000 })
  const lines: LogLine[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine)
      callback()
    },
  })
  const log = createLogger({ service: 'notifier', level: 'debug', destination })
  const bus = await createAmqpBus({ url: vhost.url, reconnectSeconds: 0.2, connectionName: 'notifier-test', log })
  const metrics = createMetrics('notifier', { defaultMetrics: false })
  const outcomes = await observe(vhost.url, t, ['notification.delivered.v1', 'notification.failed.v1'])
  const notifier = createNotifier({
    bus,
    odoo,
    slack: createSlack({ token: SLACK_TOKEN, apiUrl: slackServer.url, log, timeoutMs: 2_000 }),
    log,
    metrics,
    routes: opts.routes ?? { users: {}, teams: {} },
    config: { defaultChannel: opts.defaultChannel ?? 'C0GENERAL', odooPublicUrl: ODOO_PUBLIC_URL, channelIntervalMs: interval, retry: { delaysMs: [50, 100, 200] }, probeIntervalMs: 100 },
  })
  if (opts.startService !== false) await notifier.start()
  t.teardown(async () => {
    await notifier.stop()
    await bus.close()
    odoo.close()
    await odooServer.close()
    await slackServer.close()
  })
  return {
    vhost,
    odooServer,
    odoo,
    slackServer,
    bus,
    metrics,
    outcomes,
    lines,
    async userId(login) {
      const [user] = await odoo.searchRead<{ id: number }>('res.users', [['login', '=', login]], { fields: ['id'] })
      return user?.id ?? 0
    },
    async request(id, data) {
      await bus.publish(createEvent({ type: 'notification.requested.v1', source: '/workflow-rules', id, data: { channel: 'slack', recipient: {}, text: 'New hot lead', ...data } }))
    },
    lead: (values) => odoo.create('crm.lead', { type: 'opportunity', ...values }),
  }
}

/** The metadata dedupe keys of the stand-in's messages, in posting order. */
export function postedKeys(slack: SlackStandIn): string[] {
  return slack.messages.map((message) => (message.metadata as { event_payload?: { dedupe_key?: string } } | undefined)?.event_payload?.dedupe_key ?? '')
}
