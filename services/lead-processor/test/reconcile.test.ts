// Reconciliation end to end: leads Meta has whose webhooks never arrived are read back from the Graph
// stand-in (forms edge, filtered and paged lead reads) and published as the webhook's own events; the real
// ingress, RabbitMQ and lead-processor turn them into Odoo leads exactly once. Checkpoints live in the Odoo
// stand-in's system parameters.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { createTokenAlert } from '../src/meta/token-alert.js'
import { PAGE_ID, PAGE_TOKENS, memoryLog } from './helpers/harness.js'
import { startHub } from './helpers/hub.js'
import { FORMS, checkpoint, deliver, leadCount, metaLeads, observe, reconcilerFor, refs } from './helpers/meta.js'

t.test('a lead already in Odoo and redelivered by reconciliation is a no-op', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  const [lead] = metaLeads(1, FORMS[0], 0)
  hub.s.graphServer.addLead(lead!)
  await deliver(hub, [lead!])
  await waitFor(() => leadCount(hub) === 1, 'the webhook made the lead', 30_000)
  const [created] = await hub.leads()
  const writes = hub.s.odooServer.calls.count('crm.lead', 'write')
  const summary = await reconcilerFor(hub).reconciler.run({ publish: true })
  t.same([summary.forms[0]?.metaLeads, summary.forms[0]?.inOdoo, summary.published], [1, 1, 0])
  t.equal(hub.s.odooServer.calls.count('crm.lead', 'write'), writes, 'nothing written')
  t.same(await hub.leads(), [created], 'the lead is unchanged')
  t.equal(hub.notes(created!.id).length, 1, 'still one note')
})

t.test('a page failing mid-way: the checkpoint stays, the next run reads that stretch again and completes', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  const started = new Date()
  const leads = metaLeads(250, FORMS[0], 0, new Date(started.getTime() - 60_000))
  for (const lead of leads) hub.s.graphServer.addLead(lead)
  let leadReads = 0
  hub.s.graphServer.failNext(1, (r) => r.path.endsWith('/leads') && ++leadReads === 3)
  const windowMs = 2 * 3_600_000
  let now = started
  const { reconciler } = reconcilerFor(hub, { pageSize: 50, windowMs, now: () => now })

  const first = await reconciler.run({ publish: true })
  t.equal(first.failed, true)
  t.match(first.forms[0], { metaLeads: 100, published: 100, error: /GRAPH_UNAVAILABLE/ }, 'two pages read, the third failed')
  t.equal(await checkpoint(hub, FORMS[0]), new Date(started.getTime() - windowMs).toISOString(), 'the checkpoint stays at the start of what was to be read')
  await waitFor(() => leadCount(hub) === 100, 'the leads of the pages that were read reach Odoo', 60_000)

  // Much later: the trailing window alone no longer reaches these leads; the checkpoint does.
  now = new Date(started.getTime() + 3 * windowMs)
  const second = await reconciler.run({ publish: true })
  t.equal(second.failed, false)
  t.equal(second.forms[0]?.metaLeads, 250, 'read from the checkpoint')
  t.equal(second.published, 150, 'what the failed run could not read')
  t.equal(await checkpoint(hub, FORMS[0]), now.toISOString(), 'complete: the checkpoint moved to the run start')
  await waitFor(() => leadCount(hub) === 250, 'every lead in Odoo', 60_000)
  t.equal(new Set(refs(hub)).size, 250, 'each once')
})

