// The batched Odoo reads and writes against the Odoo stand-in: a batch answers every lead exactly as a
// search of its own would (so dedupe does not depend on which leads happened to travel together), costs
// one call, and a create whose answer was lost is not repeated.
import t from 'tap'
import { OdooTimeoutError } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { createLeadStore, type CandidateQuery } from '../src/sync/lead-store.js'
import { odooClientFor } from './helpers/harness.js'

const RECENT = '2026-01-01 00:00:00'

for (const addonInstalled of [true, false]) {
  t.test(`batched candidates = each lead searched alone (addon ${addonInstalled ? 'installed' : 'absent'})`, async (t) => {
    const s = await startOdooStandIn({ addonInstalled })
    t.teardown(() => s.close())
    const odoo = odooClientFor(s)
    t.teardown(() => odoo.close())
    await odoo.connect()
    const ref = addonInstalled ? 'gassistant_ref' : 'referred'
    const seed = async (values: Record<string, unknown>, createDate = '2026-01-05 10:00:00'): Promise<number> => {
      const id = s.seed('crm.lead', { name: 'x', type: 'lead', ...values })
      await odoo.write('crm.lead', [id], { create_date: createDate })
      return id
    }
    const open = await seed({ email_from: 'Sara@Example.com' })
    await seed({ phone: '+966551234567', probability: 100 }) // won
    await seed({ email_from: 'gone@example.com', active: false }) // lost
    const byRef = await seed({ [ref]: 'meta:1', email_from: 'other@example.com' })
    const underscore = await seed({ email_from: 'm_ali@example.com' })
    await seed({ email_from: 'mxali@example.com' })
    await seed({ email_from: 'old@example.com' }, '2025-01-01 00:00:00')
    const typed = await seed({ phone: '055 123 4568', phone_sanitized: '+966551234568' })
    const apostrophe = await seed({ email_from: "O'Brien@Example.com" })
    await seed({ email_from: '"Sara Two" <sara2@example.com>' })
    const queries: CandidateQuery[] = [
      { ref: 'meta:9', email: 'sara@example.com', since: RECENT },
      { ref: 'meta:10', phone: '+966551234567', since: RECENT },
      { ref: 'meta:11', email: 'gone@example.com', since: RECENT },
      { ref: 'meta:1', email: 'nobody@example.com', since: RECENT },
      { ref: 'meta:12', email: 'm_ali@example.com', since: RECENT },
      { ref: 'meta:13', email: 'old@example.com', since: RECENT },
      { ref: 'wa:14', email: 'old@example.com' },
      { ref: 'form:15', phone: '+966551234568', since: RECENT },
      { ref: 'meta:1' },
      { ref: 'meta:16', email: "o'brien@example.com", since: RECENT },
      { ref: 'meta:17', email: 'sara2@example.com', since: RECENT },
    ]
    const alone: number[][] = []
    for (const q of queries) alone.push((await createLeadStore(odoo).candidates(q)).map((r) => r.id))
    const store = createLeadStore(odoo)
    s.calls.reset()
    const together = (await Promise.all(queries.map((q) => store.candidates(q)))).map((rows) => rows.map((r) => r.id))
    t.equal(s.calls.count('crm.lead', 'search_read'), 1, 'one search for the batch')
    t.same(together, alone, 'every lead gets what it would have found alone')
    t.same(alone[0], [open], 'email matched case-insensitively')
    t.same(alone[1], [], 'a won lead takes no new enquiry')
    t.same(alone[2], [], 'nor a lost one')
    t.same(alone[3], [byRef], 'the reference finds its lead')
    t.same(alone[4], [underscore], '`_` in an email matches itself only')
    t.same(alone[5], [], 'outside the repeat window')
    t.ok(alone[6]!.length === 1, 'WhatsApp: any age')
    t.same(alone[7], [typed], 'a formatted phone is found by its sanitized copy')
    t.same(alone[8], [byRef], 'a test lead: by reference only')
    t.same(alone[9], [apostrophe], 'an address beyond letters, digits and ._+- is matched case-insensitively too')
    t.same(alone[10], [], 'an address inside a name-and-address email field is not the same email')
  })
}

