import t from 'tap'
import { fixture, harness, hubSignature, post, waitFor } from './helpers.js'

const text = fixture('whatsapp-text-message.json')
const referral = fixture('whatsapp-ctwa-referral-message.json')
const status = fixture('whatsapp-status-update.json')
const SIGS = {
  text: 'sha256=ab31b30f5224d063b4a6cbe04562e000e60d86f09de1d199a352ee23fe6ea38e',
  referral: 'sha256=888bb15872bf7588fc252516b4f855826746a1701f9400c2e0b9f3d6d241d60b',
  status: 'sha256=f611ccf4ff5b4d964d4b4a25a78ac9d5533dad54e99c55436af83950ea6933cd',
}

function envelope(messages: unknown[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
      contacts: [{ profile: { name: 'Test' }, wa_id: '966500000001' }],
      messages,
    } }] }],
  })
}

t.test('handshake uses the WhatsApp verify token', async (t) => {
  const { app } = await harness(t)
  const ok = await app.inject({ url: '/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=abc-123&hub.verify_token=wa-verify-token' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.body, 'abc-123')
  const meta = await app.inject({ url: '/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=abc&hub.verify_token=meta-verify-token' })
  t.equal(meta.statusCode, 403, "the Meta app's token does not open the WhatsApp endpoint")
})

t.test('an Arabic text message arrives byte-exact with its contact name', async (t) => {
  const { app, received } = await harness(t)
  const res = await post(app, '/webhooks/whatsapp', text, { 'x-hub-signature-256': SIGS.text })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 1 })
  await waitFor(() => received.length === 1, 'the message event')
  t.equal(received[0]?.routingKey, 'inbound.whatsapp.message.v1')
  t.match(received[0]?.event, { id: 'wa:wamid.HBgMOTY2NTY3NjU0MzIxFQIAEhggQ0E3RjE5QjQ1MjA1RDk0QjcxAA==', type: 'inbound.whatsapp.message.v1' })
  t.same(received[0]?.event.data, {
    messageId: 'wamid.HBgMOTY2NTY3NjU0MzIxFQIAEhggQ0E3RjE5QjQ1MjA1RDk0QjcxAA==',
    waId: '966567654321',
    profileName: 'سارة خالد',
    phoneNumberId: '106540352242922',
    displayPhoneNumber: '966112345678',
    timestamp: '2026-01-08T10:33:20.000Z',
    messageType: 'text',
    text: 'السلام عليكم، كم سعر الباقة Gold؟ 🙏',
  })
})

t.test('a click-to-WhatsApp message carries its ad referral', async (t) => {
  const { app, received } = await harness(t)
  const res = await post(app, '/webhooks/whatsapp', referral, { 'x-hub-signature-256': SIGS.referral })
  t.equal(res.statusCode, 200)
  await waitFor(() => received.length === 1, 'the referral event')
  t.match(received[0]?.event.data, {
    waId: '201001234567',
    profileName: 'أحمد علي',
    text: 'مرحبا، شفت الإعلان وعايز أعرف التفاصيل',
    referral: {
      sourceType: 'ad',
      sourceId: '120210000000000011',
      sourceUrl: 'https://fb.me/3xAmPlE9',
      headline: 'عرض رمضان: خصم 30%',
      mediaType: 'image',
      ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
    },
  })
})

t.test('interactive replies and template buttons give their text and id', async (t) => {
  const { app, received } = await harness(t)
  const body = envelope([
    { from: '966500000001', id: 'wamid.A', timestamp: '1767868400', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'btn_yes', title: 'نعم' } } },
    { from: '966500000001', id: 'wamid.B', timestamp: '1767868401', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'slot_10', title: '10 h', description: 'morning' } } },
    { from: '966500000001', id: 'wamid.C', timestamp: '1767868402', type: 'button', button: { payload: 'Unsubscribe', text: 'إلغاء' }, context: { from: '966112345678', id: 'wamid.X' } },
    { from: '966500000001', id: 'wamid.D', timestamp: '1767868403', type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } },
  ])
  const res = await post(app, '/webhooks/whatsapp', body, { 'x-hub-signature-256': hubSignature(body) })
  t.same(res.json(), { received: true, events: 4 })
  await waitFor(() => received.length === 4, 'four events')
  t.same(
    received.map((m) => [m.event.id, m.event.data.messageType, m.event.data.text, m.event.data.replyId]),
    [
      ['wa:wamid.A', 'interactive', 'نعم', 'btn_yes'],
      ['wa:wamid.B', 'interactive', '10 h', 'slot_10'],
      ['wa:wamid.C', 'button', 'إلغاء', 'Unsubscribe'],
      ['wa:wamid.D', 'image', undefined, undefined],
    ],
  )
})

t.test('status updates are acknowledged without an event; a bad message is refused', async (t) => {
  const { app, received } = await harness(t)
  const res = await post(app, '/webhooks/whatsapp', status, { 'x-hub-signature-256': SIGS.status })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 0 })
  const bad = envelope([{ from: '966500000001', id: 'wamid.E', timestamp: 'yesterday', type: 'text', text: { body: 'x' } }])
  const refused = await post(app, '/webhooks/whatsapp', bad, { 'x-hub-signature-256': hubSignature(bad) })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().message, /^\/entry\/0\/changes\/0\/value\/messages\/0\/timestamp /)
  const badWaId = envelope([{ from: 'not-a-number', id: 'wamid.F', timestamp: '1767868400', type: 'text', text: { body: 'x' } }])
  const contract = await post(app, '/webhooks/whatsapp', badWaId, { 'x-hub-signature-256': hubSignature(badWaId) })
  t.equal(contract.statusCode, 400, 'input the contract refuses is a 400, not a 500')
  t.match(contract.json().message, /waId/)
  const sha1 = await post(app, '/webhooks/whatsapp', text, { 'x-hub-signature': 'sha1=66cd49502b2d5be1fe136781172834133d9e321e' })
  t.equal(sha1.statusCode, 401)
  await post(app, '/webhooks/whatsapp', text, { 'x-hub-signature-256': SIGS.text })
  await waitFor(() => received.length > 0, 'the barrier event')
  t.equal(received.length, 1, 'only the valid text message was published')
  t.equal(received[0]?.event.data.messageType, 'text')
})
