// `pnpm start` and `pnpm demo` as a new user runs them (README's first command): the hub starts with
// the in-process bus and the stand-ins, the demo's signed webhooks become leads in the Odoo stand-in,
// every service serves its own metrics, log lines carry `service` once, a second hub runs beside the
// first, and SIGTERM stops it cleanly. Every port is the system's choice (PORT=0).
import t, { type Test } from 'tap'
import { runScript, startScript, waitFor, type RunningScript } from '@gassistant/test-support'
import { localPorts } from '../src/local.js'

const START = 'apps/hub/src/start.ts'
const DEMO = 'apps/hub/src/demo.ts'
/** What the user did not set: the hub falls back to the in-process bus and the stand-ins. */
const UNSET = { AMQP_URL: undefined, ODOO_URL: undefined, GRAPH_API_URL: undefined, META_APP_SECRET: undefined, META_PAGE_TOKENS: undefined, SLACK_API_URL: undefined, SLACK_BOT_TOKEN: undefined }

function startHub(t: Test): RunningScript {
  const hub = startScript(START, { ...UNSET, PORT: '0', LOG_LEVEL: 'info' })
  t.teardown(() => void hub.child.kill('SIGKILL'))
  return hub
}

async function started(hub: RunningScript): Promise<Record<'ingress' | 'processor' | 'odoo' | 'workflowRules', string>> {
  await waitFor(() => hub.stdout().includes('Try it: pnpm demo') || hub.child.exitCode !== null, 'the hub to start', 60_000)
  const find = (pattern: RegExp, what: string): string => {
    const found = pattern.exec(hub.stdout())?.[1]
    if (found === undefined) throw new Error(`the hub did not print ${what}:\n${hub.stdout()}${hub.stderr()}`)
    return found
  }
  return {
    ingress: find(/ingress\s+(http:\/\/\S+)\/metrics/, "the ingress's address"),
    processor: find(/lead-processor\s+(http:\/\/\S+)\/metrics/, "the lead-processor's address"),
    odoo: find(/Odoo:\s+(http:\/\/\S+) db=/, "the Odoo stand-in's address"),
    workflowRules: find(/workflow-rules\s+(http:\/\/\S+)\/metrics/, "the workflow-rules service's address"),
  }
}

t.test('pnpm start runs the hub locally, pnpm demo turns its samples into Odoo leads, SIGTERM stops it', async (t) => {
  const hub = startHub(t)
  const at = await started(hub)
  t.match(hub.stdout(), `Meta Lead Ads  POST ${at.ingress}/webhooks/meta`, 'prints where to send webhooks')
  t.match(hub.stdout(), 'in-process (AMQP_URL unset')
  t.match(hub.stdout(), 'Meta leads: reconciled every 15 min over 24 h; no conversion feedback', 'says how Meta leads are reconciled')
  t.match(hub.stdout(), `Slack buttons  POST ${at.ingress}/webhooks/slack/interactivity`, 'the Slack Interactivity Request URL')
  const notifier = /notifier\s+(http:\/\/\S+)\/metrics/.exec(hub.stdout())?.[1]
  t.equal((await fetch(`${notifier}/readyz`)).status, 200, 'the notifier is ready (bus, Odoo and the Slack stand-in reachable)')

  const demo = await runScript(DEMO, [], { ...UNSET, HUB_URL: at.ingress, ODOO_URL: at.odoo })
  t.equal(demo.code, 0, `the demo found every sample lead in Odoo (${demo.stderr.trim()})`)
  t.match(demo.stdout, 'POST /webhooks/meta → 200')
  t.match(demo.stdout, 'POST /webhooks/whatsapp → 200')
  t.match(demo.stdout, 'POST /webhooks/forms/website → 200')
  t.match(demo.stdout, 'محمد عبدالله القحطاني', 'the Arabic name survived every hop')
  t.match(demo.stdout, 'm.qahtani@gmail.com | +966551234567 | city الرياض', 'email, E.164 phone and city as Odoo holds them')
  t.match(demo.stdout, 'utm Instagram / Paid / حملة رمضان 2026 / Ramadan')
  t.match(demo.stdout, 'utm WhatsApp / Paid / عرض رمضان: خصم 30%', 'the click-to-WhatsApp ad became the campaign')

  // Each service's registry is served on its own port, as in its container.
  const ingressMetrics = await (await fetch(`${at.ingress}/metrics`)).text()
  t.match(ingressMetrics, /ingress_requests_total\{source="meta",outcome="accepted",reason="published",service="ingress"\} 1/)
  t.match(ingressMetrics, /process_cpu_user_seconds_total/, 'process metrics once, with the ingress')
  const processorMetrics = await (await fetch(`${at.processor}/metrics`)).text()
  t.match(processorMetrics, /leads_synced_total\{outcome="created",service="lead-processor"\} 4/, "the lead-processor's own registry")
  t.equal((await fetch(`${at.processor}/readyz`)).status, 200, 'the lead-processor is ready (bus and Odoo reachable)')
  t.match(await (await fetch(`${at.workflowRules}/metrics`)).text(), /workflow_timers_pending\{service="workflow-rules"\} \d+/, 'the workflow rules sweep and report their pending timers')
  t.equal((await fetch(`${at.workflowRules}/readyz`)).status, 200, 'the workflow-rules service is ready')

  // Log lines of every service carry `service` exactly once, naming the service the line is about.
  const lines = hub.stdout().split('\n').filter((line) => line.startsWith('{'))
  t.ok(lines.length > 0, 'the hub logged')
  t.same(lines.filter((line) => line.match(/"service":/g)?.length !== 1), [], 'no line has two service keys')
  const services = new Set(lines.map((line) => (JSON.parse(line) as { service: string }).service))
  t.ok(services.has('lead-processor') && services.has('ingress'), `lines of each service (${[...services].join(', ')})`)
  t.ok(lines.some((line) => line.includes('"service":"lead-processor"') && line.includes('"outcome":"done"')), 'deliveries are logged as the lead-processor')

  hub.child.kill('SIGTERM')
  t.equal(await hub.exited, 0, 'exits 0 on SIGTERM')
})

