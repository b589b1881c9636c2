import t from 'tap'
import { brokerProxy, fixture, harness, post, waitFor } from './helpers.js'

const single = fixture('meta-leadgen-webhook.json')
const SIG = { 'x-hub-signature-256': 'sha256=78c060a89d64b7081ef0522e3ccc7a4bf063a7ab5190910695a8066a3b25af85' }

t.test('broker down → 503 with Retry-After and not ready; back up → 200 and the event reaches RabbitMQ', async (t) => {
  const proxy = await brokerProxy(t)
  const { app, bus, received } = await harness(t, { amqpUrl: proxy.url, bus: { reconnectSeconds: 0.1, heartbeatSeconds: 1 } })
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200)

  proxy.down()
  await waitFor(() => !bus.isReady(), 'the bus to notice the broker is gone')
  const refused = await post(app, '/webhooks/meta', single, SIG)
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '5')
  t.same(refused.json(), { statusCode: 503, code: 'BROKER_UNAVAILABLE', message: 'event broker unavailable, retry later' })
  const ready = await app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { ok: false, checks: { broker: false } })
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'still alive')

  proxy.up()
  await waitFor(() => bus.isReady(), 'the bus to reconnect', 20_000)
  const accepted = await post(app, '/webhooks/meta', single, SIG)
  t.equal(accepted.statusCode, 200, 'Meta’s retry is accepted once the broker is back')
  await waitFor(() => received.length > 0, 'the event after recovery')
  t.same(received.map((m) => m.event.id), ['meta:2100000000000001'])
  const metrics = (await app.inject({ url: '/metrics' })).body
  t.match(metrics, /ingress_requests_total\{source="meta",outcome="failed",reason="broker_unavailable",service="ingress"\} 1/)
})

const handshakeUrl = '/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=meta-verify-token'
const from = (remoteAddress: string, forwardedFor?: string) => ({
  url: handshakeUrl,
  remoteAddress,
  ...(forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {}),
})

t.test('without a trusted proxy, X-Forwarded-For is ignored: the socket address is rate limited', async (t) => {
  const { app } = await harness(t, { config: { rateLimit: { max: 2, windowMs: 60_000 } } })
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.1'))).statusCode, 200)
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.2'))).statusCode, 200)
  const limited = await app.inject(from('10.0.0.1', '203.0.113.3'))
  t.equal(limited.statusCode, 429, 'a spoofed header does not buy a new budget')
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After given')
  t.equal((await app.inject(from('10.0.0.2'))).statusCode, 200, 'another client is not affected')
  t.equal((await app.inject({ url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode, 200, 'health checks are never limited')
})

t.test('behind a trusted proxy, the real client IP from X-Forwarded-For is rate limited', async (t) => {
  const { app } = await harness(t, { config: { rateLimit: { max: 2, windowMs: 60_000 }, trustProxy: ['10.0.0.0/8'] } })
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.7'))).statusCode, 200)
  t.equal((await app.inject(from('10.0.0.2', '203.0.113.7'))).statusCode, 200, 'same client through another proxy replica')
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.7'))).statusCode, 429, 'third request of that client')
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.8'))).statusCode, 200, 'another client behind the same proxy')
  t.equal((await app.inject(from('10.0.0.1', '203.0.113.7, 10.0.0.3'))).statusCode, 429, 'trusted hops are skipped')
  // A header prepended by the client itself: the proxy appends the real address, which is what counts.
  t.equal((await app.inject(from('10.0.0.1', '198.51.100.1, 203.0.113.7'))).statusCode, 429, 'a spoofed first entry does not help')
  t.equal((await app.inject(from('192.0.2.50', '203.0.113.9'))).statusCode, 200)
  t.equal((await app.inject(from('192.0.2.50', '203.0.113.10'))).statusCode, 200)
  t.equal((await app.inject(from('192.0.2.50', '203.0.113.11'))).statusCode, 429, 'an untrusted sender cannot pick its IP')
})
