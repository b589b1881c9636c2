// The JSON API and pages behind sign-in, over HTTP: no data without a session, a wrong password refused,
// POSTs need the session's CSRF token, the pipeline counts and a journey come from the ingested log lines,
// Arabic pages are right-to-left, and bad input gets a 4xx naming the problem.
import t from 'tap'
import { startDashboard } from './helpers/rig.js'

const at = (second: number) => new Date(Date.UTC(2026, 0, 8, 10, 30, second)).toISOString()
const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', ...fields })

/** The lines one Meta lead leaves across the hub, as the services write them. */
function metaLeadLines(leadgenId: string, leadId: number): string[] {
  const eventId = `meta:${leadgenId}`
  return [
    line({ time: at(0), service: 'ingress', method: 'POST', route: '/webhooks/meta', status: 200, outcome: 'ok', duration_ms: 4.2, event_ids: [eventId], msg: 'request completed' }),
    line({ time: at(1), service: 'lead-processor', event_id: eventId, type: 'inbound.meta.leadgen.v1', correlation_id: eventId, page_id: '1', leadgen_id: leadgenId, duration_ms: 120, msg: 'Graph lead read' }),
    line({ time: at(2), service: 'lead-processor', event_id: eventId, type: 'inbound.meta.leadgen.v1', correlation_id: eventId, lead_id: leadId, lead_outcome: 'created', email: 'm***@gmail.com', msg: 'lead created' }),
    line({ time: at(2), service: 'lead-processor', event_id: eventId, type: 'inbound.meta.leadgen.v1', correlation_id: eventId, attempt: 1, outcome: 'done', duration_ms: 1500, msg: 'event handled' }),
    line({ time: at(3), service: 'scoring', event_id: `synced:${eventId}`, type: 'lead.synced.v1', lead_id: leadId, score: 70, tier: 'hot', msg: 'lead scored' }),
    line({ time: at(3), service: 'scoring', event_id: `synced:${eventId}`, type: 'lead.synced.v1', correlation_id: eventId, attempt: 1, outcome: 'done', duration_ms: 30, msg: 'event handled' }),
  ]
}

t.test('no page or API answer without signing in; a wrong password is refused', async (t) => {
  const rig = await startDashboard(t)
  const api = await rig.get('/api/pipeline')
  t.equal(api.status, 401)
  t.match(await api.json(), { code: 'NOT_SIGNED_IN' })
  const page = await rig.get('/journey?q=1')
  t.equal(page.status, 302)
  t.equal(page.headers.get('location'), '/login?next=%2Fjourney%3Fq%3D1')
  const wrong = await rig.post('/login', { user: 'admin', password: 'guess' })
  t.equal(wrong.status, 401)
  t.match(await wrong.json(), { code: 'BAD_LOGIN' })
  t.notOk(wrong.headers.get('set-cookie'), 'no session for a wrong password')
  const forged = await rig.get('/api/pipeline', { cookie: 'gassistant_session=admin.99999999999999.abc' })
  t.equal(forged.status, 401, 'an unsigned cookie is no session')
  t.equal((await rig.get('/healthz')).status, 200, 'the probes stay public')
})

t.test('the pipeline API counts events per minute by service and outcome, and the latency to Odoo', async (t) => {
  const rig = await startDashboard(t)
  for (const text of [...metaLeadLines('2100000000000001', 41), ...metaLeadLines('2100000000000002', 42)]) rig.store.ingestLine(text)
  rig.store.ingestLine('not a log line')
  const session = await rig.signIn()
  const answer = await rig.get('/api/pipeline?minutes=60', session)
  t.equal(answer.status, 200)
  const body = (await answer.json()) as { lines: number; skipped: number; totals: unknown[]; latency: unknown; perMinute: unknown[] }
  t.equal(body.lines, 12)
  t.equal(body.skipped, 1)
  t.same(body.totals, [
    { service: 'ingress', outcome: 'ok', count: 2 },
    { service: 'lead-processor', outcome: 'done', count: 2 },
    { service: 'scoring', outcome: 'done', count: 2 },
  ])
  t.same(body.latency, { samples: 2, p50Ms: 2000, p95Ms: 2000 }, 'webhook published at :00, lead created at :02')
  t.same(body.perMinute, [
    { minute: '2026-01-08T10:30:00.000Z', service: 'ingress', outcome: 'ok', count: 2 },
    { minute: '2026-01-08T10:30:00.000Z', service: 'lead-processor', outcome: 'done', count: 2 },
    { minute: '2026-01-08T10:30:00.000Z', service: 'scoring', outcome: 'done', count: 2 },
  ])
  const bad = await rig.get('/api/pipeline?minutes=0', session)
  t.equal(bad.status, 400)
  t.match(await bad.json(), { message: /minutes/ })
})

