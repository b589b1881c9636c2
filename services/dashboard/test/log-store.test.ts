// The log store: generic lines of any service join a journey by correlation id (or by event id when a line
// has no correlation id), failures group by reason, per-minute counts leave out probes, and every index
// stays within its capacity however many lines go in.
import t from 'tap'
import { parseLine } from '../src/ingest/entry.js'
import { LogStore } from '../src/ingest/log-store.js'

const line = (second: number, fields: Record<string, unknown>) => JSON.stringify({ level: 'info', time: new Date(Date.UTC(2026, 0, 8, 10, 0, second)).toISOString(), ...fields })

t.test('a line is read from its generic fields; anything else is skipped', async (t) => {
  t.match(parseLine(line(0, { service: 'notifier', event_id: 'e1', type: 'notification.requested.v1', correlation_id: 'c1', outcome: 'done', duration_ms: 12.5, msg: 'event handled' })), {
    service: 'notifier', eventId: 'e1', type: 'notification.requested.v1', correlationId: 'c1', outcome: 'done', durationMs: 12.5, msg: 'event handled', level: 'info',
  })
  t.match(parseLine(`notifier-1  | ${line(0, { service: 'notifier', msg: 'x' })}`), { service: 'notifier' }, "docker compose's prefix is tolerated")
  t.match(parseLine(JSON.stringify({ level: 30, time: 1767866400000, service: 's', msg: 'm' })), { level: 'info', at: 1767866400000 }, "pino's numeric level and epoch time")
  t.equal(parseLine('Error: boom'), undefined)
  t.equal(parseLine('{"msg":"no service"}'), undefined)
  t.equal(parseLine('{"service":"s","time":"not a time"}'), undefined)
  t.equal(parseLine('{broken'), undefined)
})

t.test("services the dashboard was not written for appear in a lead's journey: rules fired, Slack delivered, clicked", async (t) => {
  const store = new LogStore()
  store.ingestLine(line(0, { service: 'ingress', method: 'POST', route: '/webhooks/meta', status: 200, outcome: 'ok', duration_ms: 4.2, event_ids: ['meta:1'], msg: 'request completed' }))
  store.ingestLine(line(2, { service: 'lead-processor', event_id: 'meta:1', type: 'inbound.meta.leadgen.v1', correlation_id: 'meta:1', lead_id: 7, lead_outcome: 'merged', msg: 'lead merged' }))
  store.ingestLine(line(3, { service: 'workflow-rules', event_id: 'scored:1', type: 'lead.scored.v1', correlation_id: 'meta:1', rule: 'hot-lead', msg: 'rule fired' }))
  store.ingestLine(line(3, { service: 'workflow-rules', event_id: 'scored:1', type: 'lead.scored.v1', correlation_id: 'meta:1', outcome: 'done', duration_ms: 8, msg: 'event handled' }))
  store.ingestLine(line(4, { service: 'notifier', event_id: 'notify:1', type: 'notification.requested.v1', correlation_id: 'meta:1', outcome: 'done', duration_ms: 310, msg: 'event handled' }))
  store.ingestLine(line(9, { service: 'notifier', event_id: 'slack:1', type: 'inbound.slack.action.v1', correlation_id: 'meta:1', outcome: 'done', duration_ms: 40, msg: 'event handled' }))
  const [journey] = store.journeys('7')
  t.same(journey?.steps.map((step) => [step.step, step.service, step.sincePreviousMs, step.durationMs]), [
    ['received', 'ingress', null, 4.2],
    ['odoo_merged', 'lead-processor', 2000, null],
    ['rules_fired', 'workflow-rules', 1000, null],
    ['handled', 'workflow-rules', 0, 8],
    ['slack_delivered', 'notifier', 1000, 310],
    ['clicked', 'notifier', 5000, 40],
  ])
  t.equal(journey?.totalMs, 9000)
  t.equal(store.journeys('meta:1')[0]?.steps.length, 6, 'found by correlation id')
  t.equal(store.journeys('1')[0]?.correlationId, 'meta:1', 'found by the source id inside the event id')
  t.equal(store.journeys('scored:1')[0]?.correlationId, 'meta:1', 'found by the id of a later event')
  t.same(store.pipeline().latency, { samples: 1, p50Ms: 2000, p95Ms: 2000 }, 'received → in Odoo')
})

