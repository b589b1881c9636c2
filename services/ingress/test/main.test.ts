// The ingress's container entry point (src/main.ts) run as its container runs it: a bad or missing
// setting stops it with one line naming the variable (never its value) — in particular there is no
// silent fallback to a guest broker on localhost — and good settings start it on a broker of its own.
import { checkRefusedStarts, rabbitVhost, startScript, waitFor } from '@gassistant/test-support'
import t from 'tap'

const MAIN = 'services/ingress/src/main.ts'
/** Valid settings; the broker's port 1 answers nothing, so a setting wrongly accepted cannot reach a real queue. */
const VALID = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  META_APP_SECRET: 'meta-app-secret',
  META_VERIFY_TOKEN: 'verify-me',
  ODOO_WEBHOOK_SECRET: 'odoo-webhook-secret',
  FORM_SECRETS: undefined,
  LOG_LEVEL: undefined,
  PORT: '0',
  HOST: '127.0.0.1',
}

t.test('a bad or missing setting is one line naming the variable, never its value, and exit 1', async (t) => {
  const cases = [
    { env: { AMQP_URL: undefined }, line: 'AMQP_URL is missing' },
    { env: { AMQP_URL: 'not-a-url' }, line: 'AMQP_URL must be a URL starting with amqp:// or amqps://', value: 'not-a-url' },
    { env: { LOG_LEVEL: 'verbose' }, line: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent', value: 'verbose' },
    { env: { FORM_SECRETS: '{"site":{"secret":"form-s3cret"' }, line: 'FORM_SECRETS is not valid JSON', value: 'form-s3cret' },
  ]
  await checkRefusedStarts(t, MAIN, 'ingress', VALID, cases.map((c) => ({ ...c, line: `configuration error: ${c.line}` })))
})

t.test('good settings: connects to its broker, answers readiness and metrics, stops on SIGTERM', async (t) => {
  const vhost = await rabbitVhost(t)
  const main = startScript(MAIN, { ...VALID, AMQP_URL: vhost.url })
  t.teardown(() => void main.child.kill('SIGKILL'))
  const address = await waitFor(() => /Server listening at (http:\/\/\S+?)"/.exec(main.stdout())?.[1] ?? (main.child.exitCode !== null && 'exited'), 'the ingress to listen', 60_000)
  t.not(address, 'exited', main.stderr())
  const ready = await fetch(`${address}/readyz`)
  t.equal(ready.status, 200)
  t.same(await ready.json(), { ok: true, checks: { broker: true } })
  t.match(await (await fetch(`${address}/metrics`)).text(), /# TYPE ingress_requests_total counter/)
  main.child.kill('SIGTERM')
  t.equal(await main.exited, 0)
})
