// planConversions: which Conversions API events a stage calls for (meta-conversions-api-crm.md rules).
import t from 'tap'
import { conversionEventId, planConversions, type PlanInput } from '../src/conversions/plan.js'

const NOW = new Date('2026-01-08T10:30:00Z')
const base: PlanInput = {
  leadgenId: '2100000000000001',
  stage: 'Proposition',
  changedAt: new Date('2026-01-08T10:00:00Z'),
  leadCreatedAt: new Date('2026-01-07T09:00:00Z'),
  sent: new Set(),
  now: NOW,
  funnel: [{ stage: 'New', event: 'Initial Lead' }, { stage: 'Qualified', event: 'Qualified' }, { stage: 'Proposition', event: 'Proposition' }, { stage: 'Won', event: 'Won' }],
  crmName: 'Odoo',
  phoneRegion: 'SA',
}
const names = (input: PlanInput): unknown => {
  const plan = planConversions(input)
  return plan.kind === 'send' ? plan.events.map((e) => e.event_name) : plan.reason
}

t.test('the stage and every earlier one not yet sent, in funnel order', async (t) => {
  t.same(names(base), ['Initial Lead', 'Qualified', 'Proposition'])
  t.same(names({ ...base, sent: new Set([conversionEventId(base.leadgenId, 'Initial Lead')]) }), ['Qualified', 'Proposition'])
  t.same(names({ ...base, stage: ' proposition ' }), ['Initial Lead', 'Qualified', 'Proposition'], 'stage names match ignoring case and spaces')
})

t.test('nothing when the stage is not in the funnel, all was sent, older than 7 days, or before the lead was created', async (t) => {
  t.equal(names({ ...base, stage: 'Negotiation' }), 'stage not in the funnel')
  t.equal(names({ ...base, sent: new Set(['Initial Lead', 'Qualified', 'Proposition'].map((e) => conversionEventId(base.leadgenId, e))) }), 'every stage already sent')
  t.equal(names({ ...base, changedAt: new Date(NOW.getTime() - 7 * 86_400_000 - 1000) }), 'older than 7 days')
  t.equal(names({ ...base, changedAt: new Date('2026-01-07T08:59:59Z') }), "before the lead's creation")
})

t.test('deterministic event ids; email and phone only hashed, unreadable ones left out', async (t) => {
  const plan = planConversions({ ...base, email: 'not an email', phone: '٠٥٥١٢٣٤٥٦٧' })
  t.equal(plan.kind, 'send')
  if (plan.kind !== 'send') return
  t.equal(plan.events[2]?.event_id, '2100000000000001:proposition')
  t.same(Object.keys(plan.events[0]?.user_data ?? {}), ['lead_id', 'ph'], 'no em for an address that is not one')
  t.match(plan.events[0]?.user_data.ph?.[0], /^[0-9a-f]{64}$/)
  t.equal(conversionEventId('1', 'Initial Lead'), '1:initial-lead')
})
