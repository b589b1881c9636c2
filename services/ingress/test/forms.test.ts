import { createHash } from 'node:crypto'
import t from 'tap'
import { signGAssistant } from '@gassistant/contracts'
import { FIXTURE_TIME, harness, post, waitFor } from './helpers.js'

const T = Math.floor(FIXTURE_TIME.getTime() / 1000)

t.test('an urlencoded, HMAC-signed form keeps its fields and UTM parameters apart', async (t) => {
  const { app, received, logs } = await harness(t)
  const body = 'name=%D9%85%D8%AD%D9%85%D8%AF+%D8%A7%D9%84%D9%82%D8%AD%D8%B7%D8%A7%D9%86%D9%8A&email=m.qahtani%40gmail.com&phone=0551234567&utm_source=google&utm_medium=cpc&utm_campaign=ramadan-2026&utm_term=&page_url=https%3A%2F%2Fexample.sa%2Foffer'
  const res = await post(app, '/webhooks/forms/contact', body, {
    'content-type': 'application/x-www-form-urlencoded',
    'x-gassistant-signature': signGAssistant('contact-form-secret', T, body),
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 1 })
  await waitFor(() => received.length === 1, 'the form event')
  const digest = createHash('sha256').update('contact\n').update(body).digest('hex')
  t.equal(received[0]?.routingKey, 'inbound.form.submitted.v1')
  t.equal(received[0]?.event.id, `form:contact:${digest.slice(0, 40)}`)
  t.same(received[0]?.event.data, {
    formKey: 'contact',
    submissionId: digest,
    submittedAt: '2026-01-08T10:30:00.000Z',
    fields: { name: 'محمد القحطاني', email: 'm.qahtani@gmail.com', phone: '0551234567' },
    utm: { source: 'google', medium: 'cpc', campaign: 'ramadan-2026' },
    pageUrl: 'https://example.sa/offer',
  })
  const lines = logs.text().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  const completed = lines.filter((line) => line.msg === 'request completed')
  t.equal(completed.length, 1, 'one log line for the request')
  t.match(completed[0], { service: 'ingress', route: '/webhooks/forms/:formKey', status: 200, outcome: 'ok', duration_ms: Number })
  t.same(completed[0].event_ids, [received[0]?.event.id], "the published event's id, for the dashboard's journey")
  t.same(lines.filter((line) => 'event_ids' in line), [completed[0]], 'no other line per request')
  t.notMatch(logs.text(), /qahtani|0551234567|%D9|contact-form-secret|v1=/, 'no personal data, secret or signature in the logs')
})

t.test('a JSON form posted server-side with its API key; the same body keeps the same id', async (t) => {
  const { app, received } = await harness(t)
  const body = JSON.stringify({ company: 'شركة النخبة', employees: 25, consent: true, interests: ['crm', 'whatsapp'], note: null, utm_source: 'linkedin' })
  for (let i = 0; i < 2; i++) {
    const res = await post(app, '/webhooks/forms/partner', body, { 'x-api-key': 'partner-api-key-123' })
    t.equal(res.statusCode, 200)
  }
  await waitFor(() => received.length === 2, 'two events')
  t.same(received[0]?.event.data.fields, { company: 'شركة النخبة', employees: '25', consent: 'true', interests: 'crm, whatsapp' })
  t.same(received[0]?.event.data.utm, { source: 'linkedin' })
  t.equal(received[0]?.event.id, received[1]?.event.id, 'a resubmission is recognisable')
})

t.test('unknown forms, wrong credentials and unusable bodies are refused; nothing is published', async (t) => {
  const { app, received } = await harness(t)
  const body = JSON.stringify({ name: 'x' })
  const signed = (b: string, secret = 'contact-form-secret', at = T) => ({ 'x-gassistant-signature': signGAssistant(secret, at, b) })
  const cases: [string, string, string, Record<string, string>, number, string][] = [
    ['unknown form', '/webhooks/forms/nope', body, { 'x-api-key': 'partner-api-key-123' }, 404, 'UNKNOWN_FORM'],
    ['an inherited property name as form key', '/webhooks/forms/constructor', body, { 'x-api-key': 'partner-api-key-123' }, 404, 'UNKNOWN_FORM'],
    ['form key with bad characters', '/webhooks/forms/..%2Fetc', body, {}, 404, 'UNKNOWN_FORM'],
    ['no credentials', '/webhooks/forms/contact', body, {}, 401, 'MISSING_SIGNATURE'],
    ['wrong form secret', '/webhooks/forms/contact', body, signed(body, 'partner-api-key-123'), 401, 'INVALID_SIGNATURE'],
    ['stale form signature', '/webhooks/forms/contact', body, signed(body, 'contact-form-secret', T - 3600), 401, 'STALE_SIGNATURE'],
    ['wrong API key', '/webhooks/forms/partner', body, { 'x-api-key': 'partner-api-key-124' }, 401, 'INVALID_API_KEY'],
    ["API key for a form that only takes signatures", '/webhooks/forms/contact', body, { 'x-api-key': 'partner-api-key-123' }, 401, 'MISSING_SIGNATURE'],
    ['nested object', '/webhooks/forms/partner', '{"a":{"b":1}}', { 'x-api-key': 'partner-api-key-123' }, 400, 'INVALID_PAYLOAD'],
    ['array body', '/webhooks/forms/partner', '[1,2]', { 'x-api-key': 'partner-api-key-123' }, 400, 'INVALID_PAYLOAD'],
    ['only UTM fields', '/webhooks/forms/partner', '{"utm_source":"x"}', { 'x-api-key': 'partner-api-key-123' }, 400, 'INVALID_PAYLOAD'],
    ['malformed JSON', '/webhooks/forms/partner', '{"a":', { 'x-api-key': 'partner-api-key-123' }, 400, 'INVALID_PAYLOAD'],
  ]
  for (const [name, url, payload, headers, status, code] of cases) {
    const res = await post(app, url, payload, headers)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.equal(res.json().code, code, `${name}: ${code}`)
  }
  const text = await post(app, '/webhooks/forms/partner', 'name=x', { 'content-type': 'text/plain', 'x-api-key': 'partner-api-key-123' })
  t.equal(text.statusCode, 415, 'text/plain: 415')
  const invalidUtf8 = await post(app, '/webhooks/forms/partner', Buffer.from([0x6e, 0x3d, 0xc3, 0x28]), { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': 'partner-api-key-123' })
  t.equal(invalidUtf8.statusCode, 400, 'invalid UTF-8: 400')
  t.match(invalidUtf8.json().message, /UTF-8/)

  await post(app, '/webhooks/forms/partner', body, { 'x-api-key': 'partner-api-key-123' })
  await waitFor(() => received.length > 0, 'the barrier event')
  t.equal(received.length, 1, 'only the valid submission published')
})
