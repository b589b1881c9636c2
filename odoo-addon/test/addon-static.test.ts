// Runs the Odoo addon's CI checks (odoo-addon/tests_ci, python3 stdlib only, no Odoo)
// inside `pnpm test`: syntax, XML, manifests, migrations, access CSV, translations, OCA
// layout, the Python signer against the shared vectors in libs/contracts/test-vectors, and
// the outbox's delivery plan (order, catch-up, probe). Must never need Odoo.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const addonDir = join(dirname(fileURLToPath(import.meta.url)), '..')

interface Run {
  code: number | null
  output: string
}

function runUnittest(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'unittest', 'discover', '-v', '-s', 'tests_ci', '-t', '.'], {
      cwd: addonDir,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

t.test('the addon passes its static checks and the shared signature vectors', async (t) => {
  const { code, output } = await runUnittest()
  const ran = /^Ran (\d+) tests? in /m.exec(output)
  const count = Number(ran?.[1] ?? 0)
  t.equal(code, 0, 'python3 -m unittest exits 0', { output: code === 0 ? undefined : output })
  t.ok(count >= 35, `ran ${count} python checks`)
  t.match(output, /^OK\b/m, 'unittest reports OK')
  t.match(output, /test_signer_reproduces_every_header .* \.\.\. ok/, 'the signer was checked against the shared vectors')
  t.match(output, /test_access_csv_is_well_formed_and_names_known_models .* \.\.\. ok/, 'the access CSV was checked')
  t.match(output, /test_a_successful_probe_brings_the_whole_backlog_in_order .* \.\.\. ok/, 'the delivery plan was checked')
  t.match(output, /test_readme_is_generated_from_the_fragments .* \.\.\. ok/, 'the READMEs match their fragments')
})
