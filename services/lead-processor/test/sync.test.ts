// The processor over the in-process bus and the Odoo/Graph stand-ins: what ends up in Odoo.
import t, { type Test } from 'tap'
import { createEvent, type AnyEvent } from '@gassistant/contracts'
import { createMemoryBus } from '@gassistant/bus'
import { waitFor } from '@gassistant/test-support'
import { PAGE_ID, fixtureLead, odooClientFor, leadgenEvent, memoryLog, processorFor, startStandIns, type ProcessorExtras } from './helpers/harness.js'

async function setup(t: Test, opts: { addonInstalled?: boolean; scoringHistory?: boolean; leadsSetting?: boolean } & Pick<ProcessorExtras, 'leadType' | 'probeIntervalMs' | 'odooTimeoutMs'> = {}) {
  const { leadType, probeIntervalMs, odooTimeoutMs, ...standIns } = opts
  const s = await startStandIns(standIns)
  const bus = createMemoryBus()
  const published: AnyEvent[] = []
  await bus.subscribe({ service: 'observer', bindings: ['lead.#'], handler: async (e) => { published.push(e); return { kind: 'done' } } })
  const logs = memoryLog()
  const { processor, odoo } = processorFor(bus, s, {
    log: logs.log,
    ...(leadType === undefined ? {} : { leadType }),
    ...(probeIntervalMs === undefined ? {} : { probeIntervalMs }),
    ...(odooTimeoutMs === undefined ? {} : { odooTimeoutMs }),
  })
  await processor.start()
  t.teardown(async () => { await processor.stop(); await bus.close(); odoo.close(); await s.close() })
  // Read back over XML-RPC, as a user of Odoo would see the leads (many2one as [id, name]).
  const reader = odooClientFor(s.odooServer)
  t.teardown(() => reader.close())
  const leads = () => reader.searchRead<Record<string, unknown> & { id: number }>('crm.lead', [], { order: 'id asc', context: { active_test: false } })
  const tagNames = async (lead: Record<string, unknown>) =>
    (await reader.read<{ name: string }>('crm.tag', lead['tag_ids'] as number[], ['name'])).map((r) => r.name).sort()
  return { s, bus, published, leads, logs, tagNames, processor }
}

function whatsapp(messageId: string, waId: string, text: string, name = 'سارة خالد'): AnyEvent {
  return createEvent({
    type: 'inbound.whatsapp.message.v1', source: '/test', id: `wa:${messageId}`,
    data: { messageId, waId, profileName: name, phoneNumberId: '106540352242922', timestamp: '2026-01-08T10:33:20.000Z', messageType: 'text', text },
  })
}

for (const addonInstalled of [true, false]) {
  t.test(`a Meta lead becomes one clean Odoo lead (addon ${addonInstalled ? 'installed' : 'absent'})`, async (t) => {
    const { s, bus, published, leads } = await setup(t, { addonInstalled })
    s.graphServer.addLead(fixtureLead())
    await bus.publish(leadgenEvent('2100000000000001'))
    await waitFor(() => published.find((e) => e.type === 'lead.synced.v1'), 'lead.synced')
    await bus.publish(leadgenEvent('2100000000000001'))
    await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1').length === 2, 'second lead.synced')
    const all = await leads()
    t.equal(all.length, 1, 'a redelivered event creates no second lead')
    const lead = all[0]!
    t.equal(lead['contact_name'], 'محمد عبدالله القحطاني')
    t.equal(lead['email_from'], 'm.qahtani@gmail.com')
    t.equal(lead['phone'], '+966551234567')
    t.equal(lead['city'], 'الرياض')
    t.equal(lead['type'], 'lead')
    t.equal(lead['user_id'], false, 'the API user is not made salesperson')
    t.equal(lead[addonInstalled ? 'gassistant_ref' : 'referred'], 'meta:2100000000000001')
    t.match(String(lead['description']), /ما_هي_ميزانيتك؟: 10,000 - 50,000 ريال/)
    t.equal((lead['source_id'] as [number, string])[1], 'Instagram')
    t.equal((lead['medium_id'] as [number, string])[1], 'Paid')
    t.equal((lead['campaign_id'] as [number, string])[1], 'حملة رمضان 2026 / Ramadan')
    t.equal((lead['country_id'] as [number, string])[1], 'Saudi Arabia')
    const notes = s.odooServer.messages('crm.lead', lead['id'] as number).filter((m) => String(m['body']).includes('[meta:2100000000000001]'))
    t.equal(notes.length, 1, 'one chatter note, even after the redelivery')
    t.match(String(notes[0]!['body']), /New lead from Meta Lead Ads \(Instagram\)/)
    const synced = published.find((e) => e.type === 'lead.synced.v1')!
    t.match(synced.data, { outcome: 'created', leadId: lead['id'], externalRef: 'meta:2100000000000001', channel: 'meta', flags: [] })
    t.same(s.odooServer.serverLog(), [], 'the note left nothing in Odoo\'s log (no body_is_html warning)')
  })
}