t.test('batched partner look-ups: the oldest partner with the same email (any case) or phone, one call', async (t) => {
  const s = await startOdooStandIn({ addonInstalled: true })
  t.teardown(() => s.close())
  const odoo = odooClientFor(s)
  t.teardown(() => odoo.close())
  await odoo.connect()
  const nour = s.seed('res.partner', { name: 'Nour', email: 'Nour@Example.com' })
  s.seed('res.partner', { name: 'Nour again', email: 'nour@example.com' })
  const caller = s.seed('res.partner', { name: 'Caller', phone: '+966551234567' })
  const apostrophe = s.seed('res.partner', { name: 'Ann', email: "Ann.O'Hara@Example.com" })
  s.seed('res.partner', { name: 'Named', email: '"Other" <other@example.com>' })
  const store = createLeadStore(odoo)
  s.calls.reset()
  const found = await Promise.all([
    store.partner({ email: 'nour@example.com' }),
    store.partner({ phone: '+966551234567' }),
    store.partner({ email: "ann.o'hara@example.com" }),
    store.partner({ email: 'other@example.com' }),
    store.partner({ email: 'nobody@example.com', phone: '+966550000000' }),
  ])
  t.same(found, [nour, caller, apostrophe, undefined, undefined])
  t.equal(s.calls.count('res.partner', 'search_read'), 1, 'one search for the batch')
})

t.test('a batched create whose answer was lost is not repeated: every lead of it fails, none is created twice', async (t) => {
  const s = await startOdooStandIn({ addonInstalled: false })
  t.teardown(() => s.close())
  const odoo = odooClientFor(s, 300)
  t.teardown(() => odoo.close())
  await odoo.connect()
  const store = createLeadStore(odoo)
  s.faults.failNext(1, 'lost')
  const results = await Promise.allSettled([1, 2, 3].map((i) => store.create({ name: `lead ${i}`, referred: `meta:${i}` })))
  t.same(results.map((r) => r.status), ['rejected', 'rejected', 'rejected'])
  t.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof OdooTimeoutError), 'each lead is told the outcome is unknown')
  t.same(s.records('crm.lead').map((r) => r['referred']), ['meta:1', 'meta:2', 'meta:3'], 'Odoo has each lead once: the batch was not sent again')
  t.equal(s.calls.count('crm.lead', 'create'), 1)
})

t.test('a batch Odoo refused is retried lead by lead: only the bad lead fails', async (t) => {
  const s = await startOdooStandIn({ addonInstalled: true })
  t.teardown(() => s.close())
  const odoo = odooClientFor(s)
  t.teardown(() => odoo.close())
  await odoo.connect()
  s.seed('crm.lead', { name: 'taken', gassistant_ref: 'meta:2' })
  const store = createLeadStore(odoo)
  const results = await Promise.allSettled([1, 2, 3].map((i) => store.create({ name: `lead ${i}`, gassistant_ref: `meta:${i}` })))
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'])
  t.same(s.records('crm.lead').map((r) => r['gassistant_ref']).sort(), ['meta:1', 'meta:2', 'meta:3'])
})

for (const [addonApi, method] of [[2, 'gassistant_create_leads'], [1, 'create']] as const) {
  t.test(`a batch of new leads is one ${method} call (addon API ${addonApi})`, async (t) => {
    const s = await startOdooStandIn({ addonInstalled: true, addonApi })
    t.teardown(() => s.close())
    const odoo = odooClientFor(s)
    t.teardown(() => odoo.close())
    t.equal((await odoo.connect()).addonApi, addonApi, 'the client read what the addon offers')
    const store = createLeadStore(odoo)
    const ids = await Promise.all([1, 2, 3].map((i) => store.create({ name: `lead ${i}`, gassistant_ref: `meta:${i}` })))
    const byId = new Map(s.records('crm.lead').map((r) => [r['id'], r['gassistant_ref']]))
    t.same(ids.map((id) => byId.get(id)), ['meta:1', 'meta:2', 'meta:3'], 'each lead gets its own id')
    t.equal(s.calls.count('crm.lead', method), 1, `one ${method} call`)
    t.equal(s.calls.count('crm.lead', 'gassistant_create_leads') + s.calls.count('crm.lead', 'create'), 1, 'and no other create')
  })
}
