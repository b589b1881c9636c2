// The hub as the end-to-end tests drive it: the real ingress app listening on a local port, publishing
// to the real RabbitMQ on a unique exchange, and lead-processor consumers on their own connections, with
// the Odoo and Graph stand-ins. Leads enter only as signed HTTP webhooks, as Meta, WhatsApp and a website
// send them. Signatures are computed here independently of the ingress code (a shared bug cannot hide).
// Must never leave anything behind on the broker: every queue and the exchange are deleted in teardown.
import { createHmac, randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import type { Test } from 'tap'
import { DEFAULT_RETRY, createAmqpBus, deadQueueName, queueName, retryQueueName, type Bus } from '@gassistant/bus'
import { signGAssistant } from '@gassistant/contracts'
import { buildApp } from '@gassistant/ingress'
import type { OdooClient } from '@gassistant/odoo'
import { createMetrics } from '@gassistant/runtime'
import { createAmqpLocks } from '../../src/sync/amqp-locks.js'
import type { ConversionFeedback } from '../../src/conversions/feedback.js'
import type { TokenAlert } from '../../src/meta/token-alert.js'
import type { LeadProcessor } from '../../src/service.js'
import { APP_SECRET, memoryLog, odooClientFor, processorFor, startStandIns, type LogLine, type StandIns } from './harness.js'

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672'
/** The web form the ingress accepts in these tests, HMAC-signed like a website's signing backend does. */
export const FORM_KEY = 'contact'
const FORM_SECRET = 'contact-form-secret'
/** Small retry delays keep the suite fast; several of them so "Odoo down for a while" is survivable. */
const RETRY_MS = [50, 100, 200, 400, 800, 1600]

/** `X-Hub-Signature-256` of Meta and WhatsApp: HMAC-SHA256(app secret, the exact bytes sent). */
export function hubSignature(body: Buffer | string, secret = APP_SECRET): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }
}

/** `X-GAssistant-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (ingress forms route). */
export function formSignature(body: Buffer | string, at = new Date(), secret = FORM_SECRET): Record<string, string> {
  return { 'x-gassistant-signature': signGAssistant(secret, Math.floor(at.getTime() / 1000), body) }
}

export interface Webhook {
  path: string
  body: Buffer | string
  headers: Record<string, string>
}

export const metaWebhook = (body: Buffer | string): Webhook => ({ path: '/webhooks/meta', body, headers: hubSignature(body) })
export const whatsappWebhook = (body: Buffer | string): Webhook => ({ path: '/webhooks/whatsapp', body, headers: hubSignature(body) })
/** Signed when posted (the signature's timestamp must be fresh), the body bytes stay the same. */
export const formWebhook = (body: Buffer | string): Webhook => ({ path: `/webhooks/forms/${FORM_KEY}`, body, headers: {} })

export type OdooRow = Record<string, unknown> & { id: number }

export interface Hub {
  s: StandIns
  /** The hub's bus (the ingress's connection); also what an operator lists and replays dead letters with. */
  bus: Bus
  /** The lead-processor's service name, unique per run (its queues must not meet another run's). */
  service: string
  /** The exchange of this run. */
  exchange: string
  /** Everything the consumers' buses logged (retries, parking). */
  busLines: LogLine[]
  /** Everything the lead-processors logged. */
  processorLines: LogLine[]
  /** Every lead.* event the processors published (one per handled delivery), in arrival order. */
  outgoing: { type: string; data: Record<string, unknown> }[]
  /** POSTs a webhook to the ingress over HTTP; resolves with the status and the JSON answer. */
  post(webhook: Webhook): Promise<{ status: number; body: unknown }>
  /** `production`: the bus's default retry policy (1 s … 300 s, 6 h budget) and probe interval (5 s). */
  startConsumer(opts?: { amqpLocks?: boolean; production?: boolean; tokenAlert?: TokenAlert; conversions?: ConversionFeedback }): Promise<LeadProcessor>
  /** Every crm.lead read back over XML-RPC, as an Odoo user sees it (many2one as [id, name]). */
  leads(): Promise<OdooRow[]>
  tagNames(lead: OdooRow): Promise<string[]>
  /** Chatter note bodies of one lead, oldest first. */
  notes(leadId: number): string[]
}

export interface HubOptions {
  /** The clock of every bus (retry budgets); default the real one. */
  now?: () => Date
}

