// Two replicas sweeping the same Odoo at the same moment: every timer fires once, because each firing first
// claims its key in Odoo (a unique external id) and only the replica whose claim was created acts.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { startRig } from './helpers/rig.js'

t.test('two replicas racing on the same due timers: each timer fires exactly once', async (t) => {
  // Background sweeps hourly: the test runs the two sweeps itself, at once.
  const rig = await startRig(t, { at: '2026-12-01T06:00:00Z', sweepIntervalMs: 3_600_000 })
  const replica = await rig.startReplica()
  await waitFor(() => rig.lines.filter((line) => line.msg === 'timers swept').length >= 2, 'both replicas’ first sweep')
  const leads = await rig.odoo.createMany('crm.lead', Array.from({ length: 8 }, (_, n) => ({ name: `Lead ${n}`, type: 'opportunity', user_id: rig.people.sara, team_id: rig.people.team })))
  rig.clock.set('2026-12-01T12:00:00Z')
  // Slow Odoo: both replicas read the open timers before either has claimed one.
  rig.odooServer.faults.slow(5)
  const [one, two] = await Promise.all([rig.service.engine.sweep(), replica.engine.sweep()])
  rig.odooServer.faults.slow(0)
  t.equal(one.fired + two.fired, 16, 'two timers per lead fired in all')
  t.ok(one.lost + two.lost > 0, `the replicas raced for the same keys (${one.lost + two.lost} claims refused by Odoo)`)
  for (const leadId of leads) {
    t.same(rig.activities('crm.lead', leadId).map((row) => row['summary']).sort(), ['Escalation: lead without a first response', 'First response overdue'], `lead ${leadId}: each activity once`)
  }
  await waitFor(() => rig.notifications.length >= 16, 'the notifications')
  t.equal(new Set(rig.notifications.map((event) => (event.data as { dedupeKey: string }).dedupeKey)).size, 16, 'sixteen notification requests, no key twice')
  t.equal(rig.notifications.length, 16)
})
