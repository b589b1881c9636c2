// End to end over the real RabbitMQ and the Odoo/Graph stand-ins: inbound events as the ingress
// publishes them → leads in Odoo. Unique exchange and service names per run; everything deleted after.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { createAmqpBus, deadQueueName, queueName, retryQueueName, type Bus } from '@gassistant/bus'
import { createEvent, type AnyEvent } from '@gassistant/contracts'
import { createAmqpLocks } from '../src/sync/amqp-locks.js'
import { fixtureLead, leadgenEvent, memoryLog, odooClientFor, processorFor, startStandIns, waitFor } from './helpers/harness.js'

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672'
const RETRY_MS = [50, 100, 200, 400, 800, 1600]

async function setup(t: Tap.Test) {
  const run = randomUUID().slice(0, 8)
  const exchange = `test.lp.${run}`
  const service = `lead-processor-${run}`
  const s = await startStandIns()
  const buses: Bus[] = []
  const busLog = memoryLog()
  const newBus = async () => {
    const bus = await createAmqpBus({ url: AMQP_URL, exchange, reconnectSeconds: 0.2, log: busLog.log })
    buses.push(bus)
    return bus
  }
  const publisher = await newBus()
  const reader = odooClientFor(s.odooServer)
  const locks = createAmqpLocks({ url: AMQP_URL, prefix: `test.lp.${run}.lock` })
  t.teardown(async () => {
    for (const bus of buses.reverse()) await bus.close()
    await locks.close()
    reader.close()
    await s.close()
    const conn = await amqp.connect(AMQP_URL)
    const ch = await conn.createChannel()
    for (const q of [queueName(service), deadQueueName(service), ...RETRY_MS.map((ms) => retryQueueName(service, ms))]) await ch.deleteQueue(q).catch(() => undefined)
    await ch.deleteExchange(exchange).catch(() => undefined)
    await conn.close()
  })
  const startConsumer = async (opts: { locks?: boolean } = {}) => {
    const bus = await newBus()
    const { processor, odoo } = processorFor(bus, s, { service, retryMs: RETRY_MS, ...(opts.locks ? { locks: createAmqpLocks({ url: AMQP_URL, prefix: `test.lp.${run}.lock` }) } : {}) })
    await processor.start()
    t.teardown(async () => { await processor.stop(); odoo.close() })
    return processor
  }
  const leads = () => reader.searchRead<Record<string, unknown> & { id: number }>('crm.lead', [], { order: 'id asc', context: { active_test: false } })
  return { s, publisher, startConsumer, leads, service, busLog }
}

t.test('a Meta lead event over RabbitMQ becomes the right Odoo lead, three deliveries → one lead', async (t) => {
  const { s, publisher, startConsumer, leads } = await setup(t)
  await startConsumer()
  s.graphServer.addLead(fixtureLead())
  for (let i = 0; i < 3; i++) await publisher.publish(leadgenEvent('2100000000000001'))
  await waitFor('three syncs', () => s.odooServer.messages('crm.lead', 1).length >= 1 && s.graphServer.requests.length >= 3)
  const all = await leads()
  t.equal(all.length, 1)
  t.match(all[0], { contact_name: 'محمد عبدالله القحطاني', email_from: 'm.qahtani@gmail.com', phone: '+966551234567', gassistant_ref: 'meta:2100000000000001', type: 'lead' })
  t.equal(s.odooServer.messages('crm.lead', all[0]!.id).filter((m) => String(m['body']).includes('[meta:2100000000000001]')).length, 1)
})

t.test('Odoo down for a while: the lead arrives after it recovers, nothing parked', async (t) => {
  const { s, publisher, startConsumer, leads, service, busLog } = await setup(t)
  await startConsumer()
  s.graphServer.addLead(fixtureLead())
  s.odooServer.faults.down()
  await publisher.publish(leadgenEvent('2100000000000001'))
  // Retried at least twice while Odoo is down, then Odoo comes back.
  const retries = () => busLog.lines.filter((l) => l.msg === 'event handling failed, will retry' && /ODOO_TRANSPORT/.test(String(l['reason']))).length
  await waitFor('two retries while Odoo is down', () => retries() >= 2)
  s.odooServer.faults.up()
  const created = await waitFor('lead after recovery', async () => (await leads()).length === 1)
  t.equal(created, true)
  t.same(await publisher.deadLetters.list(service), [], 'nothing parked')
})

