// The workflow-rules container's entry point (src/main.ts) run as its container runs it: a bad setting or rules
// file stops it with one line; killed with kill -9 while timers are pending, a restarted service fires each of
// them once, and reports how late.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startOdooStandIn } from '@gassistant/sandbox'
import { createOdooClient } from '@gassistant/odoo'
import { checkRefusedStarts, rabbitVhost, startScript, waitFor } from '@gassistant/test-support'
import t from 'tap'

const MAIN = 'services/workflow-rules/src/main.ts'
/** Valid settings; the broker's port 1 answers nothing, so a setting wrongly accepted cannot reach a real queue. */
const VALID = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  ODOO_URL: 'http://127.0.0.1:1',
  ODOO_DB: 'crm',
  ODOO_USER: 'admin',
  ODOO_PASSWORD: 'odoo-password',
  WORKFLOW_RULES_FILE: undefined,
  WORKFLOW_SWEEP_SECONDS: undefined,
  LOG_LEVEL: undefined,
  PORT: '0',
}

/** Every hour of every day, in UTC: a timer of `hours` working hours is due `hours` after its start. */
const ROUND_THE_CLOCK = { timeZone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) }

t.test('a bad setting or rules file is one line naming it, and exit 1', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'workflow-main-'))
  const badRules = join(dir, 'rules.json')
  await writeFile(badRules, JSON.stringify({
    calendar: ROUND_THE_CLOCK,
    rules: [{ id: 'follow-up', trigger: { timer: { after: 'lead.created', workingHours: 2 } }, actions: [{ kind: 'activity', activityType: 'call', summary: 'Call', assignee: 'boss' }] }],
  }))
  const cases = [
    { env: { ODOO_PASSWORD: undefined }, line: 'configuration error: ODOO_PASSWORD is missing' },
    { env: { WORKFLOW_SWEEP_SECONDS: '600' }, line: 'configuration error: WORKFLOW_SWEEP_SECONDS must be <= 60' },
    { env: { WORKFLOW_RULES_FILE: badRules }, line: 'configuration error: WORKFLOW_RULES_FILE is invalid: rule 0 ("follow-up"): actions.0.assignee must be one of salesperson, team-leader' },
    { env: { WORKFLOW_RULES_FILE: join(dir, 'missing.json') }, line: 'configuration error: WORKFLOW_RULES_FILE cannot be read' },
  ]
  await checkRefusedStarts(t, MAIN, 'workflow-rules', VALID, cases)
})

t.test('kill -9 with timers pending: after a restart each fires once', async (t) => {
  const vhost = await rabbitVhost(t)
  const odooServer = await startOdooStandIn({ addonInstalled: true, users: [{ login: 'sara', name: 'سارة الحربي', email: 'sara@example.com', password: 'sara' }] })
  t.teardown(() => odooServer.close())
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password })
  t.teardown(() => odoo.close())
  const dir = await mkdtemp(join(tmpdir(), 'workflow-kill-'))
  const rulesFile = join(dir, 'rules.json')
  // 0.003 working hours: due 10.8 s after each lead's creation.
  await writeFile(rulesFile, JSON.stringify({
    calendar: ROUND_THE_CLOCK,
    rules: [{ id: 'follow-up', trigger: { timer: { after: 'lead.created', workingHours: 0.003 }, unless: 'first-response' }, actions: [{ kind: 'activity', activityType: 'call', summary: 'Call back', assignee: 'salesperson' }] }],
  }))
  const env = {
    ...VALID, AMQP_URL: vhost.url, ODOO_URL: odooServer.url, ODOO_DB: odooServer.db, ODOO_USER: odooServer.username, ODOO_PASSWORD: odooServer.password,
    HOST: '127.0.0.1', WORKFLOW_RULES_FILE: rulesFile, WORKFLOW_SWEEP_SECONDS: '1', LOG_LEVEL: 'debug',
  }
  const first = startScript(MAIN, env)
  t.teardown(() => void first.child.kill('SIGKILL'))
  t.ok(await waitFor(() => first.stdout().includes('workflow rules consuming') || (first.child.exitCode !== null && 'exited'), 'the first run to start', 60_000) === true, first.stderr())
  const [sara] = await odoo.searchRead<{ id: number }>('res.users', [['login', '=', 'sara']], { fields: ['id'] })
  const leads = await odoo.createMany('crm.lead', [1, 2, 3].map((n) => ({ name: `Lead ${n}`, type: 'opportunity', user_id: sara!.id })))
  const due = Date.now() + 10_800
  first.child.kill('SIGKILL')
  await first.exited
  t.equal(odooServer.records('mail.activity').length, 0, 'killed before any timer was due')

  // Restart only once every timer is due: they fell due while no service ran.
  await waitFor(() => Date.now() > due + 1_000, 'the timers to fall due while the service is down', 20_000)
  const second = startScript(MAIN, env)
  t.teardown(() => void second.child.kill('SIGKILL'))
  await waitFor(() => odooServer.records('mail.activity').length >= 3 || (second.child.exitCode !== null && 'exited'), 'the restarted service to fire the timers', 60_000)
  const sweeps = (): number => second.stdout().split('\n').filter((line) => line.includes('"timers swept"')).length
  const seen = sweeps()
  await waitFor(() => sweeps() >= seen + 3, 'three more sweeps', 20_000)
  const activities = odooServer.records('mail.activity')
  t.same(activities.map((row) => row['res_id']).sort(), [...leads].sort(), 'one activity per lead, none twice')
  t.ok(activities.every((row) => row['user_id'] === sara!.id && row['summary'] === 'Call back'))
  const late = second.stdout().split('\n').filter((line) => line.includes('"timer fired"')).map((line) => (JSON.parse(line) as { lateness_ms: number }).lateness_ms)
  t.equal(late.length, 3, 'three firings logged')
  t.comment(`lateness after a restart (timers due while the service was down): ${late.join(', ')} ms`)

  // A third start finds every claim done: nothing fires again.
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0, 'SIGTERM stops it cleanly')
  const third = startScript(MAIN, env)
  t.teardown(() => void third.child.kill('SIGKILL'))
  await waitFor(() => third.stdout().split('\n').filter((line) => line.includes('"timers swept"')).length >= 2, 'two sweeps of a third run', 60_000)
  t.equal(odooServer.records('mail.activity').length, 3, 'still one activity per lead')
  third.child.kill('SIGTERM')
  await third.exited
})