t.test('rate limits (codes 4, 17, 32, 613) and high usage slow the reads down; no lead is dropped', async (t) => {
  const hub = await startHub(t)
  const leads = metaLeads(120, FORMS[0], 0)
  for (const lead of leads) hub.s.graphServer.addLead(lead)
  const published = await observe(t, hub, 'inbound.meta.leadgen.v1')
  hub.s.graphServer.rateLimitNext(1, 4)
  hub.s.graphServer.rateLimitNext(1, 17)
  hub.s.graphServer.rateLimitNext(1, 32)
  hub.s.graphServer.rateLimitNext(1, 613)
  hub.s.graphServer.setAppUsage(90)
  const { reconciler, waits } = reconcilerFor(hub, { pageSize: 50 })
  const summary = await reconciler.run({ publish: true })
  t.equal(summary.failed, false)
  t.equal(summary.published, 120, 'every lead published')
  await waitFor(() => published.length === 120, 'every event on the bus', 30_000)
  t.same(new Set(published.map((e) => e.id)), new Set(leads.map((l) => `meta:${l.id}`)))
  const throttled = waits.filter((w) => w.reason === 'throttled')
  t.same(throttled.map((w) => w.graphCode), [4, 17, 32, 613], 'each throttled call was waited out and made again')
  t.equal(throttled[3]?.ms, 5 * 60_000, "613: Meta's estimate from X-Business-Use-Case-Usage (5 minutes)")
  t.ok(throttled.slice(0, 3).every((w) => w.ms > 0), 'codes without an estimate: a backoff')
  t.ok(waits.some((w) => w.reason === 'usage' && w.percent === 90 && w.ms > 0), 'X-App-Usage at 90 %: slower between calls')
  t.equal(hub.s.graphServer.requests.filter((r) => r.errorCode !== undefined).length, 4, 'four refused calls, all repeated')
})

t.test('an expired page token: one ops notification across many leads and the reconciliation', async (t) => {
  const hub = await startHub(t)
  const notifications = await observe(t, hub, 'notification.#')
  const tokenAlert = createTokenAlert({ bus: hub.bus, log: memoryLog().log, pageTokens: () => PAGE_TOKENS, channel: '#ops' })
  await hub.startConsumer({ tokenAlert })
  const leads = metaLeads(20, FORMS[0], 0)
  for (const lead of leads) hub.s.graphServer.addLead(lead)
  hub.s.graphServer.expireToken(PAGE_ID)
  await deliver(hub, leads)
  await waitFor(async () => (await hub.bus.deadLetters.list(hub.service)).length === 20, 'every lead parked', 60_000)
  const parked = await hub.bus.deadLetters.list(hub.service)
  t.ok(parked.every((m) => m.reason.startsWith('GRAPH_TOKEN_INVALID')), 'parked with the reason')
  const summary = await reconcilerFor(hub, { tokenAlert }).reconciler.run({ publish: true })
  t.match(summary.pageErrors, [{ pageId: PAGE_ID, tokenExpired: true }])
  await waitFor(() => notifications.length >= 1, 'the notification')
  t.equal(notifications.length, 1, 'one notification, not one per lead')
  const [notification] = notifications
  t.equal(notification?.type, 'notification.requested.v1')
  t.match(notification?.data, { channel: 'slack', recipient: { channel: '#ops' }, dedupeKey: new RegExp(`^meta-token-expired:${PAGE_ID}:[0-9a-f]{12}$`) })
  t.notMatch(JSON.stringify(notification), PAGE_TOKENS[PAGE_ID]!, 'the token is not in it')
})

t.test("a reconciled lead's event is its webhook's event: same id, same data", async (t) => {
  const hub = await startHub(t)
  const published = await observe(t, hub, 'inbound.meta.leadgen.v1')
  const [lead] = metaLeads(1, FORMS[0], 0)
  hub.s.graphServer.addLead(lead!)
  await deliver(hub, [lead!])
  await waitFor(() => published.length === 1, "the webhook's event")
  const summary = await reconcilerFor(hub).reconciler.run({ publish: true })
  t.equal(summary.published, 1, 'Odoo lacks it (no consumer runs here)')
  await waitFor(() => published.length === 2, "the reconciliation's event")
  const [fromWebhook, fromReconciliation] = published
  t.equal(fromReconciliation?.id, fromWebhook?.id)
  t.equal(fromReconciliation?.subject, fromWebhook?.subject)
  t.same(fromReconciliation?.data, fromWebhook?.data)
})