t.test('Meta is read once per lead: a redelivery of a lead Odoo has reads nothing and publishes the same facts', async (t) => {
  const { s, bus, published } = await setup(t)
  s.graphServer.addLead(fixtureLead())
  for (let i = 0; i < 3; i++) {
    await bus.publish(leadgenEvent('2100000000000001'))
    await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1').length === i + 1, `delivery ${i + 1}`)
  }
  t.equal(s.graphServer.requests.length, 1, 'one Graph read for three deliveries')
  const [first, ...again] = published.filter((e) => e.type === 'lead.synced.v1')
  // Read back from Odoo, a redelivery also knows what Odoo filled in since (the sales team it assigned).
  for (const e of again) t.match(e.data, first!.data, 'a redelivery reports the lead as the first delivery did')
})

t.test('Odoo down: the consumer pauses on it without reading Meta, and each lead arrives once it answers', async (t) => {
  const { s, bus, published, leads, processor } = await setup(t, { probeIntervalMs: 50 })
  s.graphServer.addLead(fixtureLead())
  s.graphServer.addLead(fixtureLead({ id: '2100000000000002', field_data: [{ name: 'email', values: ['layla@example.ae'] }] }))
  s.odooServer.faults.down()
  await bus.publish([leadgenEvent('2100000000000001'), leadgenEvent('2100000000000002')])
  await waitFor(async () => (await processor.readiness()).checks.odoo === false, 'readiness to see Odoo down')
  t.match(await processor.readiness(), { ok: false, checks: { broker: true, odoo: false, graph: true } })
  t.equal(s.graphServer.requests.length, 0, 'no Graph read while Odoo cannot say whether it has the lead')
  s.odooServer.faults.up()
  await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1').length === 2, 'both leads synced')
  t.equal((await leads()).length, 2)
  t.equal(s.graphServer.requests.length, 2, 'one read per lead')
  t.same(await bus.deadLetters.list('lead-processor'), [], 'nothing parked')
  t.match(await processor.readiness(), { ok: true, checks: { odoo: true } })
})

t.test('a Graph rate limit pauses the consumer until Meta lets it read again; nothing parked', async (t) => {
  const { s, bus, published, logs } = await setup(t, { probeIntervalMs: 50 })
  s.graphServer.addLead(fixtureLead())
  s.graphServer.rateLimitNext(2, 4)
  await bus.publish(leadgenEvent('2100000000000001'))
  await waitFor(() => published.find((e) => e.type === 'lead.synced.v1'), 'lead synced')
  t.equal(s.graphServer.requests.filter((r) => r.errorCode === 4).length, 2, 'read again after each pause')
  t.ok(logs.lines.some((l) => l.msg === 'Graph API read failed, will retry' && l['code'] === 'GRAPH_RATE_LIMITED'))
  t.same(await bus.deadLetters.list('lead-processor'), [], 'nothing parked')
})