t.test('a second hub runs beside the first: no port is fixed', async (t) => {
  const [first, second] = [startHub(t), startHub(t)]
  const [a, b] = await Promise.all([started(first), started(second)])
  t.not(a.ingress, b.ingress)
  t.not(a.odoo, b.odoo)
  for (const hub of [first, second]) hub.child.kill('SIGTERM')
  t.same(await Promise.all([first.exited, second.exited]), [0, 0])
})

t.test('the ports follow PORT, so pnpm demo finds the hub from the same PORT', async (t) => {
  t.same(localPorts(8090), { ingress: 8090, processor: 8091, odoo: 8092, graph: 8093, scoring: 8094, workflowRules: 8095, notifier: 8096, slack: 8097, dashboard: 8098 })
  t.same(localPorts(0), { ingress: 0, processor: 0, odoo: 0, graph: 0, scoring: 0, workflowRules: 0, notifier: 0, slack: 0, dashboard: 0 }, 'PORT=0: every port chosen by the system')
})

t.test('pnpm demo without a running hub says so in one line', async (t) => {
  // Port 1: nothing listens there.
  const demo = await runScript(DEMO, [], { ...UNSET, HUB_URL: 'http://127.0.0.1:1' })
  t.equal(demo.code, 1)
  t.equal(demo.stderr, 'demo: no hub answers at http://127.0.0.1:1: start it with `pnpm start` (same PORT) in another terminal, or set HUB_URL\n')
})

t.test('pnpm start stops on a bad setting with one line naming it, never its value', async (t) => {
  const cases = [
    { env: { META_PAGE_TOKENS: '{"123":EAAsecretT"' }, line: 'META_PAGE_TOKENS is not valid JSON', secret: 'EAAsecret' },
    { env: { LOG_LEVEL: 'verbose' }, line: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent', secret: 'verbose' },
    { env: { AMQP_URL: 'not-a-url' }, line: 'AMQP_URL must be a URL starting with amqp:// or amqps://', secret: 'not-a-url' },
    { env: { ODOO_URL: 'not-a-url', ODOO_DB: 'crm', ODOO_USER: 'admin', ODOO_PASSWORD: 'admin' }, line: 'ODOO_URL must be a URL starting with http:// or https://', secret: 'not-a-url' },
    { env: { DEFAULT_PHONE_REGION: 'XX' }, line: 'DEFAULT_PHONE_REGION must be a two-letter country code with a phone numbering plan, such as SA, AE or EG', secret: 'XX' },
  ]
  const results = await Promise.all(cases.map((c) => runScript(START, [], { ...UNSET, PORT: '0', ...c.env })))
  cases.forEach((c, i) => {
    const result = results[i]!
    t.equal(result.code, 1, `${c.line}: exit 1`)
    t.equal(result.stderr, `hub: configuration error: ${c.line}\n`, 'one line on stderr')
    t.notMatch(result.stdout + result.stderr, c.secret, 'the value is not shown')
  })
})
