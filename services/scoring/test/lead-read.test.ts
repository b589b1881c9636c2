// What one read of a lead gives the rules, from records written in the lead-processor's own formats (its
// html.ts is imported, so a change of its description or note format fails here): form answers from the
// description, inbound WhatsApp messages from its notes, Odoo's predictive probability only when Odoo has one.
import t from 'tap'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import type { LeadDraft } from '../../lead-processor/src/draft.js'
import { descriptionHtml, noteHtml } from '../../lead-processor/src/sync/html.js'
import { loadRules } from '../src/index.js'
import { answersOfDescription, odooFactsOfRow, readLead } from '../src/lead-read.js'

const draft: LeadDraft = {
  channel: 'form',
  externalRef: 'form:1',
  sourceLabel: 'Web Form',
  contactName: 'محمد القحطاني',
  phone: '+966551234567',
  fields: {},
  answers: [
    { question: 'ما_هي_ميزانيتك؟', answer: '٦٠٬٠٠٠ ريال' },
    { question: 'timeline', answer: 'this month & "soon"' },
    { question: 'note', answer: 'time: 10:30 <b>am</b>' },
  ],
  utm: {},
  adFacts: [],
  message: 'أريد عرض سعر',
  isTestLead: false,
  submittedAt: '2026-11-29T10:00:00Z',
}

async function standIn(t: { teardown(fn: () => unknown): void }, scoringHistory = false): Promise<OdooClient> {
  const server = await startOdooStandIn({ addonInstalled: true, scoringHistory, now: () => new Date('2026-11-29T10:00:00Z') })
  const odoo = createOdooClient({ url: server.url, db: server.db, username: server.username, password: server.password, timeoutMs: 2_000 })
  t.teardown(async () => {
    odoo.close()
    await server.close()
  })
  await odoo.connect()
  return odoo
}

t.test("form answers are read back from the lead-processor's description, entities and Arabic intact", async (t) => {
  t.same(answersOfDescription(descriptionHtml(draft)), [
    { question: 'ما_هي_ميزانيتك؟', answer: '٦٠٬٠٠٠ ريال' },
    { question: 'timeline', answer: 'this month & "soon"' },
    { question: 'note', answer: 'time: 10:30 <b>am</b>' },
  ], 'the message paragraph is not an answer; a colon inside the answer stays')
  t.same(answersOfDescription(false), [])
})

t.test('one read gives answers, WhatsApp messages after the lead, and no probability on a new database', async (t) => {
  const odoo = await standIn(t)
  const rules = await loadRules()
  const leadId = await odoo.create('crm.lead', { name: 'lead', description: descriptionHtml(draft) })
  const whatsapp = { ...draft, channel: 'whatsapp' as const, answers: [], sourceLabel: 'WhatsApp', messageId: 'wamid.1' }
  const note = (body: string, date: string) => odoo.create('mail.message', { model: 'crm.lead', res_id: leadId, body, message_type: 'comment', date })
  await note(noteHtml(draft, [], 'created'), '2026-11-29 10:00:00')
  await note(noteHtml(whatsapp, [], 'message'), '2026-11-29 10:20:00')
  await note(noteHtml(whatsapp, [], 'message'), '2026-11-29 13:00:00')
  await note('<p>Lead score 70/100: hot</p>', '2026-11-29 10:21:00')

  const row = await readLead(odoo, rules, { leadId })
  if (row === undefined) throw new Error('lead missing')
  const facts = odooFactsOfRow(row)
  t.same(facts.whatsappMinutesAfterLead?.slice().sort((a, b) => a - b), [20, 180], "only the lead-processor's WhatsApp message notes, in minutes after the lead")
  t.same(facts.answers?.[0], { question: 'ما_هي_ميزانيتك؟', answer: '٦٠٬٠٠٠ ريال' })
  t.equal(facts.odooProbability, undefined, 'a new database: Odoo has no probability (reads as 0)')
})

t.test("with predictive history, Odoo's probability is an input", async (t) => {
  const odoo = await standIn(t, true)
  const leadId = await odoo.create('crm.lead', { name: 'lead' })
  const row = await readLead(odoo, await loadRules(), { leadId })
  t.equal(row && odooFactsOfRow(row).odooProbability, 55.43)
})
