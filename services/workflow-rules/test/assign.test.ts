// The assign and tag actions: synced Meta leads go round-robin to the Sales team's members, skipping a member
// Odoo shows as away, and are tagged; a WhatsApp lead does not match the rule's channel.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { parseRules } from '../src/index.js'
import { startRig } from './helpers/rig.js'

const rules = parseRules({
  calendar: { timeZone: 'Asia/Riyadh', week: { sun: [['09:00', '17:00']], mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']] } },
  rules: [{
    id: 'route-meta',
    trigger: { events: ['lead.synced.v1'], when: { channel: ['meta'] } },
    actions: [{ kind: 'assign', team: 'Sales' }, { kind: 'tag', tag: 'Routed' }],
  }],
})

t.test('round-robin within the team, skipping users marked away; then tagged', async (t) => {
  const rig = await startRig(t, { rules })
  const { sara, huda, omar, team } = rig.people
  await rig.odoo.write('crm.team', [team], { member_ids: [[6, 0, [sara, huda, omar]]] })
  // Arranged as Odoo would show it: Huda is away (Odoo computes im_status from presence and time off).
  await rig.odoo.write('res.users', [huda], { im_status: 'away' })
  const meta = await rig.odoo.refs.tag('Meta Lead Ads')
  const whatsapp = await rig.odoo.refs.tag('WhatsApp')
  const assigned: (number | false)[] = []
  for (const [n, tag] of [[1, meta], [2, meta], [3, meta], [4, whatsapp]] as const) {
    const leadId = await rig.createLead({ name: `Lead ${n}`, user_id: false, team_id: false, tag_ids: [[4, tag, 0]] })
    const id = `synced-${n}`
    await rig.publish({
      type: 'lead.synced.v1', source: '/lead-processor', id,
      data: { outcome: 'created', leadId, externalRef: `meta:${n}`, channel: tag === meta ? 'meta' : 'whatsapp', sourceEventId: `in-${n}`, flags: [], lead: { name: `Lead ${n}` } },
    })
    await waitFor(() => rig.lines.some((line) => line.event_id === id && line.msg === 'event handled'), `lead ${n} handled`)
    const [row] = await rig.odoo.read<{ user_id: [number, string] | false; tag_ids: number[] }>('crm.lead', [leadId], ['user_id', 'tag_ids'])
    assigned.push(Array.isArray(row!.user_id) ? row!.user_id[0] : false)
    const routed = await rig.odoo.refs.tag('Routed')
    t.equal(row!.tag_ids.includes(routed), n !== 4, `lead ${n} ${n === 4 ? 'not ' : ''}tagged Routed`)
  }
  t.same(assigned, [sara, omar, sara, false], 'Sara, then Omar (Huda is away), then Sara again; the WhatsApp lead is left alone')
  t.match(await rig.metrics.registry.getSingleMetricAsString('workflow_rules_fired_total'), /\{rule="route-meta",action="assign",outcome="done",service="workflow-rules"\} 3/)
})