t.test('a WhatsApp message is found by its message id', async (t) => {
  const store = new LogStore()
  store.ingestLine(line(0, { service: 'ingress', method: 'POST', route: '/webhooks/whatsapp', status: 200, outcome: 'ok', duration_ms: 3.1, event_ids: ['wa:wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjBD'], msg: 'request completed' }))
  store.ingestLine(line(1, { service: 'lead-processor', event_id: 'wa:wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjBD', type: 'inbound.whatsapp.message.v1', correlation_id: 'wa:wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjBD', lead_id: 9, lead_outcome: 'created', msg: 'lead created' }))
  t.same(store.journeys('wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjBD')[0]?.steps.map((step) => step.step), ['received', 'odoo_created'])
})

t.test('failures group by service and the shape of their reason; probes and page views are not pipeline traffic', async (t) => {
  const store = new LogStore()
  for (const id of ['111111', '222222']) store.ingestLine(line(0, { service: 'lead-processor', event_id: `meta:${id}`, correlation_id: `meta:${id}`, outcome: 'park', reason: `GRAPH_NOT_FOUND: lead ${id} does not exist`, msg: 'event parked' }))
  store.ingestLine(line(1, { service: 'scoring', event_id: 'x', correlation_id: 'x', outcome: 'retry', reason: 'odoo timeout', msg: 'event handling failed, will retry' }))
  store.ingestLine(line(1, { service: 'ingress', route: '/readyz', outcome: 'ok', status: 200, msg: 'request completed' }))
  store.ingestLine(line(1, { service: 'dashboard', route: '/', outcome: 'ok', status: 200, msg: 'request completed' }))
  const figures = store.pipeline()
  t.match(figures.failures, [
    { service: 'lead-processor', reason: 'GRAPH_NOT_FOUND: lead # does not exist', count: 2 },
    { service: 'scoring', reason: 'odoo timeout', count: 1 },
  ])
  t.same(figures.totals, [{ service: 'lead-processor', outcome: 'park', count: 2 }, { service: 'scoring', outcome: 'retry', count: 1 }])
})

t.test('memory stays bounded: journeys, keys, minutes and failure reasons are capped', async (t) => {
  const store = new LogStore({ journeys: 100, stepsPerJourney: 3, minutes: 10, failureReasons: 5, latencySamples: 50 })
  for (let i = 0; i < 5_000; i++) {
    const at = new Date(Date.UTC(2026, 0, 8, 0, 0, 0) + i * 1000).toISOString()
    const id = `meta:${i}`
    store.ingestLine(JSON.stringify({ time: at, service: 'ingress', method: 'POST', route: '/webhooks/meta', status: 200, outcome: 'ok', duration_ms: 3, event_ids: [id], msg: 'request completed' }))
    for (let step = 0; step < 5; step++) store.ingestLine(JSON.stringify({ time: at, service: 'lead-processor', event_id: id, correlation_id: id, lead_id: i, lead_outcome: 'created', outcome: 'park', reason: `reason ${String.fromCharCode(97 + (i % 26))}`, msg: 'x' }))
  }
  const inside = store as unknown as Record<string, Map<unknown, unknown> | unknown[]>
  t.equal((inside['trails'] as Map<unknown, unknown>).size, 100, 'journeys')
  t.ok((inside['keys'] as Map<unknown, unknown>).size <= 400, 'search keys')
  t.ok((inside['minutes'] as Map<unknown, unknown>).size <= 10, 'minutes of counts')
  t.equal((inside['failures'] as Map<unknown, unknown>).size, 5, 'failure reasons')
  t.equal((inside['latencies'] as unknown[]).length, 50, 'latency samples')
  t.equal(store.journeys('meta:0').length, 0, 'the oldest journey is forgotten')
  t.equal(store.journeys('meta:4999')[0]?.steps.length, 3, 'a journey keeps its first steps only')
  t.equal(store.pipeline(10).lines, 30_000)
})
