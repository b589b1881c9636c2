import t from 'tap'
import { fixture, harness, hubSignature, post, waitFor } from './helpers.js'

const single = fixture('meta-leadgen-webhook.json')
const batch = fixture('meta-leadgen-webhook-batch.json')
const SINGLE_SIG = 'sha256=78c060a89d64b7081ef0522e3ccc7a4bf063a7ab5190910695a8066a3b25af85'
const BATCH_SIG = 'sha256=99aa7bfa6ded90e3ff8e7c8c0b65449d0c3bfa46aad03835e2cf08ca9879aae1'

t.test('subscription handshake echoes the challenge only for our token', async (t) => {
  const { app } = await harness(t)
  const ok = await app.inject({ url: '/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meta-verify-token' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.body, '1158201444')
  t.match(ok.headers['content-type'], /^text\/plain/)
  for (const query of [
    'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
    'hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meta-verify-token',
    'hub.mode=subscribe&hub.verify_token=meta-verify-token',
    '',
  ]) {
    const refused = await app.inject({ url: `/webhooks/meta?${query}` })
    t.equal(refused.statusCode, 403, `403 for "${query}"`)
    t.equal(refused.json().code, 'VERIFICATION_FAILED')
  }
})

t.test('a signed leadgen webhook becomes one confirmed event on RabbitMQ', async (t) => {
  const { app, received } = await harness(t)
  const res = await post(app, '/webhooks/meta', single, { 'x-hub-signature-256': SINGLE_SIG })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 1 })
  // 200 means confirmed by the broker: the message is already routed to our queue.
  const [message] = await waitFor(() => received.length === 1 && received, 'the event')
  t.equal(message?.routingKey, 'inbound.meta.leadgen.v1')
  t.match(message?.event, {
    specversion: '1.0',
    id: 'meta:2100000000000001',
    type: 'inbound.meta.leadgen.v1',
    source: '/ingress',
    subject: 'meta:2100000000000001',
    time: '2026-01-08T10:30:00.000Z',
    data: { leadgenId: '2100000000000001', pageId: '104857600112233', formId: '987654321098765' },
  })
})

t.test('a batch of entries and changes is split into one event per leadgen, big ids exact', async (t) => {
  const { app, received } = await harness(t)
  const res = await post(app, '/webhooks/meta', batch, { 'x-hub-signature-256': BATCH_SIG })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: true, events: 3 })
  await waitFor(() => received.length === 3, 'three events')
  t.same(received.map((m) => m.event.id), ['meta:2100000000000002', 'meta:2100000000000003', 'meta:2100000000000004'])
  t.same(received[0]?.event.data, {
    leadgenId: '2100000000000002', pageId: '104857600112233', formId: '987654321098765',
    adId: '120210000000000012', adgroupId: '120210000000000012', createdTime: 1767868290,
  })
  t.same(received[1]?.event.data, { leadgenId: '2100000000000003', pageId: '104857600112233', formId: '987654321098765', createdTime: 1767868295 })
  t.same(received[2]?.event.data, {
    leadgenId: '2100000000000004', pageId: '104857600445566', formId: '555444333222111',
    adId: '120210000000000013', adgroupId: '120210000000000013', createdTime: 1767868299,
  })
  t.match(received[2]?.raw.toString(), /"adId":"120210000000000013"/, 'the 18-digit ad id is not rounded')
})

t.test('a redelivered webhook keeps its event id', async (t) => {
  const { app, received } = await harness(t)
  await post(app, '/webhooks/meta', single, { 'x-hub-signature-256': SINGLE_SIG })
  await post(app, '/webhooks/meta', single, { 'x-hub-signature-256': SINGLE_SIG })
  await waitFor(() => received.length === 2, 'two deliveries')
  t.same(received.map((m) => m.event.id), ['meta:2100000000000001', 'meta:2100000000000001'])
})

