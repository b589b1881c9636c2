// Each default rule end to end, on the real broker and the Odoo stand-in with a fake clock: a hot lead, a large
// deal, no first response (then the escalation), a quotation not confirmed; and a response in time cancels.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { createCalendar, createClaims, createOdooRecords, explainLead, formatExplanation, loadRules, type CalendarSpec } from '../src/index.js'
import { startRig, type Rig } from './helpers/rig.js'

const scored = (leadId: number, tier: 'hot' | 'warm' | 'cold', id: string) => ({
  type: 'lead.scored.v1' as const, source: '/scoring', id,
  data: { leadId, score: tier === 'hot' ? 85 : 50, tier, breakdown: [], sourceEventId: `synced:${id}` },
})

const note = (rig: Rig, ruleId: string, leadId: number) => rig.notifications.filter((event) => {
  const data = event.data as { ruleId?: string; leadId?: number }
  return data.ruleId === ruleId && data.leadId === leadId
})

t.test('a hot lead: its salesperson is notified at once, once per lead', async (t) => {
  const rig = await startRig(t)
  const leadId = await rig.createLead({ name: 'فيلا في الرياض' })
  const warm = await rig.createLead({ name: 'Warm one' })
  await rig.publish(scored(warm, 'warm', 'warm-1'))
  await rig.publish(scored(leadId, 'hot', 'hot-1'))
  const [event] = await waitFor(() => note(rig, 'hot-lead', leadId).length > 0 && note(rig, 'hot-lead', leadId), 'the hot-lead notification')
  t.match(event!.data, {
    channel: 'slack', recipient: { userEmail: 'sara@example.com' }, ruleId: 'hot-lead', leadId,
    dedupeKey: `workflow-rules:hot-lead.l${leadId}:0`,
    text: `Hot lead \u2068فيلا في الرياض\u2069 (#${leadId}): contact them now.`,
  })
  // The same fact again (a re-score that stays hot, a redelivery) claims nothing new.
  await rig.publish(scored(leadId, 'hot', 'hot-2'))
  await waitFor(() => rig.lines.some((line) => line.event_id === 'hot-2' && line.msg === 'event handled'), 'the second event handled')
  t.equal(note(rig, 'hot-lead', leadId).length, 1, 'notified once')
  t.equal(note(rig, 'hot-lead', warm).length, 0, 'a warm lead is not')
  t.same(rig.odooServer.records('ir.model.data').filter((row) => row['module'] === 'gassistant_rules').map((row) => row['name']), [`hot-lead.l${leadId}`, `hot-lead.l${leadId}.done`], 'one claim in Odoo, done')
  t.match(await rig.metrics.registry.getSingleMetricAsString('workflow_rules_fired_total'), /workflow_rules_fired_total\{rule="hot-lead",action="notify",outcome="done",service="workflow-rules"\} 1/)
})

t.test('expected revenue above the threshold: the team leader is notified', async (t) => {
  const rig = await startRig(t)
  const big = await rig.createLead({ name: 'Compound', expected_revenue: 250000 })
  const small = await rig.createLead({ name: 'Flat', expected_revenue: 9000 })
  for (const [leadId, id] of [[small, 'odoo-small'], [big, 'odoo-big']] as const) {
    await rig.publish({
      type: 'inbound.odoo.lead.v1', source: '/ingress', id,
      data: { action: 'lead.updated', database: 'gassistant', occurredAt: rig.clock.now().toISOString(), lead: { id: leadId, name: 'x', writeDate: '2026-12-01 06:00:00' }, changed: ['expected_revenue'] },
    })
  }
  const [event] = await waitFor(() => note(rig, 'large-deal', big).length > 0 && note(rig, 'large-deal', big), 'the large-deal notification')
  t.match(event!.data, { recipient: { userEmail: 'omar@example.com' }, text: `Large deal: lead \u2068Compound\u2069 (#${big}) expects 250,000.` })
  await waitFor(() => rig.lines.some((line) => line.event_id === 'odoo-small' && line.msg === 'event handled'), 'the small lead handled')
  t.equal(note(rig, 'large-deal', small).length, 0, 'below the threshold: nothing')
})

