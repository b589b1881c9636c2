// Conversion feedback end to end: the addon's signed lead webhooks go through the real ingress and RabbitMQ
// to the lead-processor, whose conversion feedback sends the lead's stages to the Graph stand-in's Conversions API
// (Meta's validation included) and records them on the lead in the Odoo stand-in.
import { createHash, randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import type { Bus } from '@gassistant/bus'
import { signGAssistant } from '@gassistant/contracts'
import { waitFor } from '@gassistant/test-support'
import { createConversionFeedback } from '../src/conversions/feedback.js'
import { createGraphClient, type GraphClient } from '../src/graph/client.js'
import { GraphError } from '../src/graph/errors.js'
import { createMemoryLocks } from '../src/sync/locks.js'
import { APP_SECRET, CAPI_TOKEN, DATASET_ID, PAGE_TOKENS, memoryLog, odooClientFor, type LogLine } from './helpers/harness.js'
import { startHub, type Hub } from './helpers/hub.js'

const LEADGEN_ID = '2200000000000042'
const FUNNEL = [{ stage: 'New', event: 'Initial Lead' }, { stage: 'Qualified', event: 'Qualified' }, { stage: 'Proposition', event: 'Proposition' }, { stage: 'Won', event: 'Won' }]
const STAGES: Record<string, number> = { New: 1, Qualified: 2, Proposition: 3, Won: 4 }
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

interface Rig {
  hub: Hub
  /** The consumers' bus log: one line per handled delivery.  */
  busLines: LogLine[]
  lines: LogLine[]
  service: string
  bus: Bus
  /** POSTs the addon's signed webhook for a lead in `stage`; returns the delivery's event id. */
  stageChanged(leadId: number, stage: string, opts?: { ref?: string; at?: Date; deliveryId?: string }): Promise<string>
  /** Resolves once the consumer handled (acked or parked) this delivery `times` times. */
  handled(eventId: string, times?: number): Promise<void>
}

async function startRig(t: Test, graphFor: (real: GraphClient) => GraphClient = (real) => real): Promise<Rig> {
  const hub = await startHub(t)
  const { log, lines } = memoryLog()
  const odoo = odooClientFor(hub.s.odooServer)
  t.teardown(() => odoo.close())
  const graph = graphFor(createGraphClient({ baseUrl: hub.s.graphServer.url, appSecret: APP_SECRET, pageTokens: () => PAGE_TOKENS, timeoutMs: 5_000 }))
  const conversions = createConversionFeedback({
    odoo,
    graph,
    log,
    locks: createMemoryLocks(),
    config: {
      target: { datasetId: DATASET_ID, token: CAPI_TOKEN, tokenOwner: { name: 'META_CAPI_TOKEN', fix: 'replace it' } },
      funnel: FUNNEL,
      crmName: 'Odoo',
      phoneRegion: 'SA',
      lockTimeoutMs: 5_000,
    },
  })
  await hub.startConsumer({ conversions })
  const busLog = { lines: hub.busLines }
  const service = hub.service
  const bus = hub.bus
  return {
    hub,
    busLines: busLog.lines,
    lines,
    service,
    bus,
    async stageChanged(leadId, stage, opts = {}) {
      const id = opts.deliveryId ?? randomUUID()
      const body = JSON.stringify({
        id,
        event: 'lead.stage_changed',
        timestamp: (opts.at ?? new Date()).toISOString(),
        database: 'crm_lab',
        model: 'crm.lead',
        record: { id: leadId, name: 'طلب عرض سعر', email_from: 'Lead42@Example.com ', phone: '055 123 4567', stage: { id: STAGES[stage] ?? 9, name: stage }, gassistant_ref: opts.ref ?? `meta:${LEADGEN_ID}`, write_date: '2026-01-08 10:30:00' },
        changed: ['stage_id'],
      })
      const signature = signGAssistant('test-odoo-secret', Math.floor(Date.now() / 1000), body)
      const res = await hub.post({ path: '/webhooks/odoo', body, headers: { 'x-gassistant-signature': signature } })
      if (res.status !== 200) throw new Error(`the ingress refused the addon's webhook: ${res.status} ${JSON.stringify(res.body)}`)
      return `odoo:${id}`
    },
    async handled(eventId, times = 1) {
      await waitFor(() => busLog.lines.filter((l) => l['event_id'] === eventId && (l.msg === 'event handled' || l.msg.startsWith('event parked'))).length >= times, `delivery ${eventId} handled ${times}×`, 30_000)
    },
  }
}

const seedLead = (rig: Rig, ref = `meta:${LEADGEN_ID}`): number => rig.hub.s.odooServer.seed('crm.lead', { name: 'طلب عرض سعر', gassistant_ref: ref, email_from: 'lead42@example.com' })
const names = (rig: Rig): string[] => rig.hub.s.graphServer.conversions.map((e) => e.event_name)

t.test('a Meta lead moved New → Won: Meta receives every stage in order, once, even when the webhook is delivered twice', async (t) => {
  const rig = await startRig(t)
  const leadId = seedLead(rig)
  await rig.stageChanged(leadId, 'New')
  await waitFor(() => names(rig).length === 1, 'the first stage sent', 30_000)
  const at = new Date(Math.floor(Date.now() / 1000) * 1000)
  const won = randomUUID()
  const eventId = await rig.stageChanged(leadId, 'Won', { deliveryId: won, at })
  await rig.stageChanged(leadId, 'Won', { deliveryId: won, at })
  await rig.handled(eventId, 2)
  t.same(names(rig), ['Initial Lead', 'Qualified', 'Proposition', 'Won'], 'every stage, the skipped ones before Won, each once')
  t.same(rig.hub.s.graphServer.conversionRequests.map((r) => r.events.length), [1, 3], 'one request per change')
  const wonEvent = rig.hub.s.graphServer.conversions[3]
  t.same(wonEvent, {
    event_name: 'Won',
    event_time: at.getTime() / 1000,
    action_source: 'system_generated',
    event_id: `${LEADGEN_ID}:won`,
    user_data: { lead_id: LEADGEN_ID, em: [sha256('lead42@example.com')], ph: [sha256('966551234567')] },
    custom_data: { event_source: 'crm', lead_event_source: 'Odoo' },
  }, 'leadgen id unhashed, email and phone normalized then hashed, the CRM fields')
  const notes = rig.hub.notes(leadId)
  t.equal(notes.length, 2, 'one note per send')
  t.match(notes[1], `[capi:${LEADGEN_ID}:won]`)
  t.ok(rig.lines.some((l) => l.msg === 'no conversion event for Meta' && l['reason'] === 'every stage already sent'), 'the redelivery found everything sent')
  t.notMatch(JSON.stringify(rig.lines), /lead42@example\.com|Lead42/i, 'no email in the logs')
})

t.test('never sent: WhatsApp and web-form leads, stage changes older than 7 days, stages outside the funnel', async (t) => {
  const rig = await startRig(t)
  const wa = seedLead(rig, 'wa:966551234567')
  const form = seedLead(rig, 'form:contact:abc')
  const meta = seedLead(rig)
  const ids = [
    await rig.stageChanged(wa, 'Won', { ref: 'wa:966551234567' }),
    await rig.stageChanged(form, 'Won', { ref: 'form:contact:abc' }),
    await rig.stageChanged(meta, 'Won', { at: new Date(Date.now() - 8 * 86_400_000) }),
    await rig.stageChanged(meta, 'Negotiation'),
  ]
  for (const id of ids) await rig.handled(id)
  t.same(rig.hub.s.graphServer.conversionRequests, [], 'nothing reached Meta')
  t.same(rig.lines.filter((l) => l.msg === 'no conversion event for Meta').map((l) => l['reason']), ['older than 7 days', 'stage not in the funnel'])
})

t.test('one event Meta refuses does not sink the rest: the others are sent alone, the message parks with the reason', async (t) => {
  const rig = await startRig(t, (real) => ({
    ...real,
    async sendConversions(target, events, signal) {
      if (events.some((e) => e.event_name === 'Proposition')) throw new GraphError('GRAPH_ERROR', 'Graph API refused 1 conversion event(s) (Graph code 100/2804003, HTTP 400): Invalid parameter', false, { graphCode: 100 })
      return real.sendConversions(target, events, signal)
    },
  }))
  const leadId = seedLead(rig)
  const eventId = await rig.stageChanged(leadId, 'Won')
  await rig.handled(eventId)
  t.same(names(rig), ['Initial Lead', 'Qualified', 'Won'], 'the good events went through one by one')
  const [parked] = await rig.bus.deadLetters.list(rig.service)
  t.match(parked?.reason, /^META_CAPI_REFUSED: Proposition: .*Invalid parameter/)
  t.match(rig.hub.notes(leadId)[0], `[capi:${LEADGEN_ID}:won]`, 'what was sent is recorded, so a replay sends only the refused one')
})

t.test("Meta's own refusal (a lead id that is not Meta's) parks the message with Meta's reason", async (t) => {
  const rig = await startRig(t)
  const leadId = seedLead(rig, 'meta:12345')
  const eventId = await rig.stageChanged(leadId, 'New', { ref: 'meta:12345' })
  await rig.handled(eventId)
  t.equal(rig.hub.s.graphServer.conversions.length, 0)
  t.match(rig.hub.s.graphServer.conversionRequests[0], { errorCode: 100 })
  const [parked] = await rig.bus.deadLetters.list(rig.service)
  t.match(parked?.reason, /META_CAPI_REFUSED: Initial Lead: .*Invalid Lead ID/)
})
