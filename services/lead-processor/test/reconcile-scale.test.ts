// Reconciliation at scale, end to end: a thousand leads, a third of their webhooks lost, read back from the
// Graph stand-in and turned into Odoo leads by the real ingress, RabbitMQ and lead-processor. Its own file
// with its own timeout: a thousand leads through the whole pipeline take a while on a loaded machine.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { PAGE_ID } from './helpers/harness.js'
import { startHub } from './helpers/hub.js'
import { FORMS, checkpoint, deliver, leadCount, metaLeads, observe, reconcilerFor, refs } from './helpers/meta.js'

t.setTimeout(600_000)

t.test('3 forms, 1,000 leads, 30% of webhooks lost → one reconciliation makes every lead exist exactly once; the next is a no-op', async (t) => {
  const hub = await startHub(t)
  await hub.startConsumer()
  const leads = [...metaLeads(500, FORMS[0], 0), ...metaLeads(300, FORMS[1], 500), ...metaLeads(200, FORMS[2], 800)]
  for (const lead of leads) hub.s.graphServer.addLead(lead)
  const delivered = leads.filter((_, i) => i % 10 >= 3)
  await deliver(hub, delivered)
  await waitFor(() => leadCount(hub) === 700, '700 webhooks became leads', 240_000)

  const { reconciler } = reconcilerFor(hub, { pageSize: 100 })
  const published = await observe(t, hub, 'inbound.meta.leadgen.v1')
  const summary = await reconciler.run({ publish: true })
  t.equal(summary.failed, false)
  t.same(summary.forms.map((f) => [f.formId, f.metaLeads, f.inOdoo, f.published]).sort(), [[FORMS[0], 500, 350, 150], [FORMS[1], 300, 210, 90], [FORMS[2], 200, 140, 60]], 'per form: what Meta has, what Odoo had, what was published')
  const leadReads = hub.s.graphServer.requests.filter((r) => r.path.endsWith(`/${FORMS[0]}/leads`))
  t.equal(leadReads.length, 5, "the first form's 500 leads were read over 5 pages")
  t.ok(leadReads.every((r) => JSON.parse(r.query['filtering'] ?? '[]')[0]?.field === 'time_created'), 'every read filters on time_created')
  await waitFor(() => leadCount(hub) === 1000, 'every lead in Odoo', 240_000)
  const all = refs(hub)
  t.equal(new Set(all).size, 1000, 'each lead exactly once')
  t.same(new Set(all), new Set(leads.map((lead) => `meta:${lead.id}`)))
  const event = published.find((e) => e.id === `meta:${leads[0]!.id}`)
  t.same(event?.data, { leadgenId: leads[0]!.id, pageId: PAGE_ID, formId: FORMS[0], adId: '120210000000000011', adgroupId: '120210000000000011', createdTime: Math.floor(new Date(leads[0]!.created_time).getTime() / 1000) }, "the webhook's event id and data")
  for (const form of FORMS) t.ok(await checkpoint(hub, form), `form ${form} has a checkpoint`)

  const before = published.length
  const again = await reconciler.run({ publish: true })
  t.equal(again.published, 0, 'a second run finds every lead in Odoo and publishes nothing')
  t.equal(published.length, before, 'nothing went on the bus')
  t.equal(leadCount(hub), 1000)
})