t.test('no first response: Thursday 16:30 Riyadh + 2 working hours fires Sunday 10:30, the escalation at 12:30', async (t) => {
  const rig = await startRig(t, { at: '2026-12-03T13:30:00Z' })
  const leadId = await rig.createLead({ name: 'Thursday lead' })
  const explained = await explainLead({ rules: await loadRules(), records: createOdooRecords(rig.odoo), claims: createClaims(rig.odoo), calendar: async () => createCalendar((await loadRules()).calendar as CalendarSpec), now: () => rig.clock.now() }, leadId)
  t.same(explained!.rules.filter((standing) => standing.due !== undefined).map((standing) => [standing.rule.id, standing.due!.toISOString()]), [
    ['no-first-response', '2026-12-06T07:30:00.000Z'],
    ['no-first-response-escalation', '2026-12-06T09:30:00.000Z'],
  ], 'due Sunday 10:30 and 12:30 Riyadh time')
  t.same(formatExplanation(explained!), [
    `lead ${leadId}: created Thu 2026-12-03 16:30 (Asia/Riyadh), stage New, team Sales`,
    'hot-lead: on lead.scored.v1; matches when its tier does',
    'no-first-response: timer due Sun 2026-12-06 10:30 (Asia/Riyadh); condition holds; pending (unless first-response)',
    'no-first-response-escalation: timer due Sun 2026-12-06 12:30 (Asia/Riyadh); condition holds; pending (unless first-response)',
    'large-deal: on inbound.odoo.lead.v1, lead.synced.v1; condition does not hold',
  ], 'what `pnpm hub rules explain` prints')

  rig.clock.set('2026-12-06T07:29:00Z')
  const sweeps = rig.lines.filter((line) => line.msg === 'timers swept').length
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= sweeps + 2, 'two sweeps at 10:29')
  t.equal(rig.activities('crm.lead', leadId).length, 0, 'a minute early: nothing')

  rig.clock.set('2026-12-06T07:30:00Z')
  const [activity] = await waitFor(() => rig.activities('crm.lead', leadId).length > 0 && rig.activities('crm.lead', leadId), 'the follow-up activity')
  t.match(activity, { user_id: rig.people.sara, summary: 'First response overdue', date_deadline: '2026-12-06', activity_type_id: 2 })
  t.match(String(activity!['note']), /Due Sun 2026-12-06 10:30 \(Asia\/Riyadh\)/, 'the due minute is in the note')
  await waitFor(() => note(rig, 'no-first-response', leadId).length === 1, 'the reminder to Sara')
  t.match(note(rig, 'no-first-response', leadId)[0]!.data, { recipient: { userEmail: 'sara@example.com' } })
  t.match(await waitFor(() => rig.lines.find((line) => line.msg === 'timer fired'), 'the firing logged'), { rule: 'no-first-response', due: '2026-12-06T07:30:00.000Z', lateness_ms: 0 })

  rig.clock.set('2026-12-06T09:30:00Z')
  await waitFor(() => rig.activities('crm.lead', leadId).length === 2, 'the escalation activity')
  t.match(rig.activities('crm.lead', leadId)[1], { user_id: rig.people.omar, summary: 'Escalation: lead without a first response' })
  await waitFor(() => note(rig, 'no-first-response-escalation', leadId).length === 1, 'the escalation to Omar')
  t.match(note(rig, 'no-first-response-escalation', leadId)[0]!.data, { recipient: { userEmail: 'omar@example.com' } })

  const sweepsAfter = rig.lines.filter((line) => line.msg === 'timers swept').length
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= sweepsAfter + 3, 'three more sweeps')
  t.equal(rig.activities('crm.lead', leadId).length, 2, 'each timer fired once')
  t.equal(note(rig, 'no-first-response', leadId).length + note(rig, 'no-first-response-escalation', leadId).length, 2)
})

