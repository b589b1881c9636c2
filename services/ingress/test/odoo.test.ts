import { readFileSync } from 'node:fs'
import t from 'tap'
import { signGAssistant } from '@gassistant/contracts'
import { FIXTURE_TIME, ODOO_SECRET, fixture, harness, post, waitFor } from './helpers.js'

interface Vector { description: string; secret: string; timestamp: number; body: string; header: string }
// The shared vectors the addon is tested against too (libs/contracts/test-vectors; the signer's own test walks them all).
const vectors = JSON.parse(
  readFileSync(new URL('../../../libs/contracts/test-vectors/gassistant-signature.json', import.meta.url), 'utf8'),
) as Vector[]
const byEvent = (event: string) => vectors.find((v) => v.body.includes(`"event":"${event}"`) && !v.body.includes('\\u0627'))!
const escaped = vectors.find((v) => v.body.includes('\\u0627'))!

t.test('a lead.created webhook becomes inbound.odoo.lead.v1; the \\u-escaped twin gives the same event', async (t) => {
  const { app, received } = await harness(t)
  for (const vector of [byEvent('lead.created'), escaped]) {
    const res = await post(app, '/webhooks/odoo', Buffer.from(vector.body, 'utf8'), { 'x-gassistant-signature': vector.header })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { received: true, events: 1 })
  }
  await waitFor(() => received.length === 2, 'two events')
  t.equal(received[0]?.routingKey, 'inbound.odoo.lead.v1')
  t.match(received[0]?.event, { id: 'odoo:6f1c2a9e-3b7d-4f7e-9a51-0c2d8e4b7a10', subject: 'odoo:crm.lead:42' })
  t.same(received[0]?.event.data, {
    action: 'lead.created',
    database: 'crm_lab',
    occurredAt: '2026-01-08T10:30:00.000Z',
    lead: {
      id: 42,
      name: 'استفسار عن الباقة الذهبية',
      partnerName: 'شركة القحطاني للتجارة',
      contactName: 'محمد عبدالله القحطاني',
      email: 'm.qahtani@gmail.com',
      phone: '+966551234567',
      expectedRevenue: 45000,
      probability: 10,
      externalRef: 'meta:2100000000000001',
      writeDate: '2026-01-08T10:29:58Z',
      stage: { id: 1, name: 'New' },
      team: { id: 1, name: 'Sales' },
      user: { id: 2, name: 'سارة خالد', email: 'sara@example.sa' },
      utm: { source: 'Facebook', campaign: 'رمضان 2026' },
    },
    changed: [],
  })
  t.same(received[1]?.event.data, received[0]?.event.data, 'escaping changes the bytes, not the event')
  t.equal(received[1]?.event.id, received[0]?.event.id)
})

t.test('an order.confirmed webhook signed with an Arabic secret becomes inbound.odoo.order.v1', async (t) => {
  const vector = byEvent('order.confirmed')
  const { app, received } = await harness(t, { config: { odoo: { webhookSecret: vector.secret } }, clock: () => new Date(vector.timestamp * 1000) })
  const res = await post(app, '/webhooks/odoo', Buffer.from(vector.body, 'utf8'), { 'x-gassistant-signature': vector.header })
  t.equal(res.statusCode, 200)
  await waitFor(() => received.length === 1, 'the order event')
  t.equal(received[0]?.routingKey, 'inbound.odoo.order.v1')
  t.equal(received[0]?.event.id, 'odoo:0b8f2f44-7c1e-4c55-8d7e-2f5d9b3c1a22')
  t.same(received[0]?.event.data, {
    action: 'order.confirmed',
    database: 'crm_lab',
    occurredAt: '2026-01-09T08:00:05.000Z',
    order: {
      id: 7, name: 'S00007', state: 'sale', amountTotal: 2300, currency: 'SAR', opportunityId: 42, validityDate: '2026-02-07',
      writeDate: '2026-01-09T08:00:05Z', partner: { id: 9, name: 'مؤسسة النخبة 🌴' }, user: { id: 2, name: 'سارة خالد' },
    },
    changed: ['state'],
  })
})

