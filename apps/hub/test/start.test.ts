// `pnpm start` and `pnpm demo` as a new user runs them (README's first command): the hub starts with
// the in-process bus and the stand-ins, the demo's signed webhooks become leads in the Odoo stand-in,
// and SIGTERM stops it cleanly.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PORT = '18180'
// Only this test uses these ports; the hub's own defaults (8080…) may be taken on a developer machine.
const env = { ...process.env, PORT, LOG_LEVEL: 'warn', AMQP_URL: '', ODOO_URL: '', GRAPH_API_URL: '', META_APP_SECRET: '', HUB_URL: `http://127.0.0.1:${PORT}` }
for (const key of ['AMQP_URL', 'ODOO_URL', 'GRAPH_API_URL', 'META_APP_SECRET'] as const) delete env[key]

function run(script: string) {
  const child = spawn(process.execPath, ['--conditions=gassistant-source', '--import', 'tsx', `apps/hub/src/${script}`], { cwd: ROOT, env })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

t.test('pnpm start runs the hub locally, pnpm demo turns its samples into Odoo leads, SIGTERM stops it', async (t) => {
  const hub = run('start.ts')
  t.teardown(() => void hub.child.kill('SIGKILL'))
  await until(() => hub.output().includes('Try it: pnpm demo') || hub.child.exitCode !== null, 'the hub to start', 60_000)
  t.match(hub.output(), `Meta Lead Ads  POST http://127.0.0.1:${PORT}/webhooks/meta`, 'prints where to send webhooks')
  t.match(hub.output(), 'in-process (AMQP_URL unset)')

  const demo = run('demo.ts')
  t.equal(await demo.exited, 0, 'the demo found every sample lead in Odoo')
  const printed = demo.output()
  t.match(printed, 'POST /webhooks/meta → 200')
  t.match(printed, 'POST /webhooks/whatsapp → 200')
  t.match(printed, 'POST /webhooks/forms/website → 200')
  t.match(printed, 'محمد عبدالله القحطاني', 'the Arabic name survived every hop')
  t.match(printed, 'm.qahtani@gmail.com | +966551234567 | city الرياض', 'email, E.164 phone and city as Odoo holds them')
  t.match(printed, 'utm Instagram / Paid / حملة رمضان 2026 / Ramadan')
  t.match(printed, 'utm WhatsApp / Paid / عرض رمضان: خصم 30%', 'the click-to-WhatsApp ad became the campaign')

  hub.child.kill('SIGTERM')
  t.equal(await hub.exited, 0, 'exits 0 on SIGTERM')
})
