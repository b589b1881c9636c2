// End to end, the way leads really arrive: signed webhooks POSTed over HTTP to the real ingress app, which
// publishes to the real RabbitMQ (unique exchange per run), consumed by lead-processor instances that read
// the Graph stand-in and write to the Odoo stand-in. Assertions are on what an Odoo user sees.
import t, { type Test } from 'tap'
import { fixtureBytes, waitFor } from '@gassistant/test-support'
import { PAGE_ID, fixtureLead } from './helpers/harness.js'
import { formWebhook, metaWebhook, startHub, whatsappWebhook, type Hub, type OdooRow, type Webhook } from './helpers/hub.js'

const LEADGEN_ID = '2100000000000001'
const m2oName = (value: unknown): unknown => (Array.isArray(value) ? value[1] : value)

/** The fixture webhook exactly as Meta sent it (its bytes are what the signature covers). */
const metaFixture = (): Webhook => metaWebhook(fixtureBytes('meta-leadgen-webhook.json'))

async function accepted(t: Test, hub: Hub, webhook: Webhook): Promise<void> {
  const res = await hub.post(webhook)
  t.same(res, { status: 200, body: { received: true, events: 1 } }, `${webhook.path} accepted`)
}

const synced = (hub: Hub) => hub.outgoing.filter((e) => e.type === 'lead.synced.v1')

t.test('a signed Meta webhook → the right lead in Odoo, with one chatter note', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  hub.s.graphServer.addLead(fixtureLead())
  const webhook = metaFixture()
  t.same(webhook.headers, { 'x-hub-signature-256': 'sha256=78c060a89d64b7081ef0522e3ccc7a4bf063a7ab5190910695a8066a3b25af85' }, 'the fixture bytes are sent unchanged')
  await accepted(t, hub, webhook)
  await waitFor(() => synced(hub).length === 1, 'lead.synced')
  const leads = await hub.leads()
  t.equal(leads.length, 1)
  const lead = leads[0]!
  t.equal(lead['name'], 'محمد عبدالله القحطاني — حملة رمضان 2026 / Ramadan')
  t.equal(lead['contact_name'], 'محمد عبدالله القحطاني', 'name trimmed, Arabic untouched')
  t.equal(lead['email_from'], 'm.qahtani@gmail.com', 'email trimmed and lower-cased')
  t.equal(lead['phone'], '+966551234567', 'Arabic-Indic ٠٥٥١٢٣٤٥٦٧ → E.164')
  t.equal(lead['city'], 'الرياض')
  t.equal(m2oName(lead['source_id']), 'Instagram')
  t.equal(m2oName(lead['medium_id']), 'Paid')
  t.equal(m2oName(lead['campaign_id']), 'حملة رمضان 2026 / Ramadan')
  t.equal(lead['gassistant_ref'], `meta:${LEADGEN_ID}`)
  const description = String(lead['description'])
  t.match(description, '<p>ما_هي_ميزانيتك؟: 10,000 - 50,000 ريال</p>', 'unmapped Arabic answer kept verbatim')
  t.match(description, '<p>when_do_you_plan_to_buy?: within_1_month</p>', 'unmapped English answer kept')
  const notes = hub.notes(lead.id)
  t.equal(notes.length, 1, 'one chatter note')
  t.match(notes[0], /New lead from Meta Lead Ads \(Instagram\)/)
  t.match(notes[0], `Ref: [meta:${LEADGEN_ID}]`)
})

t.test('the same Meta webhook three times → one lead, one note', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  hub.s.graphServer.addLead(fixtureLead())
  for (let i = 0; i < 3; i++) await accepted(t, hub, metaFixture())
  await waitFor(() => synced(hub).length === 3, 'three deliveries handled')
  const leads = await hub.leads()
  t.equal(leads.length, 1, 'one lead')
  t.equal(leads[0]!['email_from'], 'm.qahtani@gmail.com')
  t.equal(hub.notes(leads[0]!.id).length, 1, 'one chatter note')
  t.same(await hub.bus.deadLetters.list(hub.service), [], 'nothing parked')
})