t.test('a signed lead.message_posted becomes inbound.odoo.lead.message_posted.v1 with who, how and when', async (t) => {
  // As the addon sends it (odoo-addon/g_assistant_connector README "Payload contract"): never the message text.
  const payload = {
    id: '9b2e6f0c-51d4-4b8e-9a0b-6f1c2a9e3b7d',
    event: 'lead.message_posted',
    timestamp: '2026-01-08T10:41:07Z',
    database: 'crm_lab',
    model: 'crm.lead',
    record: {
      id: 42, name: 'استفسار عن الباقة الذهبية', type: 'opportunity', active: true, won_status: 'pending',
      partner_name: 'شركة القحطاني للتجارة', contact_name: 'محمد عبدالله القحطاني', email_from: 'm.qahtani@gmail.com',
      phone: '+966551234567', stage: { id: 2, name: 'Qualified' }, user: { id: 2, name: 'سارة خالد', email: 'sara@example.sa' },
      team: { id: 1, name: 'Sales' }, expected_revenue: 45000.0, probability: 60.0, currency: 'SAR', lost_reason: null,
      source: 'Facebook', medium: null, campaign: 'رمضان 2026', gassistant_ref: 'meta:2100000000000001',
      create_date: '2026-01-08T10:29:58Z', write_date: '2026-01-08T10:30:00Z',
    },
    changed: [],
    message: { id: 5120, kind: 'note', user: { id: 7, name: 'خالد العتيبي', email: null }, date: '2026-01-08T10:41:07Z' },
  }
  const signed = (body: unknown) => {
    const raw = Buffer.from(JSON.stringify(body), 'utf8')
    return [raw, { 'x-gassistant-signature': signGAssistant(ODOO_SECRET, FIXTURE_TIME.getTime() / 1000, raw) }] as const
  }
  const { app, received } = await harness(t)

  const res = await post(app, '/webhooks/odoo', ...signed(payload))
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 1 })
  await waitFor(() => received.length === 1, 'the answer event')
  t.equal(received[0]?.routingKey, 'inbound.odoo.lead.message_posted.v1')
  t.match(received[0]?.event, { id: 'odoo:9b2e6f0c-51d4-4b8e-9a0b-6f1c2a9e3b7d', subject: 'odoo:crm.lead:42' })
  t.same(received[0]?.event.data, {
    database: 'crm_lab',
    occurredAt: '2026-01-08T10:41:07.000Z',
    lead: {
      id: 42,
      name: 'استفسار عن الباقة الذهبية',
      externalRef: 'meta:2100000000000001',
      stage: { id: 2, name: 'Qualified' },
      team: { id: 1, name: 'Sales' },
      user: { id: 2, name: 'سارة خالد', email: 'sara@example.sa' },
    },
    message: { id: 5120, kind: 'note', user: { id: 7, name: 'خالد العتيبي' } },
  })

  const noMessage = await post(app, '/webhooks/odoo', ...signed({ ...payload, message: undefined }))
  t.equal(noMessage.statusCode, 400)
  t.match(noMessage.json(), { code: 'INVALID_PAYLOAD', message: /^\/message/ })
  const badKind = await post(app, '/webhooks/odoo', ...signed({ ...payload, message: { ...payload.message, kind: 'sms' } }))
  t.equal(badKind.statusCode, 400)
  t.match(badKind.json().message, /^\/message.*kind/)
  t.equal(received.length, 1, 'refused payloads publish nothing')
})

t.test("the addon's delivery id is the event id: kept across its retries, distinct for two changes in one second", async (t) => {
  const vector = byEvent('lead.created')
  const first = vector.body.replace('"event":"lead.created"', '"event":"lead.stage_changed"')
  const second = first.replace('6f1c2a9e-3b7d-4f7e-9a51-0c2d8e4b7a10', '9d2b7c41-0e5f-4a8b-b1c3-5e7f9a2d4c60').replace('"changed":[]', '"changed":["stage_id"]')
  let now = FIXTURE_TIME
  const { app, received } = await harness(t, { clock: () => now })
  const send = (body: string, at: Date) => post(app, '/webhooks/odoo', body, { 'x-gassistant-signature': signGAssistant(ODOO_SECRET, Math.floor(at.getTime() / 1000), body) })
  t.equal((await send(first, now)).statusCode, 200)
  t.equal((await send(second, now)).statusCode, 200, 'a second change of lead 42, same write_date to the second')
  now = new Date(FIXTURE_TIME.getTime() + 60_000)
  t.equal((await send(first, now)).statusCode, 200, 'the addon retries the first delivery a minute later, signed anew')
  await waitFor(() => received.length === 3, 'three events')
  t.same(received.map((m) => m.event.id), [
    'odoo:6f1c2a9e-3b7d-4f7e-9a51-0c2d8e4b7a10',
    'odoo:9d2b7c41-0e5f-4a8b-b1c3-5e7f9a2d4c60',
    'odoo:6f1c2a9e-3b7d-4f7e-9a51-0c2d8e4b7a10',
  ])
  t.same(received.map((m) => m.event.subject), ['odoo:crm.lead:42', 'odoo:crm.lead:42', 'odoo:crm.lead:42'])
  const noId = first.replace('"id":"6f1c2a9e-3b7d-4f7e-9a51-0c2d8e4b7a10",', '')
  const refused = await send(noId, now)
  t.equal(refused.statusCode, 400, 'a payload without its delivery id cannot be deduplicated: refused')
  t.match(refused.json(), { code: 'INVALID_PAYLOAD', message: /id/ })
})

