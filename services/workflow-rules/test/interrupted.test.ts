// A replica that died between claiming a firing and finishing its actions: after the lease (2 minutes) the
// firing is retaken once, and each action first looks for its own trace, so nothing is done twice.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { startRig } from './helpers/rig.js'

t.test('a claimed firing left unfinished is completed once after the lease', async (t) => {
  const rig = await startRig(t, { at: '2026-12-01T06:00:00Z' })
  const untouched = await rig.createLead({ name: 'Died before acting' })
  const halfDone = await rig.createLead({ name: 'Died after the activity' })
  // As a replica killed mid-firing leaves Odoo at 08:00 (the due time): claims not done; one activity made.
  rig.clock.set('2026-12-01T08:00:00Z')
  for (const leadId of [untouched, halfDone]) {
    await rig.odoo.create('ir.model.data', { module: 'gassistant_rules', name: `no-first-response.l${leadId}`, model: 'crm.lead', res_id: leadId })
  }
  await rig.odoo.createActivity({ model: 'crm.lead', resId: halfDone, activityTypeId: 2, summary: 'First response overdue', dateDeadline: '2026-12-01', userId: rig.people.sara })

  rig.clock.set('2026-12-01T08:01:00Z')
  const sweeps = rig.lines.filter((line) => line.msg === 'timers swept').length
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= sweeps + 2, 'two sweeps within the lease')
  t.equal(rig.activities('crm.lead', untouched).length, 0, 'within the lease the claim is respected')

  rig.clock.set('2026-12-01T08:03:00Z')
  await waitFor(() => rig.lines.filter((line) => line.msg === 'interrupted rule firing completed').length === 2, 'both firings retaken')
  t.same(rig.activities('crm.lead', untouched).map((row) => row['summary']), ['First response overdue'], 'the missing activity is made')
  t.same(rig.activities('crm.lead', halfDone).map((row) => row['summary']), ['First response overdue'], 'the existing one is not made again')
  await waitFor(() => rig.notifications.length === 2, 'the reminders')
  t.same(rig.notifications.map((event) => (event.data as { dedupeKey: string }).dedupeKey).sort(), [`workflow-rules:no-first-response.l${untouched}:1`, `workflow-rules:no-first-response.l${halfDone}:1`].sort())
  const claims = rig.odooServer.records('ir.model.data').filter((row) => row['module'] === 'gassistant_rules')
  t.same(claims.map((row) => row['name']).sort(), [halfDone, untouched].flatMap((leadId) => [
    `no-first-response.l${leadId}`, `no-first-response.l${leadId}.done`, `no-first-response.l${leadId}.retry`,
  ]).sort(), 'every claim done, each retaken once')
  const seen = rig.lines.filter((line) => line.msg === 'timers swept').length
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= seen + 3, 'three more sweeps')
  t.equal(rig.lines.filter((line) => line.msg === 'interrupted rule firing completed').length, 2, 'never retaken twice')
})