t.test('a batched create whose answer is lost is not sent again: after the pause each lead is found by reference, once (no addon)', async (t) => {
  const { s, bus, published, leads } = await setup(t, { addonInstalled: false, odooTimeoutMs: 300, probeIntervalMs: 50 })
  const ids = ['2100000000000011', '2100000000000012', '2100000000000013']
  ids.forEach((id, i) => s.graphServer.addLead(fixtureLead({ id, field_data: [{ name: 'email', values: [`lost${i}@example.com`] }] })))
  const creates = s.odooServer.calls.count('crm.lead', 'create')
  s.odooServer.faults.failNext(1, 'lost')
  await bus.publish(ids.map((id) => leadgenEvent(id)))
  await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1').length === 3, 'three leads synced')
  const all = await leads()
  t.same(all.map((l) => l['referred']).sort(), ids.map((id) => `meta:${id}`), 'each lead exists once')
  for (const lead of all) t.equal(s.odooServer.messages('crm.lead', lead.id).filter((m) => String(m['body']).includes('New lead from')).length, 1, 'with one note')
  t.ok(s.odooServer.calls.count('crm.lead', 'create') - creates <= 2, 'the lost create was not repeated lead by lead')
  t.same(await bus.deadLetters.list('lead-processor'), [], 'nothing parked')
})

t.test('readiness probes Odoo when nothing has been handled lately', async (t) => {
  const { s, processor } = await setup(t)
  t.match(await processor.readiness(), { ok: true, checks: { broker: true, odoo: true, graph: true } }, 'a fresh processor probes Odoo')
  const { s: other, processor: idle } = await setup(t)
  other.odooServer.faults.down()
  t.match(await idle.readiness(), { ok: false, checks: { odoo: false } }, 'an Odoo that does not answer is reported down')
  void s
})

for (const leadsSetting of [false, true]) {
  t.test(`LEAD_TYPE=auto with Odoo's Leads setting ${leadsSetting ? 'on' : 'off'}: new leads are ${leadsSetting ? 'leads' : 'opportunities'}, said once at start`, async (t) => {
    const { s, bus, published, leads, logs } = await setup(t, { leadsSetting, leadType: 'auto' })
    s.graphServer.addLead(fixtureLead())
    await bus.publish(leadgenEvent('2100000000000001'))
    await waitFor(() => published.find((e) => e.type === 'lead.synced.v1'), 'synced')
    t.equal((await leads())[0]?.['type'], leadsSetting ? 'lead' : 'opportunity')
    const lines = logs.lines.filter((l) => l['lead_type_setting'] === 'auto')
    t.equal(lines.length, 1, 'one line')
    t.match(lines[0], { level: 'info', lead_type: leadsSetting ? 'lead' : 'opportunity', odoo_leads_setting: leadsSetting })
  })
}

t.test("LEAD_TYPE=lead while Odoo's Leads setting is off: a warning says the leads are hidden and how to fix it", async (t) => {
  const { logs } = await setup(t, { leadType: 'lead' })
  const line = await waitFor(() => logs.lines.find((l) => l['lead_type_setting'] === 'lead'), 'the warning')
  t.match(line, { level: 'warn', lead_type: 'lead', odoo_leads_setting: false, msg: /hidden from the pipeline.*Settings › Leads.*LEAD_TYPE=auto or opportunity/ })
})

