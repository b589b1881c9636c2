// The scoring service end to end: lead.synced.v1 published on a real RabbitMQ (a vhost of this test's
// own), scored into the Odoo stand-in, lead.scored.v1 observed on the exchange. Assertions are on what an
// Odoo user sees (fields, stars, chatter notes) and on the published events.
import t from 'tap'
import type { DataOf } from '@gassistant/contracts'
import { waitFor } from '@gassistant/test-support'
import { startRig, type LeadSpec, type Synced } from './helpers/rig.js'

/** lead.synced.v1 for a lead the lead-processor wrote (a paid Meta lead unless `overrides` say otherwise). */
function syncedData(leadId: number, overrides: Partial<Synced> = {}): Synced {
  return {
    outcome: 'created',
    leadId,
    externalRef: `meta:${leadId}`,
    channel: 'meta',
    sourceEventId: `meta:${leadId}`,
    flags: [],
    lead: { name: 'عرض رمضان' },
    ...overrides,
  }
}

/** A complete paid Meta lead, as the lead-processor writes it. */
const completePaid: LeadSpec = { channel: 'meta', contactName: 'محمد القحطاني', phone: '+966551234567', email: 'm.qahtani@example.com' }

t.test('a complete paid lead: score, breakdown, stars and one note in Odoo; lead.scored.v1 with Arabic reasons', async (t) => {
  const rig = await startRig(t)
  const leadId = await rig.createLead(completePaid)
  await rig.publishSynced('meta:1', syncedData(leadId))
  await waitFor(() => rig.scored.length === 1, 'lead.scored.v1')

  const lead = await rig.lead(leadId)
  t.equal(lead['gassistant_score'], 70)
  t.equal(lead['priority'], '3', 'hot: three stars')
  const breakdown = JSON.parse(String(lead['gassistant_score_breakdown'])) as { rule: string; points: number; reason: { ar: string; en: string } }[]
  t.same(breakdown.map((entry) => [entry.rule, entry.points]), [['paid-meta-ad', 25], ['has-name', 10], ['valid-phone', 20], ['valid-email', 15]])
  t.same(breakdown[0]?.reason, { ar: 'جاء من إعلان ميتا مدفوع', en: 'Came from a paid Meta lead ad' }, 'Arabic intact in Odoo')
  const notes = rig.notes(leadId)
  t.equal(notes.length, 1, 'one note for the first tier')
  t.match(notes[0], 'Lead score 70/100: hot')
  t.match(notes[0], 'تقييم العميل 70/100: ساخن')

  const event = rig.scored[0]!
  t.equal(event.id, 'scored:meta:1', 'id derived from the inbound event')
  t.match(event.data, { leadId, score: 70, tier: 'hot', sourceEventId: 'meta:1' })
  t.notOk('previousScore' in (event.data as object), 'no previous score on a first scoring')
  t.same((event.data as DataOf<'lead.scored.v1'>).breakdown[2], { rule: 'valid-phone', points: 20, reason: 'Valid phone number', reasons: { en: 'Valid phone number', ar: 'رقم هاتف صالح' } }, 'Arabic intact on the bus')
})

t.test('an incomplete organic lead scores below a complete paid one', async (t) => {
  const rig = await startRig(t)
  const paid = await rig.createLead(completePaid)
  const organic = await rig.createLead({ channel: 'form', contactName: 'Omar' })
  await rig.publishSynced('meta:paid', syncedData(paid))
  await rig.publishSynced('form:organic', syncedData(organic, { channel: 'form', externalRef: 'form:organic' }))
  await waitFor(() => rig.scored.length === 2, 'both scored')
  const [paidLead, organicLead] = [await rig.lead(paid), await rig.lead(organic)]
  t.equal(organicLead['gassistant_score'], 20)
  t.equal(organicLead['priority'], '1', 'cold: one star')
  t.ok(Number(paidLead['gassistant_score']) > Number(organicLead['gassistant_score']))
})

