// The lead-processor's container entry point (src/main.ts) run as its container runs it: a bad setting
// stops it with one line naming the variable (never its value) before it connects to anything; good
// settings start it on a broker of its own, serving readiness and its metrics, and SIGTERM stops it.
import { startOdooStandIn } from '@gassistant/sandbox'
import { checkRefusedStarts, rabbitVhost, startScript, waitFor } from '@gassistant/test-support'
import t from 'tap'

const MAIN = 'services/lead-processor/src/main.ts'
/** Valid settings; the broker's port 1 answers nothing, so a setting wrongly accepted cannot reach a real queue. */
const VALID = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  ODOO_URL: 'http://127.0.0.1:1',
  ODOO_DB: 'crm',
  ODOO_USER: 'admin',
  ODOO_PASSWORD: 'odoo-password',
  META_APP_SECRET: 'meta-app-secret',
  META_PAGE_TOKENS: undefined,
  LOG_LEVEL: undefined,
  DEFAULT_PHONE_REGION: undefined,
  PORT: '0',
}

t.test('a bad setting is one line naming the variable, never its value, and exit 1', async (t) => {
  const cases = [
    { env: { AMQP_URL: undefined }, line: 'AMQP_URL is missing' },
    { env: { AMQP_URL: 'not-a-url' }, line: 'AMQP_URL must be a URL starting with amqp:// or amqps://', value: 'not-a-url' },
    { env: { AMQP_URL: 'http://hub:s3cret-pw@mq' }, line: 'AMQP_URL must be a URL starting with amqp:// or amqps://', value: 's3cret-pw' },
    { env: { ODOO_URL: 'not-a-url' }, line: 'ODOO_URL must be a URL starting with http:// or https://', value: 'not-a-url' },
    { env: { LOG_LEVEL: 'verbose' }, line: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent', value: 'verbose' },
    { env: { DEFAULT_PHONE_REGION: 'XX' }, line: 'DEFAULT_PHONE_REGION must be a two-letter country code with a phone numbering plan, such as SA, AE or EG', value: 'XX' },
    { env: { META_PAGE_TOKENS: '{"123":EAAsecretT"' }, line: 'META_PAGE_TOKENS is not valid JSON', value: 'EAAsecret' },
  ]
  await checkRefusedStarts(t, MAIN, 'lead-processor', VALID, cases.map((c) => ({ ...c, line: `configuration error: ${c.line}` })))
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
  t.same(await ready.json(), { ok: true, checks: { broker: true, odoo: true, graph: true } })
  odoo.faults.down()
  const down = await waitFor(async () => {
    const res = await fetch(`${address}/readyz`)
    return res.status === 503 && { status: res.status, body: await res.json() as unknown }
  }, 'readiness to report Odoo down')
  t.same(down, { status: 503, body: { ok: false, checks: { broker: true, odoo: false, graph: true } } }, 'an Odoo that stopped answering is reported down')
  odoo.faults.up()
  t.match(await (await fetch(`${address}/metrics`)).text(), /# TYPE leads_synced_total counter/)
  main.child.kill('SIGTERM')
  t.equal(await main.exited, 0)
})