for (const scoringHistory of [false, true]) t.test(`a second enquiry of the same person within the window updates the open lead (${scoringHistory ? 'scoring history' : 'a new database: probability unset'})`, async (t) => {
  const { s, bus, published, leads, tagNames } = await setup(t, { scoringHistory })
  s.graphServer.addLead(fixtureLead({ field_data: [{ name: 'email', values: ['m.qahtani@gmail.com'] }, { name: 'phone_number', values: ['0551234567'] }] }))
  await bus.publish(leadgenEvent('2100000000000001'))
  await waitFor(() => published.some((e) => e.type === 'lead.synced.v1'), 'first sync')
  t.equal(s.odooServer.records('crm.lead')[0]?.['probability'], scoringHistory ? 55.43 : undefined, 'probability as Odoo leaves it')
  s.graphServer.addLead(fixtureLead({ id: '2100000000000002', platform: 'fb', field_data: [{ name: 'full_name', values: ['محمد القحطاني'] }, { name: 'phone_number', values: ['+966 55 123 4567'] }, { name: 'city', values: ['جدة'] }] }))
  await bus.publish(leadgenEvent('2100000000000002'))
  const merged = await waitFor(() => published.find((e) => e.type === 'lead.synced.v1' && e.data.outcome === 'merged'), 'merge')
  await bus.publish(leadgenEvent('2100000000000002'))
  await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1').length === 3, 'replayed merge')
  const all = await leads()
  t.equal(all.length, 1)
  const lead = all[0]!
  t.equal(lead['contact_name'], 'محمد القحطاني', 'an empty field is filled')
  t.equal(lead['email_from'], 'm.qahtani@gmail.com', 'nothing is overwritten')
  t.match(merged.data, { outcome: 'merged', leadId: lead['id'], flags: ['REPEAT_ENQUIRY'] })
  t.same(await tagNames(lead), ['Meta Lead Ads', 'REPEAT_ENQUIRY'], 'the channel tag and the repeat flag')
  const repeats = s.odooServer.messages('crm.lead', lead['id'] as number).filter((m) => /New enquiry from Meta Lead Ads \(Facebook\)/.test(String(m['body'])))
  t.equal(repeats.length, 1, 'one "new enquiry" note, even after the redelivery')
})

t.test('an underscore in an email is a character, not a wildcard: another person gets their own lead', async (t) => {
  const { s, bus, published, leads } = await setup(t)
  s.graphServer.addLead(fixtureLead({ id: '2100000000000007', field_data: [{ name: 'full_name', values: ['Mona Ali'] }, { name: 'email', values: ['mxali@example.com'] }] }))
  s.graphServer.addLead(fixtureLead({ id: '2100000000000008', field_data: [{ name: 'full_name', values: ['Majed Ali'] }, { name: 'email', values: ['m_ali@example.com'] }] }))
  await bus.publish(leadgenEvent('2100000000000007'))
  await waitFor(() => published.some((e) => e.type === 'lead.synced.v1'), 'first sync')
  await bus.publish(leadgenEvent('2100000000000008'))
  const second = await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1')[1], 'second sync')
  t.match(second.data, { outcome: 'created', externalRef: 'meta:2100000000000008' })
  t.same((await leads()).map((l) => l['email_from']), ['mxali@example.com', 'm_ali@example.com'])
  s.graphServer.addLead(fixtureLead({ id: '2100000000000009', field_data: [{ name: 'email', values: ['M_Ali@example.com'] }] }))
  await bus.publish(leadgenEvent('2100000000000009'))
  const third = await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1')[2], 'third sync')
  t.match(third.data, { outcome: 'merged', leadId: second.data.leadId }, 'the same person again is still recognised')
})