t.test('a 30-minute Odoo outage with production settings: nothing parked, every lead created once after recovery', async (t) => {
  // The buses' clock: the retry budget (6 h by default) counts on it, so the outage can last 30 minutes
  // for the bus while the test takes seconds.
  let offsetMs = 0
  const hub = await startHub(t, { now: () => new Date(Date.now() + offsetMs) })
  await hub.startConsumer({ production: true })
  const people = Array.from({ length: 10 }, (_, p) => person(100 + p))
  for (const who of people) {
    hub.s.graphServer.addLead(fixtureLead({ id: who.leadgenId, field_data: [{ name: 'full_name', values: [who.name] }, { name: 'email', values: [who.email] }, { name: 'phone_number', values: [who.phone] }] }))
  }
  hub.s.odooServer.faults.down()
  // Each person's Meta lead and web form, and five Meta leads delivered twice.
  const webhooks = [...people.flatMap((who) => [who.webhooks[0]!, who.webhooks[2]!]), ...people.slice(0, 5).map((who) => who.webhooks[0]!)]
  t.same([...new Set(await postAll(hub, webhooks, 4))], [200], 'the ingress accepted every webhook while Odoo was down')
  const paused = await waitFor(() => hub.busLines.find((l) => l.msg === 'dependency unavailable, consumer paused'), 'the consumer to pause on Odoo')
  t.match(paused, { dependency: 'odoo', reason: /ODOO_TRANSPORT/ })
  offsetMs = 30 * 60_000
  const probes = hub.busLines.filter((l) => l.msg === 'dependency still unavailable').length
  await waitFor(() => hub.busLines.filter((l) => l.msg === 'dependency still unavailable').length > probes, 'a probe of Odoo to fail 30 minutes into the outage', 20_000)
  t.equal(hub.s.odooServer.records('crm.lead').length, 0, 'no lead while Odoo is down')
  t.equal(hub.s.graphServer.requests.length, 0, 'and no Graph read spent on them')

  hub.s.odooServer.faults.up()
  const recovered = performance.now()
  const resumed = await waitFor(() => hub.busLines.find((l) => l.msg === 'dependency answers again, consumer resumed'), 'the consumer to resume', 20_000)
  t.comment(`consumer resumed ${Math.round(performance.now() - recovered)} ms after Odoo recovered (probe interval 5 s, ±20%)`)
  t.match(resumed, { dependencies: ['odoo'] })
  await waitFor(() => synced(hub).length === webhooks.length, 'every delivery handled', 30_000)

  const leads = await hub.leads()
  t.equal(leads.length, people.length, 'one lead per person')
  for (const who of people) {
    const lead = leads.find((l) => l['phone'] === who.phone)
    const notes = lead === undefined ? [] : hub.notes(lead.id)
    t.ok(lead !== undefined && notes.length === 2 && notes.filter((n) => n.includes(`Ref: [meta:${who.leadgenId}]`)).length === 1, `${who.name}: one lead, one note per enquiry`)
  }
  t.same(await hub.bus.deadLetters.list(hub.service), [], 'nothing parked')
  t.equal(hub.busLines.filter((l) => l.msg === 'event handling failed, will retry').length, 0, 'no attempt spent on the outage')
  t.equal(hub.s.graphServer.requests.length, people.length, 'one Graph read per lead')
})

t.test('expired page token → parked with a reason an operator understands; token fixed, replayed → created', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  hub.s.graphServer.addLead(fixtureLead())
  hub.s.graphServer.expireToken(PAGE_ID)
  await accepted(t, hub, metaFixture())
  const parked = await waitFor(async () => (await hub.bus.deadLetters.list(hub.service))[0], 'parked')
  t.match(parked.reason, new RegExp(`Facebook page ${PAGE_ID} is expired or invalid`))
  t.ok(hub.processorLines.some((l) => l.level === 'error' && JSON.stringify(l).includes(PAGE_ID)), 'an error log names the page')
  t.equal((await hub.leads()).length, 0, 'no lead yet')
  hub.s.graphServer.restoreToken(PAGE_ID)
  t.equal(await hub.bus.deadLetters.replay(hub.service), 1, 'one event replayed')
  await waitFor(() => synced(hub).length === 1, 'created after replay')
  const leads = await hub.leads()
  t.equal(leads.length, 1)
  t.match(leads[0], { contact_name: 'محمد عبدالله القحطاني', email_from: 'm.qahtani@gmail.com', phone: '+966551234567' })
  t.same(await hub.bus.deadLetters.list(hub.service), [], 'the dead-letter queue is empty again')
})

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩'
const arabicDigits = (text: string): string => text.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)] ?? d)

interface Person {
  name: string
  email: string
  phone: string
  leadgenId: string
  messageId: string
  webhooks: Webhook[]
}