t.test('replayed, future, missing and foreign signatures are refused; shapes we cannot map are 400', async (t) => {
  const vector = byEvent('lead.created')
  const body = Buffer.from(vector.body, 'utf8')
  const signed = { 'x-gassistant-signature': vector.header }
  let now = FIXTURE_TIME
  const { app, received } = await harness(t, { clock: () => now })

  now = new Date(FIXTURE_TIME.getTime() + 301_000)
  const replay = await post(app, '/webhooks/odoo', body, signed)
  t.equal(replay.statusCode, 401, 'more than 5 minutes old: 401')
  t.equal(replay.json().code, 'STALE_SIGNATURE')
  now = new Date(FIXTURE_TIME.getTime() - 301_000)
  const future = await post(app, '/webhooks/odoo', body, signed)
  t.equal(future.statusCode, 401, 'more than 5 minutes ahead: 401')
  t.match(future.json().message, /future/)
  now = new Date(FIXTURE_TIME.getTime() + 299_000)

  const automation = await post(app, '/webhooks/odoo', fixture('odoo-base-automation-webhook.json'))
  t.equal(automation.statusCode, 401, "Odoo's own unsigned automation webhook: 401")
  t.equal(automation.json().code, 'MISSING_SIGNATURE')
  const malformed = await post(app, '/webhooks/odoo', body, { 'x-gassistant-signature': 'v1=abc' })
  t.equal(malformed.json().code, 'MALFORMED_SIGNATURE')
  const metaStyle = await post(app, '/webhooks/odoo', body, { 'x-hub-signature-256': 'sha256=2a6bd5d34a96e53bb046817e32e21a6c188ca6a8c05af519d1bcc3576b1a402e' })
  t.equal(metaStyle.statusCode, 401, 'a Meta-style signature does not authenticate Odoo')

  // The shared fixture predates the addon's payload contract (`data`, no database/model): authentic, not mappable.
  const legacy = await post(app, '/webhooks/odoo', fixture('odoo-addon-lead-updated.json'), {
    'x-gassistant-signature': 't=1767868200,v1=b3e1cce0a9ae39e0ccaf855d5afc7798fe16faf9b6c8967594365adf2b127afc',
  })
  t.equal(legacy.statusCode, 400)
  t.match(legacy.json(), { code: 'INVALID_PAYLOAD', message: /database/ })

  const wrongModel = Buffer.from(vector.body.replace('"model":"crm.lead"', '"model":"sale.order"'))
  const wrong = await post(app, '/webhooks/odoo', wrongModel, { 'x-gassistant-signature': signGAssistant(ODOO_SECRET, vector.timestamp, wrongModel) })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.json().message, /^\/model must be crm\.lead/)
  const noId = Buffer.from(vector.body.replace('"record":{"id":42,', '"record":{'))
  const missing = await post(app, '/webhooks/odoo', noId, { 'x-gassistant-signature': signGAssistant(ODOO_SECRET, vector.timestamp, noId) })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().message, /^\/record .*id/)

  const ping = byEvent('test.ping')
  const pingBody = Buffer.from(ping.body, 'utf8')
  const pong = await post(app, '/webhooks/odoo', pingBody, { 'x-gassistant-signature': signGAssistant(ODOO_SECRET, vector.timestamp, pingBody) })
  t.equal(pong.statusCode, 200, 'test.ping is acknowledged')
  t.same(pong.json(), { received: true, events: 0 })

  const ok = await post(app, '/webhooks/odoo', body, signed)
  t.equal(ok.statusCode, 200, 'within the window: accepted')
  await waitFor(() => received.length > 0, 'the barrier event')
  t.equal(received.length, 1, 'only the accepted webhook published')
})
