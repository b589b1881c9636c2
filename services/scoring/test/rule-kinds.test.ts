// The engagement, form-answer and Odoo-probability rules end to end on a real RabbitMQ and the Odoo
// stand-in, with the lead written in the lead-processor's own formats (its html.ts): a Meta lead whose
// customer then writes on WhatsApp, a web form answered in Arabic, and a database with predictive history.
import t from 'tap'
import { createEvent, type DataOf } from '@gassistant/contracts'
import { waitFor } from '@gassistant/test-support'
import type { LeadDraft } from '../../lead-processor/src/draft.js'
import { descriptionHtml, noteHtml } from '../../lead-processor/src/sync/html.js'
import { startRig, type Synced } from './helpers/rig.js'

const WA_ID = '966551234567'

function synced(leadId: number, channel: Synced['channel']): Synced {
  return { outcome: 'created', leadId, externalRef: `${channel}:${leadId}`, channel, sourceEventId: `${channel}:${leadId}`, flags: [], lead: { name: 'عرض رمضان' } }
}

const draft = (overrides: Partial<LeadDraft>): LeadDraft => ({
  channel: 'form', externalRef: 'form:1', sourceLabel: 'Web Form', fields: {}, answers: [], utm: {}, adFacts: [], isTestLead: false, submittedAt: '2026-11-29T10:00:00Z', ...overrides,
})

const ruleIds = (data: unknown): string[] => (data as DataOf<'lead.scored.v1'>).breakdown.map((entry) => entry.rule)

t.test('a Meta lead whose customer writes on WhatsApp within the hour: one re-score adds the engagement points', async (t) => {
  const rig = await startRig(t, { debounceMs: 300 })
  const leadId = await rig.createLead({ channel: 'meta', contactName: 'محمد القحطاني', phone: `+${WA_ID}`, email: 'm.qahtani@example.com' })
  await rig.publishSynced('meta:10', synced(leadId, 'meta'))
  await waitFor(() => rig.scored.length === 1, 'first score')
  t.equal((rig.scored[0]!.data as DataOf<'lead.scored.v1'>).score, 70)
  const writes = rig.writes()

  // The lead-processor logs the message on the lead, then the scoring sees the message event.
  const message = draft({ channel: 'whatsapp', externalRef: `wa:${WA_ID}`, sourceLabel: 'WhatsApp', phone: `+${WA_ID}`, message: 'متى يمكنني الزيارة؟', messageId: 'wamid.1' })
  await rig.odoo.create('mail.message', { model: 'crm.lead', res_id: leadId, body: noteHtml(message, [], 'message'), message_type: 'comment' })
  await rig.bus.publish(createEvent({
    type: 'inbound.whatsapp.message.v1', source: '/ingress', id: 'wa-msg-1',
    data: { messageId: 'wamid.1', waId: WA_ID, phoneNumberId: '1234567890', timestamp: new Date().toISOString(), messageType: 'text', text: 'متى يمكنني الزيارة؟' },
  }))
  await waitFor(() => rig.scored.length === 2, 're-score')
  const data = rig.scored[1]!.data as DataOf<'lead.scored.v1'>
  t.equal(data.score, 85)
  t.equal(data.previousTier, 'hot')
  t.same(data.breakdown.find((entry) => entry.rule === 'wrote-within-1h')?.reasons, { en: 'Wrote on WhatsApp within an hour of the lead', ar: 'راسلنا على واتساب خلال ساعة من تسجيله' }, 'Arabic intact on the bus')
  t.equal(rig.writes(), writes + 1, 'one write')
  t.equal(rig.notes(leadId).filter((body) => body.includes('Lead score')).length, 1, 'same tier: no second tier note')
  t.match(String((await rig.lead(leadId))['gassistant_score_breakdown']), 'راسلنا على واتساب خلال ساعة من تسجيله', 'Arabic intact in Odoo')
})

t.test('form answers in Arabic count per question; the lead-processor kept them in the description', async (t) => {
  const rig = await startRig(t)
  const form = draft({ answers: [{ question: 'ما_هي_ميزانيتك؟', answer: '٧٥٬٠٠٠ ريال' }, { question: 'متى تخطط للشراء؟', answer: 'هذا الشهر' }, { question: 'colour', answer: 'blue' }] })
  const leadId = await rig.createLead({ channel: 'form', contactName: 'Omar', values: { description: descriptionHtml(form) } })
  await rig.publishSynced('form:20', synced(leadId, 'form'))
  await waitFor(() => rig.scored.length === 1, 'scored')
  t.same(ruleIds(rig.scored[0]!.data), ['web-form', 'has-name', 'budget-50k', 'buying-this-month'])
  t.equal((await rig.lead(leadId))['gassistant_score'], 45, '20 + 10 + 15')
  const breakdown = JSON.parse(String((await rig.lead(leadId))['gassistant_score_breakdown'])) as { rule: string; reason: { ar: string } }[]
  t.equal(breakdown.find((entry) => entry.rule === 'buying-this-month')?.reason.ar, 'ينوي الشراء هذا الشهر')
  t.notOk(rig.lines.some((line) => JSON.stringify(line).includes('٧٥٬٠٠٠') || JSON.stringify(line).includes('Omar')), 'no answer or name in the logs')
})

t.test("Odoo's predictive probability counts only where Odoo has one", async (t) => {
  for (const scoringHistory of [false, true]) {
    const rig = await startRig(t, { scoringHistory })
    const leadId = await rig.createLead({ channel: 'form', contactName: 'Omar' })
    await rig.publishSynced('form:30', synced(leadId, 'form'))
    await waitFor(() => rig.scored.length === 1, 'scored')
    const data = rig.scored[0]!.data as DataOf<'lead.scored.v1'>
    if (scoringHistory) {
      t.same(data.breakdown.find((entry) => entry.rule === 'odoo-prediction'), { rule: 'odoo-prediction', points: 11, reason: 'Odoo predicts a 55% chance of winning', reasons: { en: 'Odoo predicts a 55% chance of winning', ar: 'يتوقع أودو فرصة فوز 55٪' } }, 'with history: 0.2 × 55.43')
      t.equal(data.score, 31)
    } else {
      t.notOk(ruleIds(data).includes('odoo-prediction'), 'a new database: no prediction, no points')
      t.equal(data.score, 20)
    }
  }
})
