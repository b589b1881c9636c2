// `pnpm hub rules check|explain` as operators run it: a subprocess checking the shipped and a broken rules file
// (one line naming the rule and field), and explain against the Odoo stand-in, printing each timer's due
// time in the calendar's local time. Plus its pure parser.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createOdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { runScript } from '@gassistant/test-support'
import { parseCommand } from '../src/commands/rules.js'

const hub = (args: readonly string[], env: Record<string, string | undefined> = {}) => runScript('apps/hub/src/cli.ts', args, env)
const SHIPPED = 'services/workflow-rules/rules/default.json'

t.test('the parser reads check and explain, and refuses the rest', async (t) => {
  t.same(parseCommand(['rules', 'check', 'rules.json']), { kind: 'check', file: 'rules.json' })
  t.same(parseCommand(['rules', 'explain', '42']), { kind: 'explain', leadId: 42 })
  t.same(parseCommand(['rules', '--help']), { kind: 'help' })
  for (const bad of [['rules'], ['rules', 'check'], ['rules', 'explain', 'x'], ['rules', 'explain', '0'], ['rules', 'run', 'x'], ['rules', 'check', 'a', 'b']]) {
    t.throws(() => parseCommand(bad), { name: 'UsageError' }, bad.join(' '))
  }
})

t.test('rules check: the shipped file is valid; a broken one is one line naming the rule and field, exit 1', async (t) => {
  const ok = await hub(['rules', 'check', SHIPPED])
  t.equal(ok.code, 0)
  t.equal(ok.stdout, `ok: ${SHIPPED}: 5 rules (hot-lead, no-first-response, no-first-response-escalation, quotation-not-confirmed, large-deal); calendar Asia/Riyadh\n`)
  const dir = await mkdtemp(join(tmpdir(), 'rules-cli-'))
  const broken = join(dir, 'rules.json')
  await writeFile(broken, JSON.stringify({
    calendar: { timeZone: 'Asia/Riyadh', week: { sun: [['09:00', '17:00']] } },
    rules: [{ id: 'late', trigger: { timer: { after: 'lead.created', workingHours: -1 } }, actions: [{ kind: 'tag', tag: 'Late' }] }],
  }))
  const bad = await hub(['rules', 'check', broken])
  t.equal(bad.code, 1)
  t.equal(bad.stderr, `error: ${broken}: rule 0 ("late"): trigger.timer.workingHours must be > 0\n`, 'one clear line')
  t.equal(bad.stdout, '')
  const usage = await hub(['rules', 'check'])
  t.equal(usage.code, 2)
  t.match(usage.stderr, /^error: missing <file> for rules check; usage: pnpm hub rules check <file> \| rules explain <lead id>\n$/)
})

t.test('rules explain: the lead’s rules and when each timer fires, in local time', async (t) => {
  // A lead created in the future, so its timers are pending whenever this runs.
  const odooServer = await startOdooStandIn({ addonInstalled: true, now: () => new Date('2036-12-04T13:30:00Z') })
  t.teardown(() => odooServer.close())
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password })
  t.teardown(() => odoo.close())
  const leadId = await odoo.create('crm.lead', { name: 'Thursday lead', type: 'opportunity', expected_revenue: 120000 })
  const env = { ODOO_URL: odooServer.url, ODOO_DB: odooServer.db, ODOO_USER: odooServer.username, ODOO_PASSWORD: odooServer.password }
  const explained = await hub(['rules', 'explain', String(leadId)], env)
  t.equal(explained.code, 0, explained.stderr)
  t.same(explained.stdout.trim().split('\n'), [
    `lead ${leadId}: created Thu 2036-12-04 16:30 (Asia/Riyadh), stage New, team Sales`,
    'hot-lead: on lead.scored.v1; matches when its tier does',
    'no-first-response: timer due Sun 2036-12-07 10:30 (Asia/Riyadh); condition holds; pending (unless first-response)',
    'no-first-response-escalation: timer due Sun 2036-12-07 12:30 (Asia/Riyadh); condition holds; pending (unless first-response)',
    'large-deal: on inbound.odoo.lead.v1, lead.synced.v1; condition holds',
  ])
  const missing = await hub(['rules', 'explain', '999'], env)
  t.equal(missing.code, 1)
  t.equal(missing.stderr, `error: no lead 999 in Odoo ${odooServer.db} at ${odooServer.url}\n`)
  const unset = await hub(['rules', 'explain', '1'], { ...env, ODOO_PASSWORD: undefined })
  t.equal(unset.code, 2)
  t.equal(unset.stderr, 'error: ODOO_PASSWORD is missing\n')
})
