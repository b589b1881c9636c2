// The scoring container's entry point (src/main.ts) run as its container runs it: a bad setting or rules
// file stops it with one line before it connects to anything; good settings start it on a broker of its own,
// serving readiness and its metrics, and SIGTERM stops it.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startOdooStandIn } from '@gassistant/sandbox'
import { checkRefusedStarts, rabbitVhost, startScript, waitFor } from '@gassistant/test-support'
import t from 'tap'

const MAIN = 'services/scoring/src/main.ts'
/** Valid settings; the broker's port 1 answers nothing, so a setting wrongly accepted cannot reach a real queue. */
const VALID = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  ODOO_URL: 'http://127.0.0.1:1',
  ODOO_DB: 'crm',
  ODOO_USER: 'admin',
  ODOO_PASSWORD: 'odoo-password',
  SCORING_RULES_FILE: undefined,
  SCORING_DEBOUNCE_MS: undefined,
  LOG_LEVEL: undefined,
  PORT: '0',
}

t.test('a bad setting or rules file is one line naming it, and exit 1', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'scoring-main-'))
  const badRules = join(dir, 'rules.json')
  await writeFile(badRules, JSON.stringify({
    tiers: { hot: { min: 70, stars: '3' }, warm: { min: 40, stars: '2' }, cold: { stars: '1' } },
    rules: [{ id: 'paid', kind: 'source', channel: ['meta'], points: 10, reason: { en: 'Paid ad' } }],
  }))
  const cases = [
    { env: { ODOO_PASSWORD: undefined }, line: 'configuration error: ODOO_PASSWORD is missing' },
    { env: { ODOO_URL: 'not-a-url' }, line: 'configuration error: ODOO_URL must be a URL starting with http:// or https://' },
    { env: { SCORING_RULES_FILE: badRules }, line: 'configuration error: SCORING_RULES_FILE is invalid: rule 0 ("paid"): reason.ar is missing' },
    { env: { SCORING_RULES_FILE: join(dir, 'missing.json') }, line: 'configuration error: SCORING_RULES_FILE cannot be read' },
    { env: { SCORING_DEBOUNCE_MS: 'soon' }, line: 'configuration error: SCORING_DEBOUNCE_MS must be integer' },
    { env: { SCORING_DEBOUNCE_MS: '120000' }, line: 'configuration error: SCORING_DEBOUNCE_MS must be <= 60000' },
  ]
  await checkRefusedStarts(t, MAIN, 'scoring', VALID, cases)
})

t.test('good settings: consumes on its broker, serves readiness and its metrics, stops on SIGTERM', async (t) => {
  const vhost = await rabbitVhost(t)
  const odoo = await startOdooStandIn({ addonInstalled: true })
  t.teardown(() => odoo.close())
  const main = startScript(MAIN, { ...VALID, AMQP_URL: vhost.url, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.username, ODOO_PASSWORD: odoo.password, HOST: '127.0.0.1' })
  t.teardown(() => void main.child.kill('SIGKILL'))
  const address = await waitFor(() => /Server listening at (http:\/\/\S+?)"/.exec(main.stdout())?.[1] ?? (main.child.exitCode !== null && 'exited'), 'the service to listen', 60_000)
  t.not(address, 'exited', main.stderr())
  const ready = await fetch(`${address}/readyz`)
  t.equal(ready.status, 200)
  t.same(await ready.json(), { ok: true, checks: { broker: true, odoo: true } })
  odoo.faults.down()
  // Readiness stands on the last observation for a few seconds, then asks Odoo once.
  const down = await waitFor(async () => {
    const res = await fetch(`${address}/readyz`)
    return res.status === 503 && { status: res.status, body: await res.json() as unknown }
  }, 'readiness to report Odoo down')
  t.same(down, { status: 503, body: { ok: false, checks: { broker: true, odoo: false } } }, 'an Odoo that stopped answering is reported down')
  odoo.faults.up()
  t.match(await (await fetch(`${address}/metrics`)).text(), /# TYPE leads_scored_total counter/)
  t.ok(await waitFor(() => main.stdout().includes('scores are written to gassistant_score and gassistant_score_breakdown'), 'the line saying what it writes'))
  main.child.kill('SIGTERM')
  t.equal(await main.exited, 0)
})
