// Re-scores end to end on a real RabbitMQ (a vhost of this test's own) and the Odoo stand-in: a WhatsApp
// burst from a known sender, the addon's lead updates (its echo of the score, a stage change), and the
// same lead scoring the same from lead.synced.v1 and from what Odoo holds.
import t from 'tap'
import { createEvent, type AnyEvent, type DataOf } from '@gassistant/contracts'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { waitFor } from '@gassistant/test-support'
import { loadRules } from '../src/index.js'
import { scoreInOdoo } from '../src/odoo-score.js'
import { startRig, type Rig } from './helpers/rig.js'

const WA_ID = '966551234567'

/** A WhatsApp lead as the lead-processor writes it (addon installed): reference, phone, channel tag, flags. */
async function whatsappLead(odoo: OdooClient): Promise<number> {
  await odoo.connect()
  const tag = await odoo.create('crm.tag', { name: 'WhatsApp' })
  return odoo.create('crm.lead', {
    name: 'محادثة واتساب',
    contact_name: 'محمد القحطاني',
    phone: `+${WA_ID}`,
    email_from: 'm.qahtani@example.com',
    gassistant_ref: `wa:${WA_ID}`,
    gassistant_flags: 'REPEAT_ENQUIRY',
    tag_ids: [[6, 0, [tag]]],
  })
}

function message(n: number, waId = WA_ID): AnyEvent {
  return createEvent({
    type: 'inbound.whatsapp.message.v1',
    source: '/ingress',
    id: `wa-msg-${waId}-${n}`,
    data: { messageId: `wamid.${n}`, waId, phoneNumberId: '1234567890', timestamp: new Date().toISOString(), messageType: 'text', text: `رسالة ${n}` },
  })
}

function odooLead(id: string, leadId: number, action: DataOf<'inbound.odoo.lead.v1'>['action'], changed: string[]): AnyEvent {
  return createEvent({
    type: 'inbound.odoo.lead.v1',
    source: '/ingress',
    id,
    data: { action, database: 'db', occurredAt: new Date().toISOString(), lead: { id: leadId, name: 'lead', writeDate: '2026-11-29 15:00:00' }, changed },
  })
}

const handled = (rig: Rig): number => rig.lines.filter((line) => line.msg === 'whatsapp message handled: its lead is re-scored').length

t.test('a burst of ten WhatsApp messages from a known sender: one re-score, one write, Arabic reasons intact', async (t) => {
  const rig = await startRig(t, { debounceMs: 1_000 })
  const leadId = await whatsappLead(rig.odoo)
  for (let n = 0; n < 10; n++) await rig.bus.publish(message(n))
  await waitFor(() => handled(rig) === 10, 'all ten messages handled')

  t.equal(rig.writes(), 1, 'exactly one re-score write')
  t.equal(rig.scored.length, 1, 'one lead.scored.v1')
  const data = rig.scored[0]!.data as DataOf<'lead.scored.v1'>
  t.equal(data.leadId, leadId)
  t.same(data.breakdown.map((entry) => entry.rule), ['click-to-whatsapp', 'has-name', 'valid-phone', 'valid-email', 'repeat-enquiry'], 'channel, contact details and flags read from the lead')
  const [lead] = await rig.odoo.read<{ gassistant_score_breakdown: string }>('crm.lead', [leadId], ['gassistant_score_breakdown'])
  t.match(lead!.gassistant_score_breakdown, 'رقم هاتف صالح', 'Arabic intact in Odoo')
  t.ok(data.breakdown.some((entry) => entry.reasons?.ar === 'رقم هاتف صالح'), 'Arabic intact on the bus')
})

t.test('a message from an unknown number writes nothing', async (t) => {
  const rig = await startRig(t, { debounceMs: 1_000 })
  await whatsappLead(rig.odoo)
  await rig.bus.publish(message(1, '971500000001'))
  await waitFor(() => handled(rig) === 1, 'handled')
  t.ok(rig.lines.some((line) => line.msg === 'no lead in Odoo for this sender: nothing to score'))
  t.equal(rig.writes(), 0)
  t.equal(rig.scored.length, 0)
})