export async function startHub(t: Test, options: HubOptions = {}): Promise<Hub> {
  const run = randomUUID().slice(0, 8)
  const exchange = `test.lp.e2e.${run}`
  const service = `lead-processor-${run}`
  const lockPrefix = `test.lp.${run}.lock`
  const s = await startStandIns()
  const busLog = memoryLog()
  const processorLog = memoryLog()
  const buses: Bus[] = []
  const processors: { processor: LeadProcessor; odoo: OdooClient }[] = []
  const lockSets: { close(): Promise<void> }[] = []
  const newBus = async (name: string) => {
    const bus = await createAmqpBus({ url: AMQP_URL, exchange, reconnectSeconds: 0.2, connectionName: name, log: busLog.log, ...(options.now === undefined ? {} : { now: options.now }) })
    buses.push(bus)
    return bus
  }
  const bus = await newBus(`ingress-${run}`)
  const app = await buildApp({
    bus,
    log: memoryLog('ingress').log,
    metrics: createMetrics('ingress', { defaultMetrics: false }),
    config: {
      meta: { appSecret: APP_SECRET, verifyToken: 'meta-verify-token' },
      whatsapp: { appSecret: APP_SECRET, verifyToken: 'wa-verify-token' },
      odoo: { webhookSecret: 'test-odoo-secret' },
      forms: { [FORM_KEY]: { secret: FORM_SECRET } },
      trustProxy: [],
      bodyLimit: 1_048_576,
      rateLimit: { max: 10_000, windowMs: 60_000 },
    },
  })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const reader = odooClientFor(s.odooServer)
  // Records what the processors publish through an exclusive queue: the broker deletes it with the connection.
  const observer = await amqp.connect(AMQP_URL)
  const observing = await observer.createChannel()
  const { queue } = await observing.assertQueue('', { exclusive: true, autoDelete: true })
  await observing.bindQueue(queue, exchange, 'lead.#')
  const outgoing: Hub['outgoing'] = []
  await observing.consume(queue, (message) => {
    if (message) outgoing.push(JSON.parse(message.content.toString('utf8')) as Hub['outgoing'][number])
  }, { noAck: true })

  t.teardown(async () => {
    await app.close()
    await observer.close()
    for (const { processor, odoo } of processors) {
      await processor.stop()
      odoo.close()
    }
    for (const b of buses.reverse()) await b.close()
    for (const locks of lockSets) await locks.close()
    reader.close()
    await s.close()
    const conn = await amqp.connect(AMQP_URL)
    const ch = await conn.createChannel()
    const tiers = [...RETRY_MS, ...DEFAULT_RETRY.delaysMs].map((ms) => retryQueueName(service, ms))
    for (const q of [queueName(service), deadQueueName(service), ...tiers]) await ch.deleteQueue(q).catch(() => undefined)
    await ch.deleteExchange(exchange).catch(() => undefined)
    await conn.close()
  })

  return {
    s,
    bus,
    service,
    exchange,
    busLines: busLog.lines,
    processorLines: processorLog.lines,
    outgoing,
    async post({ path, body, headers }) {
      const signed = path.startsWith('/webhooks/forms/') ? { ...formSignature(body), ...headers } : headers
      const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signed } })
      return { status: res.status, body: await res.json() }
    },
    async startConsumer(opts = {}) {
      const consumerBus = await newBus(`lead-processor-${run}-${processors.length + 1}`)
      const locks = opts.amqpLocks ? createAmqpLocks({ url: AMQP_URL, prefix: lockPrefix }) : undefined
      if (locks) lockSets.push(locks)
      const built = processorFor(consumerBus, s, { service, retryMs: opts.production ? 'production' : RETRY_MS, log: processorLog.log, ...(locks ? { locks } : {}), ...(opts.tokenAlert ? { tokenAlert: opts.tokenAlert } : {}), ...(opts.conversions ? { conversions: opts.conversions } : {}) })
      processors.push(built)
      await built.processor.start()
      return built.processor
    },
    leads: () => reader.searchRead<OdooRow>('crm.lead', [], { order: 'id asc', context: { active_test: false } }),
    tagNames: async (lead) => (await reader.read<{ name: string }>('crm.tag', lead['tag_ids'] as number[], ['name'])).map((r) => r.name).sort(),
    notes: (leadId) => s.odooServer.messages('crm.lead', leadId).map((m) => String(m['body'])),
  }
}
