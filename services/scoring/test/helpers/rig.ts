// The scoring service as its end-to-end tests drive it: a RabbitMQ vhost of the test's own, the Odoo
// stand-in, the service consuming, its log lines captured, and lead.scored.v1 observed on the exchange.
import { Writable } from 'node:stream'
import amqp from 'amqplib'
import type { Test } from 'tap'
import { createAmqpBus, type Bus } from '@gassistant/bus'
import { EXCHANGE, createEvent, type AnyEvent, type DataOf } from '@gassistant/contracts'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { createLogger } from '@gassistant/runtime'
import { startOdooStandIn, type OdooStandIn } from '@gassistant/sandbox'
import { rabbitVhost } from '@gassistant/test-support'
import { createScoring, loadRules } from '../../src/index.js'

export interface LogLine { level: number; msg: string; [key: string]: unknown }
export type Synced = DataOf<'lead.synced.v1'>

/** A lead as the lead-processor writes it: channel tag, contact details, flags (gassistant_flags, or tags without the addon). */
export interface LeadSpec {
  readonly channel: Synced['channel']
  readonly flags?: Synced['flags']
  readonly contactName?: string
  readonly phone?: string
  readonly email?: string
  /** Odoo values besides (expected_revenue, description…). */
  readonly values?: Record<string, unknown>
}

const CHANNEL_TAG: Record<Synced['channel'], string> = { meta: 'Meta Lead Ads', whatsapp: 'WhatsApp', form: 'Web Form' }

export interface Rig {
  odooServer: OdooStandIn
  odoo: OdooClient
  bus: Bus
  scored: AnyEvent[]
  lines: LogLine[]
  /** crm.lead writes the stand-in has answered so far. */
  writes(): number
  publishSynced(id: string, data: Synced): Promise<void>
  /** Creates the lead in the stand-in as the lead-processor would; returns its id. */
  createLead(spec: LeadSpec): Promise<number>
  /** Sets the lead's flags as the lead-processor does when an enquiry adds one. */
  setFlags(leadId: number, flags: Synced['flags']): Promise<void>
  lead(id: number): Promise<Record<string, unknown>>
  notes(id: number): string[]
}

export async function startRig(t: Test, opts: { addonInstalled?: boolean; debounceMs?: number; scoringHistory?: boolean } = {}): Promise<Rig> {
  const vhost = await rabbitVhost(t)
  const odooServer = await startOdooStandIn({ addonInstalled: opts.addonInstalled ?? true, scoringHistory: opts.scoringHistory ?? false })
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password, timeoutMs: 2_000 })
  const bus = await createAmqpBus({ url: vhost.url, reconnectSeconds: 0.2, connectionName: 'scoring-test' })
  const lines: LogLine[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine)
      callback()
    },
  })
  const config = { retry: { delaysMs: [50, 100, 200] }, ...(opts.debounceMs === undefined ? {} : { debounceMs: opts.debounceMs }) }
  const scoring = createScoring({ bus, odoo, log: createLogger({ service: 'scoring', level: 'debug', destination }), rules: await loadRules(), config })
  const observer = await amqp.connect(vhost.url)
  const channel = await observer.createChannel()
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true })
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true })
  await channel.bindQueue(queue, EXCHANGE, 'lead.scored.v1')
  const scored: AnyEvent[] = []
  await channel.consume(queue, (message) => {
    if (message) scored.push(JSON.parse(message.content.toString('utf8')) as AnyEvent)
  }, { noAck: true })
  await scoring.start()
  t.teardown(async () => {
    await scoring.stop()
    await observer.close()
    await bus.close()
    odoo.close()
    await odooServer.close()
  })
  return {
    odooServer,
    odoo,
    bus,
    scored,
    lines,
    writes: () => odooServer.calls.count('crm.lead', 'write'),
    async publishSynced(id, data) {
      await bus.publish(createEvent({ type: 'lead.synced.v1', source: '/lead-processor', id, data }))
    },
    async createLead(spec) {
      await odoo.connect()
      const addon = odoo.capabilities.hasAddon
      const tags = await Promise.all([CHANNEL_TAG[spec.channel], ...(addon ? [] : spec.flags ?? [])].map((name) => odoo.refs.tag(name)))
      return odoo.create('crm.lead', {
        name: 'عرض رمضان',
        tag_ids: [[6, 0, tags]],
        ...(spec.contactName === undefined ? {} : { contact_name: spec.contactName }),
        ...(spec.phone === undefined ? {} : { phone: spec.phone }),
        ...(spec.email === undefined ? {} : { email_from: spec.email }),
        ...(addon ? { gassistant_flags: (spec.flags ?? []).join(',') } : {}),
        ...spec.values,
      })
    },
    async setFlags(leadId, flags) {
      if (odoo.capabilities.hasAddon) await odoo.write('crm.lead', [leadId], { gassistant_flags: flags.join(',') })
      else await odoo.write('crm.lead', [leadId], { tag_ids: await Promise.all(flags.map(async (flag) => [4, await odoo.refs.tag(flag), 0])) })
    },
    async lead(id) {
      const [row] = await odoo.read('crm.lead', [id], ['priority', 'gassistant_score', 'gassistant_score_breakdown', 'expected_revenue'].filter((field) => odoo.capabilities.leadFields.has(field)))
      return row ?? {}
    },
    notes: (id) => odooServer.messages('crm.lead', id).map((message) => String(message['body'])),
  }
}