t.test('a journey is found by leadgen id, Odoo lead id and correlation id, with its steps in order', async (t) => {
  const rig = await startDashboard(t)
  for (const text of metaLeadLines('2100000000000001', 41)) rig.store.ingestLine(text)
  const session = await rig.signIn()
  for (const q of ['2100000000000001', '41', 'meta:2100000000000001']) {
    const answer = await rig.get(`/api/journey?q=${encodeURIComponent(q)}`, session)
    const { journeys } = (await answer.json()) as { journeys: { correlationId: string; steps: { step: string; service: string; sincePreviousMs: number | null }[] }[] }
    t.equal(journeys.length, 1, `one journey for ${q}`)
    t.same(journeys[0]?.steps.map((step) => [step.step, step.service, step.sincePreviousMs]), [
      ['received', 'ingress', null],
      ['graph_read', 'lead-processor', 1000],
      ['odoo_created', 'lead-processor', 1000],
      ['handled', 'lead-processor', 0],
      ['scored', 'scoring', 1000],
      ['handled', 'scoring', 0],
    ], `steps for ${q}`)
  }
  const none = await rig.get('/api/journey?q=nothing-like-this', session)
  t.same(await none.json(), { query: 'nothing-like-this', journeys: [] })
  t.equal((await rig.get('/api/journey', session)).status, 400, 'q is required')
})

t.test('POSTs need the CSRF token of the session', async (t) => {
  const rig = await startDashboard(t)
  const session = await rig.signIn()
  const without = await rig.post('/api/dead-letters/lead-processor/replay', { confirm: true }, { cookie: session.cookie })
  t.equal(without.status, 403)
  t.match(await without.json(), { code: 'BAD_CSRF_TOKEN' })
  const wrong = await rig.post('/logout', '_csrf=nope', { cookie: session.cookie })
  t.equal(wrong.status, 403)
  const again = await rig.post('/login', { user: 'admin', password: 'correct horse battery staple' }, { cookie: session.cookie })
  t.equal(again.status, 200, 'signing in again needs no token')
  const right = await rig.post('/logout', `_csrf=${session.csrf}`, { cookie: session.cookie })
  t.equal(right.status, 303)
  t.match(right.headers.get('set-cookie') ?? '', /gassistant_session=;/, 'sign-out clears the session cookie')
})

t.test('the language switch renders Arabic right-to-left and keeps the user on the page', async (t) => {
  const rig = await startDashboard(t)
  const session = await rig.signIn()
  const english = await (await rig.get('/', session)).text()
  t.match(english, '<html lang="en" dir="ltr">')
  const toArabic = await rig.get('/lang?to=ar&next=%2Fjourney', session)
  t.equal(toArabic.status, 303)
  t.equal(toArabic.headers.get('location'), '/journey')
  const lang = (toArabic.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const arabic = await (await rig.get('/journey', { cookie: `${session.cookie}; ${lang}` })).text()
  t.match(arabic, '<html lang="ar" dir="rtl">')
  t.match(arabic, 'رحلة العميل المحتمل')
  const offsite = await rig.get('/lang?to=ar&next=%2F%2Fevil.example', session)
  t.equal(offsite.headers.get('location'), '/', 'never redirects to another site')
})

t.test('the page escapes what the logs say', async (t) => {
  const rig = await startDashboard(t)
  rig.store.ingestLine(line({ time: at(0), service: 'lead-processor', event_id: 'x1', correlation_id: 'x1', outcome: 'park', reason: '<script>alert(1)</script>', msg: 'event parked on the dead-letter queue' }))
  const session = await rig.signIn()
  const page = await (await rig.get('/', session)).text()
  t.notMatch(page, '<script>alert(1)</script>')
  t.match(page, '&lt;script&gt;alert(1)&lt;/script&gt;')
})