/** One person's three enquiries (Meta lead, WhatsApp message, web form), as the senders' bytes. */
function person(p: number): Person {
  const phone = `+9665${String(10_000_000 + p * 7919).slice(0, 8)}`
  const waId = phone.slice(1)
  const name = `شخص ${p}`
  const email = `person${p}@example.com`
  const leadgenId = String(2200000000000000 + p)
  const messageId = `wamid.e2e${p}`
  const meta = JSON.stringify({
    object: 'page',
    entry: [{ id: PAGE_ID, time: 1767868201, changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: PAGE_ID, form_id: '987654321098765', ad_id: '120210000000000011', adgroup_id: '120210000000000011', created_time: 1767868199 } }] }],
  })
  const whatsapp = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
      contacts: [{ profile: { name }, wa_id: waId }],
      messages: [{ from: waId, id: messageId, timestamp: '1767868400', type: 'text', text: { body: `مرحبا ${p}` } }],
    } }] }],
  })
  // The national form, every other one in Arabic-Indic digits: the same person whatever they typed.
  const national = phone.replace('+966', '0')
  const form = JSON.stringify({ email: email.toUpperCase(), phone: p % 2 === 0 ? arabicDigits(national) : national, message: 'أريد عرض سعر', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' })
  return { name, email, phone, leadgenId, messageId, webhooks: [metaWebhook(meta), whatsappWebhook(whatsapp), formWebhook(form)] }
}

async function postAll(hub: Hub, webhooks: Webhook[], concurrency: number): Promise<number[]> {
  const statuses: number[] = []
  let next = 0
  const poster = async () => {
    while (next < webhooks.length) statuses.push((await hub.post(webhooks[next++]!)).status)
  }
  await Promise.all(Array.from({ length: concurrency }, poster))
  return statuses
}

t.test('300 webhooks for 60 people (Meta, WhatsApp, web form; random order, repeats), two consumers → exactly 60 leads', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer({ amqpLocks: true })
  await hub.startConsumer({ amqpLocks: true })
  const people = Array.from({ length: 60 }, (_, p) => person(p))
  for (const who of people) {
    hub.s.graphServer.addLead(fixtureLead({ id: who.leadgenId, field_data: [{ name: 'full_name', values: [who.name] }, { name: 'email', values: [who.email] }, { name: 'phone_number', values: [who.phone] }] }))
  }
  // 180 distinct enquiries, then 120 of them sent again (Meta and WhatsApp retry deliveries; forms get resubmitted).
  const distinct = people.flatMap((who) => who.webhooks)
  const all = [...distinct]
  while (all.length < 300) all.push(distinct[Math.floor(Math.random() * distinct.length)]!)
  const statuses = await postAll(hub, shuffle(all), 8)
  t.same([...new Set(statuses)], [200], 'the ingress accepted all 300 webhooks')
  await waitFor(() => synced(hub).length >= 300, '300 deliveries handled', 60_000).catch(async (error: Error) => {
    // Say how far it got: which part of the pipeline stalled is the first question when this fails.
    const parked = await hub.bus.deadLetters.list(hub.service)
    throw new Error(`${error.message}: ${synced(hub).length} handled, ${(await hub.leads()).length} leads, ${parked.length} parked ${JSON.stringify(parked.slice(0, 2).map((p) => p.reason))}`)
  })

  const rows = await hub.leads()
  t.equal(rows.length, 60, 'exactly one lead per person')
  t.ok(hub.s.odooServer.records('crm.lead').every((r) => r['probability'] === undefined), "on a new database's terms: no lead has a probability")
  const byPhone = new Map<unknown, OdooRow>(rows.map((row) => [row['phone'], row]))
  let right = 0
  const wrong: string[] = []
  for (const who of people) {
    const lead = byPhone.get(who.phone)
    if (!lead) { wrong.push(`${who.phone}: no lead`); continue }
    const notes = hub.notes(lead.id)
    const with_ = (marker: string) => notes.filter((n) => n.includes(marker))
    const meta = with_(`Ref: [meta:${who.leadgenId}]`)
    const wa = with_(`Ref: [${who.messageId}]`)
    const form = with_('Web form (contact)')
    const tags = await hub.tagNames(lead)
    const ok =
      lead['contact_name'] === who.name && lead['email_from'] === who.email &&
      notes.length === 3 && meta.length === 1 && wa.length === 1 && form.length === 1 &&
      notes.filter((n) => n.includes('New lead from')).length === 1 &&
      // The first enquiry created the lead; a later Meta lead or form is a repeat enquiry, a later WhatsApp message is logged.
      /New (lead|enquiry) from Meta Lead Ads/.test(meta[0]!) && /New (lead|enquiry) from Web form/.test(form[0]!) &&
      /New lead from WhatsApp|WhatsApp message from/.test(wa[0]!) &&
      tags.includes('REPEAT_ENQUIRY')
    if (ok) right++
    else wrong.push(`${who.phone}: ${JSON.stringify({ contact: lead['contact_name'], email: lead['email_from'], notes: notes.map((n) => n.slice(0, 60)), tags })}`)
  }
  t.equal(right, 60, 'each lead: its person, one "new lead" note and one note per further enquiry, none twice, tagged REPEAT_ENQUIRY')
  t.same(wrong.slice(0, 3), [], 'first wrong leads, if any')
  t.same(await hub.bus.deadLetters.list(hub.service), [], 'nothing parked')
})
