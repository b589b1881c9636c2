// The workflow-rules service as its end-to-end tests drive it: a RabbitMQ vhost of the test's own, the Odoo
// stand-in on a fake clock shared with the service, a sales team (leader Omar, members Sara and Huda), the
// service sweeping every few milliseconds, its log lines captured, and notification.requested.v1 observed.
import { Writable } from 'node:stream'
import amqp from 'amqplib'
import type { Test } from 'tap'
import { createAmqpBus, type Bus } from '@gassistant/bus'
import { EXCHANGE, createEvent, type AnyEvent, type CreateEventInput, type EventTypeName } from '@gassistant/contracts'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { createLogger, createMetrics, type Metrics } from '@gassistant/runtime'
import { startOdooStandIn, type OdooStandIn } from '@gassistant/sandbox'
import { rabbitVhost } from '@gassistant/test-support'
import { createWorkflowRules, loadRules, type WorkflowRules } from '../../src/index.js'
import type { RulesFile } from '../../src/rules.js'

export interface LogLine { level: number; msg: string; [key: string]: unknown }

export interface Clock {
  now(): Date
  set(iso: string): void
}

export interface Team { sara: number; huda: number; omar: number; team: number }

export interface Rig {
  odooServer: OdooStandIn
  odoo: OdooClient
  bus: Bus
  clock: Clock
  people: Team
  notifications: AnyEvent[]
  lines: LogLine[]
  metrics: Metrics
  service: WorkflowRules
  /** Creates a lead (as the hub's Odoo user) for Sara in the Sales team, at the clock's time. */
  createLead(values?: Record<string, unknown>): Promise<number>
  publish<T extends EventTypeName>(input: CreateEventInput<T>): Promise<void>
  activities(model: string, resId: number): Record<string, unknown>[]
  /** A client logged in as Sara (her notes count as a first response). */
  asSara(): OdooClient
  /** A second service on the same broker and Odoo (a second replica). */
  startReplica(): Promise<WorkflowRules>
}

export function fakeClock(iso: string): Clock {
  let current = new Date(iso)
  return { now: () => new Date(current), set: (next) => { current = new Date(next) } }
}

export async function startRig(t: Test, opts: { rules?: RulesFile; at?: string; sweepIntervalMs?: number } = {}): Promise<Rig> {
  const clock = fakeClock(opts.at ?? '2026-12-01T06:00:00Z')
  const vhost = await rabbitVhost(t)
  const odooServer = await startOdooStandIn({
    addonInstalled: true,
    now: () => clock.now(),
    users: [
      { login: 'sara', name: 'سارة الحربي', email: 'sara@example.com', password: 'sara' },
      { login: 'huda', name: 'Huda Saleh', email: 'huda@example.com', password: 'huda' },
      { login: 'omar', name: 'Omar Leader', email: 'omar@example.com', password: 'omar' },
    ],
  })
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password, timeoutMs: 5_000 })
  const clients: OdooClient[] = [odoo]
  const id = async (login: string): Promise<number> => (await odoo.searchRead<{ id: number }>('res.users', [['login', '=', login]], { fields: ['id'] }))[0]!.id
  const people = { sara: await id('sara'), huda: await id('huda'), omar: await id('omar'), team: 1 }
  await odoo.write('crm.team', [people.team], { user_id: people.omar, member_ids: [[6, 0, [people.sara, people.huda]]] })

  const lines: LogLine[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine)
      callback()
    },
  })
  const bus = await createAmqpBus({ url: vhost.url, reconnectSeconds: 0.2, connectionName: 'workflow-rules-test', log: createLogger({ service: 'workflow-rules', level: 'debug', destination }) })
  const rules = opts.rules ?? await loadRules()
  const metrics = createMetrics('workflow-rules')
  const services: WorkflowRules[] = []
  const build = (): WorkflowRules => {
    const client = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password, timeoutMs: 5_000 })
    clients.push(client)
    const service = createWorkflowRules({
      bus, odoo: client, log: createLogger({ service: 'workflow-rules', level: 'debug', destination }), rules,
      metrics: services.length === 0 ? metrics : createMetrics('workflow-rules'), now: () => clock.now(),
      config: { retry: { delaysMs: [50, 100, 200] }, sweepIntervalMs: opts.sweepIntervalMs ?? 30 },
    })
    services.push(service)
    return service
  }

  const observer = await amqp.connect(vhost.url)
  const channel = await observer.createChannel()
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true })
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true })
  await channel.bindQueue(queue, EXCHANGE, 'notification.requested.v1')
  const notifications: AnyEvent[] = []
  await channel.consume(queue, (message) => {
    if (message) notifications.push(JSON.parse(message.content.toString('utf8')) as AnyEvent)
  }, { noAck: true })
  const service = build()
  await service.start()
  t.teardown(async () => {
    for (const running of services) await running.stop()
    await observer.close()
    await bus.close()
    for (const client of clients) client.close()
    await odooServer.close()
  })
  return {
    odooServer, odoo, bus, clock, people, notifications, lines, metrics, service,
    createLead: (values = {}) => odoo.create('crm.lead', { name: 'Villa enquiry', type: 'opportunity', user_id: people.sara, team_id: people.team, ...values }),
    async publish(input) {
      await bus.publish(createEvent(input))
    },
    activities: (model, resId) => odooServer.records('mail.activity').filter((row) => row['res_model'] === model && row['res_id'] === resId),
    asSara() {
      const client = createOdooClient({ url: odooServer.url, db: odooServer.db, username: 'sara', password: 'sara', timeoutMs: 5_000 })
      clients.push(client)
      return client
    },
    async startReplica() {
      const replica = build()
      await replica.start()
      return replica
    },
  }
}