t.test("the addon's echo of the score writes nothing; a stage change re-scores", async (t) => {
  const rig = await startRig(t, { debounceMs: 1_000 })
  const leadId = await whatsappLead(rig.odoo)
  await rig.bus.publish(odooLead('odoo-1', leadId, 'lead.created', ['stage_id']))
  await waitFor(() => rig.scored.length === 1, 'first score')
  const writes = rig.writes()

  await rig.bus.publish(odooLead('odoo-echo', leadId, 'lead.updated', ['gassistant_score', 'gassistant_score_breakdown', 'priority']))
  await waitFor(() => rig.lines.some((line) => line.msg === 'lead change does not affect its score' && line['event_id'] === 'odoo-echo'), 'echo handled')
  t.equal(rig.writes(), writes, 'no new write for the echo')
  t.equal(rig.scored.length, 1, 'nothing published for the echo')

  await rig.odoo.write('crm.lead', [leadId], { expected_revenue: 60_000 })
  const before = rig.writes()
  await rig.bus.publish(odooLead('odoo-stage', leadId, 'lead.stage_changed', ['stage_id']))
  await waitFor(() => rig.scored.length === 2, 're-scored')
  t.equal(rig.writes(), before + 1, 'one re-score write')
  const data = rig.scored[1]!.data as DataOf<'lead.scored.v1'>
  t.equal(data.score, (rig.scored[0]!.data as DataOf<'lead.scored.v1'>).score + 20, 'two revenue bands added')
  t.equal(data.sourceEventId, 'odoo-stage')

  await rig.bus.publish(odooLead('odoo-probability', leadId, 'lead.updated', ['probability']))
  await waitFor(() => rig.scored.length === 3, "re-scored on Odoo's probability")
  t.equal(rig.writes(), before + 1, 'nothing changed: no write')
})

t.test('the same lead scores the same whatever finds it; a lead with several channel tags counts by precedence', async (t) => {
  const odooServer = await startOdooStandIn({ addonInstalled: true })
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password, timeoutMs: 2_000 })
  t.teardown(async () => {
    odoo.close()
    await odooServer.close()
  })
  await odoo.connect()
  const rules = await loadRules()
  // Created on WhatsApp first (its tag first), then the same person sent a Meta lead ad: a paid Meta lead.
  const [whatsappTag, metaTag, flagTag] = [await odoo.create('crm.tag', { name: 'WhatsApp' }), await odoo.create('crm.tag', { name: 'Meta Lead Ads' }), await odoo.create('crm.tag', { name: 'DISPOSABLE_EMAIL' })]
  const source = await odoo.create('utm.source', { name: 'facebook' })
  const medium = await odoo.create('utm.medium', { name: 'paid' })
  const leadId = await odoo.create('crm.lead', {
    name: 'عرض رمضان', contact_name: 'محمد القحطاني', phone: `+${WA_ID}`, email_from: 'x@mailinator.com', expected_revenue: 12_000,
    tag_ids: [[6, 0, [whatsappTag, metaTag, flagTag]]], gassistant_flags: 'DISPOSABLE_EMAIL', gassistant_ref: `wa:${WA_ID}`, source_id: source, medium_id: medium,
  })
  const byId = await scoreInOdoo(odoo, rules, { leadId })
  const bySender = await scoreInOdoo(odoo, rules, { domain: [['gassistant_ref', '=', `wa:${WA_ID}`]] })
  if (byId.kind !== 'scored' || bySender.kind !== 'scored') throw new Error('lead missing')
  t.same(bySender.result, byId.result, 'same score, tier and breakdown')
  t.same(byId.result.breakdown.map((entry) => entry.rule), ['paid-meta-ad', 'has-name', 'valid-phone', 'valid-email', 'revenue-10k', 'disposable-email'], 'meta wins over whatsapp; the flag from gassistant_flags')
  t.equal(bySender.wrote, false, 'nothing new to write')
})
