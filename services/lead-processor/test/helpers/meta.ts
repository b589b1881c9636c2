// Meta's side of the round-trip tests: made-up Lead Ads leads (distinct people, 16-digit leadgen ids) for the
// Graph stand-in, the signed webhook Meta would send for them, a reconciler wired as wiring.ts wires it (with
// a recorded, instant sleep instead of real waits), and an observer of what is published on the run's exchange.
import amqp from 'amqplib'
import type { Test } from 'tap'
import type { AnyEvent } from '@gassistant/contracts'
import type { GraphLead } from '@gassistant/sandbox'
import { createGraphClient } from '../../src/graph/client.js'
import { checkpointKey, createOdooCheckpoints } from '../../src/meta/checkpoints.js'
import { createReconciler, type Reconciler } from '../../src/meta/reconcile.js'
import { createThrottle } from '../../src/meta/throttle.js'
import type { TokenAlert } from '../../src/meta/token-alert.js'
import { APP_SECRET, PAGE_ID, PAGE_TOKENS, memoryLog, odooClientFor } from './harness.js'
import { AMQP_URL, metaWebhook, type Hub, type Webhook } from './hub.js'

export const FORMS = ['555000000000001', '555000000000002', '555000000000003'] as const

/** `count` leads of `formId`, created in the last `count` seconds before `newest`; ids from `first` on. */
export function metaLeads(count: number, formId: string, first: number, newest = new Date()): GraphLead[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i
    const created = new Date(newest.getTime() - i * 1000)
    return {
      id: String(2_200_000_000_000_000 + n),
      created_time: created.toISOString().replace(/\.\d{3}Z$/, '+0000'),
      form_id: formId,
      page_id: PAGE_ID,
      ad_id: '120210000000000011',
      platform: 'fb',
      is_organic: false,
      field_data: [
        { name: 'full_name', values: [`Lead ${n}`] },
        { name: 'email', values: [`lead${n}@example.com`] },
        { name: 'phone_number', values: [`+96655${String(n).padStart(7, '0')}`] },
      ],
    }
  })
}

/** One signed Meta webhook delivering these leads (Meta batches up to 1000 changes per POST). */
export function webhookFor(leads: readonly GraphLead[]): Webhook {
  const body = JSON.stringify({
    object: 'page',
    entry: [{
      id: PAGE_ID,
      time: Math.floor(Date.now() / 1000),
      changes: leads.map((lead) => ({
        field: 'leadgen',
        value: { leadgen_id: lead.id, page_id: PAGE_ID, form_id: lead.form_id, ad_id: lead.ad_id, adgroup_id: lead.ad_id, created_time: Math.floor(new Date(lead.created_time).getTime() / 1000) },
      })),
    }],
  })
  return metaWebhook(body)
}

export interface Wait { ms: number; reason: string; percent?: number; graphCode?: number }

export interface ReconcilerRig {
  reconciler: Reconciler
  /** Every wait the throttle asked for (the sleep itself is instant). */
  waits: Wait[]
  lines: ReturnType<typeof memoryLog>['lines']
}

export function reconcilerFor(hub: Hub, opts: { now?: () => Date; windowMs?: number; pageSize?: number; tokenAlert?: TokenAlert } = {}): ReconcilerRig {
  const odoo = odooClientFor(hub.s.odooServer)
  const { log, lines } = memoryLog()
  const waits: Wait[] = []
  const reconciler = createReconciler({
    graph: createGraphClient({ baseUrl: hub.s.graphServer.url, appSecret: APP_SECRET, pageTokens: () => PAGE_TOKENS, timeoutMs: 5_000 }),
    odoo,
    bus: hub.bus,
    log,
    pageTokens: () => PAGE_TOKENS,
    checkpoints: createOdooCheckpoints(odoo, log),
    windowMs: opts.windowMs ?? 2 * 3_600_000,
    throttle: createThrottle({ sleep: async () => undefined, onWait: (wait) => void waits.push({ ...wait }) }),
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.pageSize === undefined ? {} : { pageSize: opts.pageSize }),
    ...(opts.tokenAlert === undefined ? {} : { tokenAlert: opts.tokenAlert }),
  })
  return { reconciler, waits, lines }
}

/** Every event published on the run's exchange under `pattern`, in arrival order (an exclusive queue, gone with the test). */
export async function observe(t: Test, hub: Hub, pattern: string): Promise<AnyEvent[]> {
  const connection = await amqp.connect(AMQP_URL)
  t.teardown(() => connection.close())
  const channel = await connection.createChannel()
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true })
  await channel.bindQueue(queue, hub.exchange, pattern)
  const seen: AnyEvent[] = []
  await channel.consume(queue, (message) => {
    if (message) seen.push(JSON.parse(message.content.toString('utf8')) as AnyEvent)
  }, { noAck: true })
  return seen
}

/** Read from the stand-in's own tables: polling a thousand leads over XML-RPC would slow the very pipeline under test. */
export const leadCount = (hub: Hub): number => hub.s.odooServer.records('crm.lead').length
export const refs = (hub: Hub): string[] => hub.s.odooServer.records('crm.lead').map((lead) => String(lead['gassistant_ref']))

/** Posts the leads' webhooks through the real ingress, 100 a request. */
export async function deliver(hub: Hub, leads: readonly GraphLead[]): Promise<void> {
  for (let i = 0; i < leads.length; i += 100) {
    const res = await hub.post(webhookFor(leads.slice(i, i + 100)))
    if (res.status !== 200) throw new Error(`webhook refused: ${res.status}`)
  }
}

/** The form's reconciliation checkpoint as the Odoo stand-in holds it. */
export function checkpoint(hub: Hub, formId: string): string | undefined {
  const row = hub.s.odooServer.records('ir.config_parameter').find((r) => r['key'] === checkpointKey(PAGE_ID, formId))
  return row === undefined ? undefined : String(row['value'])
}
