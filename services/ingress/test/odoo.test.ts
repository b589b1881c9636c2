import { readFileSync } from 'node:fs'
import t from 'tap'
import { signGAssistant, verifyGAssistantSignature } from '../src/signature.js'
import { FIXTURE_TIME, ODOO_SECRET, fixture, harness, post, waitFor } from './helpers.js'

interface Vector { description: string; secret: string; timestamp: number; body: string; header: string }
// The shared vectors the addon is tested against too (libs/contracts/test-vectors).
const vectors = JSON.parse(
  readFileSync(new URL('../../../libs/contracts/test-vectors/gassistant-signature.json', import.meta.url), 'utf8'),
) as Vector[]
const byEvent = (event: string) => vectors.find((v) => v.body.includes(`"event":"${event}"`) && !v.body.includes('\\u0627'))!
const escaped = vectors.find((v) => v.body.includes('\\u0627'))!

t.test('every shared test vector: same header when signing, accepted when verifying, refused when tampered', async (t) => {
  t.ok(vectors.length >= 7, 'the vector file is there')
  for (const vector of vectors) {
    const body = Buffer.from(vector.body, 'utf8')
    const at = new Date(vector.timestamp * 1000)
    t.equal(signGAssistant(vector.secret, vector.timestamp, body), vector.header, `${vector.description}: signs identically`)
    let accepted = true
    try {
      verifyGAssistantSignature(body, { 'x-gassistant-signature': vector.header }, vector.secret, at)
    } catch {
      accepted = false
    }
    t.ok(accepted, `${vector.description}: verifies`)
    const tampered = Buffer.concat([body, Buffer.from(' ')])
    t.throws(() => verifyGAssistantSignature(tampered, { 'x-gassistant-signature': vector.header }, vector.secret, at), { code: 'INVALID_SIGNATURE' }, `${vector.description}: tampered body refused`)
    t.throws(() => verifyGAssistantSignature(body, { 'x-gassistant-signature': vector.header }, `${vector.secret}x`, at), { code: 'INVALID_SIGNATURE' }, `${vector.description}: other secret refused`)
  }
})

t.test('a lead.created webhook becomes inbound.odoo.lead.v1; the \\u-escaped twin gives the same event', async (t) => {
  const { app, received } = await harness(t)
  for (const vector of [byEvent('lead.created'), escaped]) {
    const res = await post(app, '/webhooks/odoo', Buffer.from(vector.body, 'utf8'), { 'x-gassistant-signature': vector.header })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { received: true, events: 1 })
  }
  await waitFor(() => received.length === 2, 'two events')
  t.equal(received[0]?.routingKey, 'inbound.odoo.lead.v1')
  t.match(received[0]?.event, { id: 'odoo:crm.lead:42:2026-01-08T10:29:58Z', subject: 'odoo:crm.lead:42' })
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
  t.equal(received[0]?.event.id, 'odoo:sale.order:7:2026-01-09T08:00:05Z')
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
  t.match(received[0]?.event, { id: 'odoo:mail.message:5120', subject: 'odoo:crm.lead:42' })
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