t.test('bad signatures and bad bodies are refused and nothing is published', async (t) => {
  const { app, received, logs } = await harness(t)
  const tampered = Buffer.from(single)
  tampered[tampered.indexOf('2100000000000001') + 15] = '2'.charCodeAt(0)
  const otherField = Buffer.from('{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed","value":{"item":"post"}}]}]}')
  const otherObject = Buffer.from('{"object":"instagram","entry":[]}')
  const missingId = Buffer.from('{"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen","value":{"page_id":"1","form_id":"2","created_time":1}}]}]}')
  const cases: [string, Buffer, Record<string, string>, number, string, RegExp?][] = [
    ['tampered byte', tampered, { 'x-hub-signature-256': SINGLE_SIG }, 401, 'INVALID_SIGNATURE'],
    ['wrong secret', single, { 'x-hub-signature-256': hubSignature(single, 'another-secret') }, 401, 'INVALID_SIGNATURE'],
    ['missing header', single, {}, 401, 'MISSING_SIGNATURE'],
    ['sha1-only header', single, { 'x-hub-signature': 'sha1=bca93d9cf5ddee9e296fc94885de5a399f68f762' }, 401, 'SHA1_SIGNATURE_REFUSED'],
    ['malformed header', single, { 'x-hub-signature-256': 'sha256=xyz' }, 401, 'MALFORMED_SIGNATURE'],
    ['malformed JSON', Buffer.from('{"object":"page",'), { 'x-hub-signature-256': hubSignature('{"object":"page",') }, 400, 'INVALID_PAYLOAD', /not valid JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), { 'x-hub-signature-256': hubSignature(Buffer.from([0x7b, 0xff, 0x7d])) }, 400, 'INVALID_PAYLOAD', /UTF-8/],
    ['a leadgen without leadgen_id', missingId, { 'x-hub-signature-256': hubSignature(missingId) }, 400, 'INVALID_PAYLOAD', /^\/entry\/0\/changes\/0\/value .*leadgen_id/],
    ['entry not an array', Buffer.from('{"object":"page","entry":{}}'), { 'x-hub-signature-256': hubSignature('{"object":"page","entry":{}}') }, 400, 'INVALID_PAYLOAD', /^\/entry /],
  ]
  for (const [name, body, headers, status, code, message] of cases) {
    const res = await post(app, '/webhooks/meta', body, headers)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.equal(res.json().code, code, `${name}: ${code}`)
    if (message) t.match(res.json().message, message, `${name}: names the problem`)
    t.notMatch(res.body, /at .*\.ts|node_modules/, `${name}: no stack trace`)
  }
  const personal = '{"object":"page","email": m.qahtani@gmail.com}'
  const quoted = await post(app, '/webhooks/meta', personal, { 'x-hub-signature-256': hubSignature(personal) })
  t.equal(quoted.statusCode, 400)
  t.notMatch(quoted.body, /qahtani/, 'a JSON error never quotes the body')
  const empty = await post(app, '/webhooks/meta', '', { 'x-hub-signature-256': hubSignature('') })
  t.equal(empty.statusCode, 400, 'empty body: 400')
  t.equal(empty.json().message, 'body is empty')
  const wrongType = await post(app, '/webhooks/meta', single, { 'content-type': 'text/plain', 'x-hub-signature-256': SINGLE_SIG })
  t.equal(wrongType.statusCode, 415, 'wrong content type: 415')
  const formType = await post(app, '/webhooks/meta', single, { 'content-type': 'application/x-www-form-urlencoded', 'x-hub-signature-256': SINGLE_SIG })
  t.equal(formType.statusCode, 415, 'urlencoded to a JSON webhook: 415')
  const oversize = Buffer.from(`{"object":"page","entry":[],"pad":"${'x'.repeat(70 * 1024)}"}`)
  const tooBig = await post(app, '/webhooks/meta', oversize, { 'x-hub-signature-256': hubSignature(oversize) })
  t.equal(tooBig.statusCode, 413, 'oversize body: 413')
  t.equal(tooBig.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE')

  for (const [name, body] of [['another field', otherField], ['another object', otherObject]] as const) {
    const res = await post(app, '/webhooks/meta', body, { 'x-hub-signature-256': hubSignature(body) })
    t.equal(res.statusCode, 200, `${name}: acknowledged`)
    t.same(res.json(), { received: true, events: 0 })
  }

  // A barrier: the last valid request's event arrives after anything published before it.
  await post(app, '/webhooks/meta', single, { 'x-hub-signature-256': SINGLE_SIG })
  await waitFor(() => received.length > 0, 'the barrier event')
  t.same(received.map((m) => m.event.id), ['meta:2100000000000001'], 'only the valid request published')

  const metrics = (await app.inject({ url: '/metrics' })).body
  t.match(metrics, /ingress_requests_total\{source="meta",outcome="refused",reason="invalid_signature",service="ingress"\} 2/)
  t.match(metrics, /ingress_requests_total\{source="meta",outcome="refused",reason="sha1_signature_refused",service="ingress"\} 1/)
  t.match(metrics, /ingress_requests_total\{source="meta",outcome="accepted",reason="no_events",service="ingress"\} 2/)
  t.match(metrics, /ingress_events_published_total\{type="inbound.meta.leadgen.v1",service="ingress"\} 1/)
  t.notMatch(logs.text(), /78c060a89d|bca93d9cf5|sha256=/, 'no signature in the logs')
})

t.test('unknown routes answer a JSON 404 with helmet headers', async (t) => {
  const { app } = await harness(t)
  const res = await app.inject({ method: 'POST', url: '/webhooks/nope' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { statusCode: 404, code: 'NOT_FOUND', message: 'no route POST /webhooks/nope' })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
})