t.test('a response before the deadline cancels the timer and its escalation', async (t) => {
  const rig = await startRig(t, { at: '2026-12-01T06:00:00Z' })
  const noted = await rig.createLead({ name: 'Answered by a note' })
  const staged = await rig.createLead({ name: 'Moved on' })
  const done = await rig.createLead({ name: 'Activity done' })
  const hubOnly = await rig.createLead({ name: 'Only the hub wrote' })
  rig.clock.set('2026-12-01T07:00:00Z')
  await rig.asSara().messagePost('crm.lead', noted, 'Called, will visit Sunday')
  await rig.odoo.write('crm.lead', [staged], { stage_id: 2 })
  // What Odoo leaves when Sara marks an activity done: the activity is gone, a message of subtype Activities stays.
  const saraPartner = rig.odooServer.records('res.users').find((row) => row['id'] === rig.people.sara)!['partner_id']
  rig.odooServer.seed('mail.message', { model: 'crm.lead', res_id: done, message_type: 'notification', subtype_id: 3, author_id: saraPartner, body: '<p>Call done</p>' })
  await rig.odoo.messagePost('crm.lead', hubOnly, 'Lead score 40/100')

  rig.clock.set('2026-12-01T12:00:00Z')
  await waitFor(() => rig.activities('crm.lead', hubOnly).length === 2, 'both timers of the unanswered lead (the hub’s own note is no response)')
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timer cancelled: answered in time').length === 6, 'six timers cancelled')
  for (const leadId of [noted, staged, done]) {
    t.equal(rig.activities('crm.lead', leadId).length, 0, `lead ${leadId}: no activity`)
    t.equal(rig.notifications.filter((event) => (event.data as { leadId?: number }).leadId === leadId).length, 0, `lead ${leadId}: no notification`)
  }
})

t.test('a quotation sent and not confirmed after 3 working days: a reminder activity on it', async (t) => {
  const rig = await startRig(t, { at: '2026-12-01T08:00:00Z' })
  const leadId = await rig.createLead({ name: 'Quoted lead' })
  const partner = rig.odooServer.seed('res.partner', { name: 'Customer' })
  const sent = await rig.odoo.create('sale.order', { name: 'S00001', partner_id: partner, opportunity_id: leadId, user_id: rig.people.sara, state: 'sent' })
  const confirmed = await rig.odoo.create('sale.order', { name: 'S00002', partner_id: partner, opportunity_id: leadId, user_id: rig.people.sara, state: 'sent' })
  await rig.publish({
    type: 'inbound.odoo.order.v1', source: '/ingress', id: 'order-sent',
    data: { action: 'order.quotation_sent', database: 'gassistant', occurredAt: '2026-12-01T08:00:00.000Z', order: { id: sent, name: 'S00001', state: 'sent', amountTotal: 1000, writeDate: '2026-12-01 08:00:00' } },
  })
  const logged = await waitFor(() => rig.lines.find((line) => line.msg === 'quotation sent: reminder timers set'), 'the timer logged')
  t.same(logged['timers'], ['quotation-not-confirmed Sun 2026-12-06 11:00 (Asia/Riyadh)'], 'Tuesday 11:00 + 3 working days = Sunday 11:00')
  rig.clock.set('2026-12-03T10:00:00Z')
  await rig.odoo.write('sale.order', [confirmed], { state: 'sale' })
  rig.clock.set('2026-12-06T08:00:00Z')
  const [activity] = await waitFor(() => rig.activities('sale.order', sent).length > 0 && rig.activities('sale.order', sent), 'the reminder on the quotation')
  t.match(activity, { user_id: rig.people.sara, summary: 'Quotation not confirmed after 3 working days', date_deadline: '2026-12-06' })
  const sweeps = rig.lines.filter((line) => line.msg === 'timers swept').length
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= sweeps + 2, 'two more sweeps')
  t.equal(rig.activities('sale.order', sent).length, 1, 'once')
  t.equal(rig.activities('sale.order', confirmed).length, 0, 'a confirmed order gets none')
})
