// `pnpm bench:ingress`: the ingress as deployed (`node dist/main.js`, LOG_LEVEL=info) against two
// baselines, side by side in one run on the real RabbitMQ, in a vhost of its own: bare Fastify (parse the
// JSON, answer) and the naive design (HMAC over the raw body + one awaited confirm to a quorum queue).
// Rounds are interleaved so drift on a shared machine hits all three alike; the median round is shown.
// Each row also shows the CPU per answered request of the server and of the local broker (from /proc: the
// broker's share is its whole process, so other vhosts' traffic on a shared machine counts too — the bare
// row, which never touches the broker, shows that floor). Then the ingress's resident memory under that
// load, and its latency at half its peak (open loop).
// BENCH_COMPARE=<path to another build's dist/main.js> adds that ingress to the rounds.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import autocannon from 'autocannon'
import { createVhost, type BenchVhost } from './broker.js'
import { paced } from './paced.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const SECRET = 'bench-app-secret'
const MAIN = new URL('../dist/main.js', import.meta.url).pathname
/** The exchange the ingress publishes to (DESIGN.md "Events"). */
const EXCHANGE = 'gassistant.events'

// A signed Meta leadgen webhook, in Meta's compact form.
const body = JSON.stringify({
  object: 'page',
  entry: [{ id: '104857600112233', time: 1767868302, changes: [{ value: { ad_id: '120210000000000012', form_id: '987654321098765', leadgen_id: '2100000000000001', created_time: 1767868290, page_id: '104857600112233', adgroup_id: '120210000000000012' }, field: 'leadgen' }] }],
})
const headers = { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` }

interface Target { name: string; port: number; child: ChildProcess }
interface Figures { rps: number; p50: number; p99: number; failed: number; serverMs: number; brokerMs: number }

const children: ChildProcess[] = []
let vhost: BenchVhost | undefined

async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGTERM')
  await vhost?.remove().catch((error: unknown) => console.error(`could not delete vhost ${vhost?.name}: ${String(error)}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and deleting the bench vhost…`)
    void cleanUp().finally(() => process.exit(130))
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

function startBaseline(name: string, env: Record<string, string>): Promise<Target> {
  const child = fork(new URL('./targets.ts', import.meta.url).pathname, [], {
    env: { ...process.env, ...env },
    execArgv: ['--conditions=gassistant-source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ name, port: (message as { port: number }).port, child }))
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)))
  })
}

async function startIngress(url: string, main = MAIN, name = 'ingress', flags: string[] = []): Promise<Target> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm run build\` first`)
  const port = await freePort()
  const child = spawn(process.execPath, [...flags, main], {
    env: {
      ...process.env,
      AMQP_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      META_APP_SECRET: SECRET,
      META_VERIFY_TOKEN: 'bench-verify-token',
      ODOO_WEBHOOK_SECRET: 'bench-odoo-secret',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      RATE_LIMIT_MAX: '1000000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.push(child)
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`the ingress exited with ${child.exitCode}`)
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((res) => res.ok, () => false)
    if (ready) return { name, port, child }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the ingress did not become ready within 30 s')
}

/** CPU time a process has used so far, in ms (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The broker's OS process (the bench runs beside a local RabbitMQ): its CPU per request is the broker's share of the work. */
function brokerPid(): number | undefined {
  try {
    const pid = Number(execFileSync('rabbitmqctl', ['eval', 'list_to_integer(os:getpid()).'], { encoding: 'utf8' }).trim())
    return Number.isInteger(pid) && existsSync(`/proc/${pid}/stat`) ? pid : undefined
  } catch {
    return undefined
  }
}
const BROKER_PID = brokerPid()

async function load(target: Target, seconds: number): Promise<Figures> {
  const server = cpuMs(target.child.pid)
  const broker = cpuMs(BROKER_PID)
  const result = await autocannon({ url: `http://127.0.0.1:${target.port}/webhooks/meta`, method: 'POST', headers, body, connections: CONNECTIONS, duration: seconds })
  const answered = Math.max(1, result.requests.total)
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
    serverMs: (cpuMs(target.child.pid) - server) / answered,
    brokerMs: (cpuMs(BROKER_PID) - broker) / answered,
  }
}

function residentMb(pid: number | undefined): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Math.round(Number(match?.[1] ?? 0) / 1024)
}

const median = (rounds: Figures[]): Figures => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)] as Figures

