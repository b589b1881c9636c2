import t, { type Test } from 'tap'
import { createHttpServer, createLogger, createMetrics, type Readiness } from '../src/index.js'
import { captureLog } from './helpers.js'

async function build(t: Test, ready?: () => Promise<Readiness>) {
  const out = captureLog()
  const log = createLogger({ service: 'demo', destination: out.stream })
  const metrics = createMetrics('demo')
  const app = await createHttpServer({ service: 'demo', log, metrics, ...(ready ? { ready } : {}) })
  t.teardown(() => app.close())
  return { app, out, metrics }
}

t.test('healthz answers 200 with helmet headers', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { ok: true })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.ok(res.headers['strict-transport-security'], 'HSTS set')
  t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", 'an API policy: nothing may load')
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
})

t.test('readyz reports the checks, 503 when one fails', async (t) => {
  let broker = true
  const { app } = await build(t, async () => ({ ok: broker, checks: { broker } }))
  const up = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(up.statusCode, 200)
  t.same(up.json(), { ok: true, checks: { broker: true } })
  broker = false
  const down = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(down.statusCode, 503)
  t.same(down.json(), { ok: false, checks: { broker: false } })
})

t.test('a readiness probe that throws reads as not ready', async (t) => {
  const { app } = await build(t, async () => {
    throw new Error('probe exploded')
  })
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { ok: false, checks: { ready: false } })
})

t.test('metrics are Prometheus text from the service registry, with the service label', async (t) => {
  const { app, metrics } = await build(t)
  metrics.counter({ name: 'demo_things_total', help: 'things' }).inc(3)
  await app.inject({ method: 'GET', url: '/healthz' })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/plain/)
  t.match(res.body, /demo_things_total\{service="demo"\} 3/)
  t.match(res.body, /http_requests_total\{method="GET",route="\/healthz",status_code="200",service="demo"\} 1/)
  t.match(res.body, /process_cpu_user_seconds_total/)
})

t.test('two services in one process keep separate registries', async (t) => {
  const a = createMetrics('a')
  const b = createMetrics('b')
  a.counter({ name: 'same_name_total', help: 'x' }).inc()
  b.counter({ name: 'same_name_total', help: 'x' }).inc(2)
  t.match(await a.registry.metrics(), /same_name_total\{service="a"\} 1/)
  t.match(await b.registry.metrics(), /same_name_total\{service="b"\} 2/)
})

t.test('unknown routes answer a JSON 404', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/nope?token=abc' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { statusCode: 404, code: 'NOT_FOUND', message: 'no route GET /nope' })
})

t.test('a bug answers 500 without stack or message; a deliberate error keeps its status and message', async (t) => {
  const { app, out } = await build(t)
  app.get('/bug', async () => {
    throw new TypeError('cannot read secret-internal-detail of undefined')
  })
  app.get('/teapot', async () => {
    throw Object.assign(new Error('the pot is busy'), { statusCode: 503, code: 'POT_BUSY', headers: { 'retry-after': '5' } })
  })
  app.post('/json', async (request) => request.body)

  const bug = await app.inject({ method: 'GET', url: '/bug' })
  t.equal(bug.statusCode, 500)
  t.same(bug.json(), { statusCode: 500, code: 'INTERNAL', message: 'internal error' })
  t.notMatch(bug.body, /secret-internal-detail|at /)

  const busy = await app.inject({ method: 'GET', url: '/teapot' })
  t.equal(busy.statusCode, 503)
  t.equal(busy.headers['retry-after'], '5')
  t.same(busy.json(), { statusCode: 503, code: 'POT_BUSY', message: 'the pot is busy' })

  const malformed = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, payload: '{"a":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' })
  t.notMatch(malformed.body, /node_modules|at /)

  const failed = out.lines().find((line) => line.msg === 'request completed' && line.route === '/bug')
  t.match(failed, { status: 500, outcome: 'failed', reason: 'internal_error' })
})

t.test('one log line per request with outcome and duration, no headers, no query string', async (t) => {
  const { app, out } = await build(t)
  app.get('/hook', async (request) => {
    request.outcomeReason = 'verified'
    return 'ok'
  })
  await app.inject({ method: 'GET', url: '/hook?hub.verify_token=secret-token', headers: { authorization: 'Bearer x' } })
  const lines = out.lines().filter((line) => line.msg === 'request completed')
  t.equal(lines.length, 1)
  t.match(lines[0], { service: 'demo', method: 'GET', route: '/hook', status: 200, outcome: 'ok', reason: 'verified', duration_ms: Number })
  t.notMatch(out.text(), /secret-token|Bearer|authorization/)
})

// New requests while closing get Fastify's own 503 (return503OnClosing); what is ours is that an
// in-flight keep-alive request is told to hang up, so close() does not wait for the client's idle timeout.
t.test('while closing, an in-flight request finishes with Connection: close and close() completes', async (t) => {
  const { app } = await build(t)
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => (release = resolve))
  let started = false
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.get('/slow', async () => {
    started = true
    await gate
    return { done: true }
  })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const inFlight = fetch(`${base}/slow`)
  while (!started) await new Promise((resolve) => setImmediate(resolve))
  const closed = app.close()
  while (!closing) await new Promise((resolve) => setImmediate(resolve))
  release()
  const first = await inFlight
  t.equal(first.status, 200)
  t.equal(first.headers.get('connection'), 'close')
  t.same(await first.json(), { done: true })
  await closed
  await t.rejects(fetch(`${base}/healthz`), 'new connections are refused once closed')
})