t.test('redelivery and unchanged inputs write nothing and post no second note; a tier change posts one', async (t) => {
  const rig = await startRig(t, { debounceMs: 200 })
  const leadId = await rig.createLead(completePaid)
  await rig.publishSynced('meta:2', syncedData(leadId))
  await waitFor(() => rig.scored.length === 1, 'first score')
  const writes = rig.odooServer.calls.count('crm.lead', 'write')

  await rig.publishSynced('meta:2', syncedData(leadId))
  await waitFor(() => rig.scored.length === 2, 'redelivery scored')
  t.equal(rig.odooServer.calls.count('crm.lead', 'write'), writes, 'no new write')
  t.equal(rig.notes(leadId).length, 1, 'no second note')
  t.match(rig.scored[1]!.data, { score: 70, previousScore: 70, tier: 'hot' })

  await rig.setFlags(leadId, ['DO_NOT_CALL'])
  await rig.publishSynced('meta:3', syncedData(leadId, { outcome: 'merged', flags: ['DO_NOT_CALL', 'REPEAT_ENQUIRY'] }))
  await waitFor(() => rig.scored.length === 3, 'flagged re-score')
  const lead = await rig.lead(leadId)
  t.equal(lead['gassistant_score'], 39, 'do-not-call caps the score')
  t.equal(lead['priority'], '1')
  const notes = rig.notes(leadId)
  t.equal(notes.length, 2, 'one note for the tier change')
  t.match(notes[1], 'Lead score 39/100: cold (was hot')
  t.match(rig.scored[2]!.data, { score: 39, previousScore: 70, tier: 'cold' })
})

t.test('expected revenue is read from Odoo', async (t) => {
  const rig = await startRig(t)
  const leadId = await rig.createLead({ channel: 'form', contactName: 'Omar', values: { expected_revenue: 60_000 } })
  await rig.publishSynced('form:big', syncedData(leadId, { channel: 'form' }))
  await waitFor(() => rig.scored.length === 1, 'scored')
  t.equal((await rig.lead(leadId))['gassistant_score'], 40, '20 + two revenue bands')
  t.equal(rig.odooServer.calls.count('crm.lead', 'web_search_read'), 1, 'one read of the lead')
  t.equal(rig.odooServer.calls.count('crm.lead', 'write'), 1, 'one write, carrying the note')
})

t.test('a lead that no longer exists is acknowledged with a log line, not parked', async (t) => {
  const rig = await startRig(t)
  await rig.publishSynced('meta:gone', syncedData(999_999))
  await waitFor(() => rig.lines.some((line) => line.msg === 'lead no longer exists in Odoo: nothing to score'), 'the log line')
  t.equal(rig.scored.length, 0, 'nothing published')
  t.notOk(rig.lines.some((line) => String(line.msg).includes('parked')), 'not parked')
})

t.test('without the addon: stars and a note only, said once at start', async (t) => {
  const rig = await startRig(t, { addonInstalled: false })
  const leadId = await rig.createLead(completePaid)
  await rig.publishSynced('meta:4', syncedData(leadId))
  await waitFor(() => rig.scored.length === 1, 'scored')
  const lead = await rig.lead(leadId)
  t.equal(lead['priority'], '3')
  t.notOk('gassistant_score' in lead, 'no score field on this Odoo')
  t.equal(rig.notes(leadId).length, 1)
  t.match(rig.notes(leadId)[0], 'Lead score 70/100: hot')
  const writes = rig.odooServer.calls.count('crm.lead', 'write')
  await rig.publishSynced('meta:4', syncedData(leadId))
  await waitFor(() => rig.scored.length === 2, 'redelivery scored')
  t.equal(rig.odooServer.calls.count('crm.lead', 'write'), writes, 'same stars: no write')
  t.equal(rig.notes(leadId).length, 1, 'same tier: no note')
  t.equal(rig.lines.filter((line) => String(line.msg).startsWith("Odoo lacks the addon's score fields")).length, 1, 'said once')
})