try {
  const loadBefore = loadavg()[0]
  vhost = await createVhost(AMQP_URL)
  const bench = vhost
  await bench.admin((channel) => channel.assertQueue('naive', { durable: true, arguments: { 'x-queue-type': 'quorum' } }))
  const bare = await startBaseline('bare', { BENCH_TARGET: 'bare' })
  const naive = await startBaseline('naive', { BENCH_TARGET: 'naive', BENCH_SECRET: SECRET, BENCH_QUEUE: 'naive', AMQP_URL: bench.url })
  const ingress = await startIngress(bench.url)
  // After the ingress declared the hub's exchange and queues: the naive design doing the broker's share of its work.
  const naiveAlike = await startBaseline('naive-alike', { BENCH_TARGET: 'naive', BENCH_SECRET: SECRET, BENCH_EXCHANGE: EXCHANGE, AMQP_URL: bench.url })
  // BENCH_COMPARE=<another build's dist/main.js>: that ingress too, in the same rounds (e.g. before a change),
  // run with BENCH_COMPARE_FLAGS (space-separated node flags, e.g. V8 heap sizes: this build with other flags).
  const comparedFlags = (process.env.BENCH_COMPARE_FLAGS ?? '').split(' ').filter(Boolean)
  const compared = process.env.BENCH_COMPARE ? [await startIngress(bench.url, process.env.BENCH_COMPARE, 'compared', comparedFlags)] : []
  const idleMb = residentMb(ingress.child.pid)
  // The queues the ingress declared (its consumers' queues) and the naive one.
  const listed = execFileSync('rabbitmqctl', ['list_queues', '-q', '-p', bench.name, 'name'], { encoding: 'utf8' })
  const queues = listed.split('\n').map((line) => line.trim()).filter((name) => name && name !== 'name')
  // Nothing consumes here: empty every queue before each measurement so no backlog slows the next one.
  const purge = async () => {
    await bench.admin(async (channel) => {
      for (const queue of queues) await channel.purgeQueue(queue)
    })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }

  console.log(`vhost ${bench.name}; ${CONNECTIONS} connections; ${ROUNDS} interleaved rounds of ${SECONDS} s; warming up…`)
  const targets = [bare, naive, naiveAlike, ingress, ...compared]
  for (const target of targets) await load(target, 3)
  const rounds = new Map<string, Figures[]>(targets.map((target) => [target.name, []]))
  let peakMb = idleMb
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      await purge()
      const sampler = target === ingress ? setInterval(() => (peakMb = Math.max(peakMb, residentMb(ingress.child.pid))), 200) : undefined
      rounds.get(target.name)?.push(await load(target, SECONDS))
      clearInterval(sampler)
    }
  }
  const figures = new Map(targets.map((target) => [target.name, median(rounds.get(target.name) ?? [])]))
  const bareRps = figures.get('bare')?.rps ?? 1

  await purge()
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  const ingressRps = figures.get('ingress')?.rps ?? 0
  const half = Math.max(1, Math.floor(ingressRps / 2))
  const halfRun = await paced({ port: ingress.port, path: '/webhooks/meta', body, headers, rate: half, seconds: SECONDS * 2 })
  const loadAfter = loadavg()[0]

  const cell = (value: string | number, width: number) => String(value).padStart(width)
  console.log(`\n${'server'.padEnd(66)}${cell('req/s', 8)}${cell('p50 ms', 8)}${cell('p99 ms', 8)}${cell('× bare', 8)}${cell('failed', 8)}${cell('server µs/req', 15)}${cell('broker µs/req', 15)}`)
  const labels: Record<string, string> = {
    bare: 'bare Fastify (parse JSON, 200)',
    naive: 'naive ingress: raw-body HMAC + one awaited confirm (quorum queue)',
    'naive-alike': 'naive, same event + properties through the hub exchange',
    ingress: 'the ingress (dist/main.js, LOG_LEVEL=info)',
    compared: `BENCH_COMPARE ingress (${process.env.BENCH_COMPARE ?? ''})`.slice(0, 65),
  }
  for (const [name, f] of figures) {
    console.log(`${(labels[name] ?? name).padEnd(66)}${cell(f.rps.toFixed(0), 8)}${cell(f.p50, 8)}${cell(f.p99, 8)}${cell((f.rps / bareRps).toFixed(2), 8)}${cell(f.failed, 8)}${cell(Math.round(f.serverMs * 1000), 15)}${cell(BROKER_PID === undefined ? '?' : Math.round(f.brokerMs * 1000), 15)}`)
  }
  console.log(`\nper round req/s: ${[...rounds].map(([name, list]) => `${name} ${list.map((f) => f.rps.toFixed(0)).join('/')}`).join('; ')}`)
  console.log(`ingress at half its peak, open loop (${half} req/s for ${SECONDS * 2} s): p50 ${halfRun.p50} ms, p99 ${halfRun.p99} ms, ${halfRun.failed} failed (target p99 < 50 ms)`)
  console.log(`ingress resident memory: ${idleMb} MB idle, ${peakMb} MB at most under load (target < 100 MB)`)
  const rpsOf = (name: string) => figures.get(name)?.rps ?? 0
  console.log(`ratio ingress/bare ${(rpsOf('ingress') / bareRps).toFixed(2)} (target ≥ 0.5), naive/bare ${(rpsOf('naive') / bareRps).toFixed(2)}, ingress/naive-alike ${(rpsOf('ingress') / Math.max(1, rpsOf('naive-alike'))).toFixed(2)}`)
  console.log(`load average (1 min): ${loadBefore?.toFixed(2)} before, ${loadAfter?.toFixed(2)} after`)
} finally {
  await cleanUp()
}