t.test('WhatsApp: an unknown number becomes a lead, later messages go to its chatter', async (t) => {
  const { bus, published, leads, s, logs, tagNames } = await setup(t)
  await bus.publish(whatsapp('wamid.A', '966567654321', 'السلام عليكم، كم سعر الباقة Gold؟ 🙏'))
  await waitFor(() => published.some((e) => e.type === 'lead.synced.v1' && e.data.outcome === 'created'), 'created')
  await bus.publish(whatsapp('wamid.B', '966567654321', 'ممكن عرض سعر؟'))
  await bus.publish(whatsapp('wamid.B', '966567654321', 'ممكن عرض سعر؟'))
  await waitFor(() => published.filter((e) => e.type === 'lead.synced.v1' && e.data.outcome === 'updated').length === 2, 'updates')
  const all = await leads()
  t.equal(all.length, 1)
  t.equal(all[0]!['phone'], '+966567654321')
  t.equal(all[0]!['contact_name'], 'سارة خالد')
  t.match(String(all[0]!['description']), /كم سعر الباقة Gold؟ 🙏/)
  t.same(await tagNames(all[0]!), ['WhatsApp'], 'tagged with its channel')
  const bodies = s.odooServer.messages('crm.lead', all[0]!['id'] as number).map((m) => String(m['body']))
  t.equal(bodies.filter((b) => b.includes('ممكن عرض سعر؟')).length, 1, 'a redelivered message is logged once')
  const synced = logs.lines.filter((l) => l['lead_id'] === all[0]!['id'])
  t.equal(synced.length, 3, 'one log line per handled message')
  t.ok(synced.every((l) => l['external_ref'] === 'wa:********4321'), 'the log names the person by a masked number')
  t.match(synced[0], { event_id: 'wa:wamid.A', type: 'inbound.whatsapp.message.v1', correlation_id: 'wa:wamid.A' }, 'the line ties back to its event')
  t.notOk(logs.lines.some((l) => JSON.stringify(l).includes('567654321')), 'the phone number never reaches a log unmasked')
})

t.test('flags and the channel become tags; a lead nobody can reach is rejected', async (t) => {
  const { s, bus, published, leads, tagNames } = await setup(t)
  s.graphServer.addLead(fixtureLead({ id: '2100000000000005', field_data: [{ name: 'email', values: ['x@mailinator.com'] }, { name: 'phone_number', values: ['050 000 0000'] }] }))
  s.graphServer.addLead(fixtureLead({ id: '2100000000000006', field_data: [{ name: 'email', values: ['not-an-email'] }, { name: 'phone_number', values: ['123'] }] }))
  await bus.publish([leadgenEvent('2100000000000005'), leadgenEvent('2100000000000006')])
  const synced = await waitFor(() => published.find((e) => e.type === 'lead.synced.v1'), 'synced')
  const rejected = await waitFor(() => published.find((e) => e.type === 'lead.rejected.v1'), 'rejected')
  t.same(synced.data.flags, ['DISPOSABLE_EMAIL', 'DO_NOT_CALL'])
  const lead = (await leads())[0]!
  t.same(await tagNames(lead), ['DISPOSABLE_EMAIL', 'DO_NOT_CALL', 'Meta Lead Ads'], 'flags and the channel become tags')
  t.equal(lead['gassistant_flags'], 'DISPOSABLE_EMAIL,DO_NOT_CALL')
  t.match(rejected.data, { channel: 'meta', externalRef: 'meta:2100000000000006', reasons: [{ code: 'NO_CONTACT' }], flags: ['INVALID_EMAIL', 'INVALID_PHONE'] })
  t.equal((await leads()).length, 1)
})

t.test('an Odoo validation fault parks the event with the fault', async (t) => {
  const { s, bus } = await setup(t)
  s.graphServer.addLead(fixtureLead())
  s.odooServer.faults.failNext(1, 'validation')
  await bus.publish(leadgenEvent('2100000000000001'))
  const parked = await waitFor(async () => (await bus.deadLetters.list('lead-processor'))[0], 'parked')
  t.match(parked.reason, /ODOO_VALIDATION/)
})

t.test('an expired page token parks with a reason naming the page', async (t) => {
  const { s, bus, logs } = await setup(t)
  s.graphServer.addLead(fixtureLead())
  s.graphServer.expireToken(PAGE_ID)
  await bus.publish(leadgenEvent('2100000000000001'))
  const parked = await waitFor(async () => (await bus.deadLetters.list('lead-processor'))[0], 'parked')
  t.match(parked.reason, new RegExp(`GRAPH_TOKEN_INVALID: the access token of Facebook page ${PAGE_ID} is expired`))
  t.ok(logs.lines.some((l) => l.level === 'error' && l['page_id'] === PAGE_ID), 'an error log names the page')
  t.notOk(logs.lines.some((l) => JSON.stringify(l).includes('page-token-test')), 'the token never reaches a log')
})