t.test('expired token → parked with the page named; replayed after the token is fixed → created', async (t) => {
  const { s, publisher, startConsumer, leads, service } = await setup(t)
  await startConsumer()
  s.graphServer.addLead(fixtureLead())
  s.graphServer.expireToken('104857600112233')
  await publisher.publish(leadgenEvent('2100000000000001'))
  const parked = await waitFor('parked', async () => (await publisher.deadLetters.list(service))[0])
  t.match(parked.reason, /Facebook page 104857600112233 is expired or invalid/)
  t.equal((await leads()).length, 0)
  s.graphServer.restoreToken('104857600112233')
  t.equal(await publisher.deadLetters.replay(service), 1)
  await waitFor('created after replay', async () => (await leads()).length === 1)
  t.same(await publisher.deadLetters.list(service), [])
})

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}

t.test('300 events for 60 people, in random order with repeats, across two consumers → exactly 60 leads', async (t) => {
  const { s, publisher, startConsumer, leads, service } = await setup(t)
  await startConsumer({ locks: true })
  await startConsumer({ locks: true })
  // Each person makes 3 distinct enquiries (Meta lead, web form, WhatsApp); each one is delivered 1–2 times.
  const events: AnyEvent[] = []
  const distinctPerPerson = new Map<string, number>()
  for (let p = 0; p < 60; p++) {
    const phone = `+9665${String(10_000_000 + p * 7919).slice(0, 8)}`
    const email = `person${p}@example.com`
    const leadgenId = String(2200000000000000 + p)
    s.graphServer.addLead(fixtureLead({ id: leadgenId, field_data: [{ name: 'full_name', values: [`شخص ${p}`] }, { name: 'email', values: [email] }, { name: 'phone_number', values: [phone] }] }))
    const meta = leadgenEvent(leadgenId)
    const form = createEvent({
      type: 'inbound.form.submitted.v1', source: '/test', id: `form:${p}`,
      data: { formKey: 'contact', submissionId: `sub-${p}`, submittedAt: '2026-01-08T10:00:00.000Z', fields: { email, phone: phone.replace('+966', '0'), message: 'أريد عرض سعر' }, utm: { source: 'google' } },
    })
    const wa = createEvent({
      type: 'inbound.whatsapp.message.v1', source: '/test', id: `wa:wamid.${p}`,
      data: { messageId: `wamid.${p}`, waId: phone.slice(1), profileName: `شخص ${p}`, phoneNumberId: '1', timestamp: '2026-01-08T10:33:20.000Z', messageType: 'text', text: `مرحبا ${p}` },
    })
    distinctPerPerson.set(phone, 3)
    events.push(meta, form, wa)
  }
  const all = [...events]
  while (all.length < 300) all.push(events[Math.floor(Math.random() * events.length)] as AnyEvent)
  shuffle(all)
  for (let i = 0; i < all.length; i += 50) await publisher.publish(all.slice(i, i + 50))
  // Every distinct enquiry leaves exactly one marker note; wait until all 180 are in.
  const markers = () => s.odooServer.records('mail.message').filter((m) => m['model'] === 'crm.lead' && /Ref: \[/.test(String(m['body']))).length
  await waitFor('180 enquiries in Odoo', () => markers() >= 180, 60_000)
  const rows = await leads()
  t.equal(rows.length, 60, 'exactly one lead per person')
  t.equal(new Set(rows.map((r) => r['phone'])).size, 60)
  let notesRight = 0
  for (const row of rows) {
    const bodies = s.odooServer.messages('crm.lead', row.id).map((m) => String(m['body']))
    const created = bodies.filter((b) => b.includes('New lead from')).length
    const repeats = bodies.filter((b) => b.includes('New enquiry from')).length
    const messages = bodies.filter((b) => b.includes('WhatsApp message from')).length
    if (created === 1 && created + repeats + messages === 3 && (messages === 1 || bodies.some((b) => b.includes('New lead from WhatsApp')))) notesRight++
  }
  t.equal(notesRight, 60, 'each lead: one "new lead" note and one note per further enquiry, none twice')
  t.equal(markers(), 180)
  t.same(await publisher.deadLetters.list(service), [], 'nothing parked')
})
