// `pnpm bench:ingress`: autocannon (this process) against the ingress (a child process, real RabbitMQ,
// a durable quorum queue bound to a unique exchange) and against a bare Fastify handler (another child).
// Prints req/s, p50 and p99 for both, their ratio, and the ingress's p99 at half its measured peak rate
// (open-loop, paced.ts).
import { fork, type ChildProcess } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import amqp from 'amqplib'
import autocannon from 'autocannon'
import { paced } from './paced.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000)
const suffix = randomBytes(4).toString('hex')
const exchange = `bench.ingress.${suffix}`
const queue = `bench.ingress.${suffix}`

// A signed Meta leadgen webhook, in Meta's compact form.
const body = JSON.stringify({
  object: 'page',
  entry: [{ id: '104857600112233', time: 1767868302, changes: [{ value: { ad_id: '120210000000000012', form_id: '987654321098765', leadgen_id: '2100000000000001', created_time: 1767868290, page_id: '104857600112233', adgroup_id: '120210000000000012' }, field: 'leadgen' }] }],
})
const headers = {
  'content-type': 'application/json',
  'x-hub-signature-256': `sha256=${createHmac('sha256', 'bench-app-secret').update(body).digest('hex')}`,
}

function start(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(new URL('./server.ts', import.meta.url).pathname, [], {
    env: { ...process.env, ...env },
    execArgv: ['--conditions=gassistant-source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }))
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
}

interface Figures { rps: number; p50: number; p99: number; errors: number; non2xx: number }

async function run(port: number, options: Partial<autocannon.Options> = {}): Promise<Figures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/meta`,
    method: 'POST',
    headers,
    body,
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
  })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx }
}

// Short-lived admin connections: other test suites on this broker may force-close connections.
async function admin<T>(work: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(AMQP_URL)
  connection.on('error', () => undefined)
  try {
    return await work(await connection.createChannel())
  } finally {
    await connection.close().catch(() => undefined)
  }
}

await admin(async (channel) => {
  await channel.assertExchange(exchange, 'topic', { durable: true })
  // x-expires: the broker deletes the queue itself should this process die before cleaning up.
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': process.env.BENCH_QUEUE_TYPE ?? 'quorum', 'x-expires': 600_000 } })
  await channel.bindQueue(queue, exchange, '#')
})

const children: ChildProcess[] = []
try {
  const bare = await start({ BENCH_BARE: '1' })
  const ingress = await start({ BENCH_EXCHANGE: exchange, BENCH_BUS: process.env.BENCH_BUS ?? 'amqp' })
  children.push(bare.child, ingress.child)

  // JIT warm-up: the first seconds of a fresh process run unoptimised code (and tsx's loader).
  console.log(`warming up (${CONNECTIONS} connections)…`)
  await run(bare.port, { duration: 5 })
  await run(ingress.port, { duration: 5 })

  // No consumer runs here: empty the queue before each phase so a backlog (and the broker's flow control
  // on it) from one phase does not slow the next.
  const purge = () => admin((channel) => channel.purgeQueue(queue))
  const bareFigures = await run(bare.port)
  await purge()
  const ingressFigures = await run(ingress.port)
  const { messageCount } = await admin((channel) => channel.checkQueue(queue))
  await purge()
  // A quorum queue compacts its log in the background after a purge of tens of thousands of messages;
  // let it finish, or the paced phase measures the purge (which production, with consumers, never does).
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const half = Math.max(1, Math.floor(ingressFigures.rps / 2))
  const halfRun = await paced({ port: ingress.port, path: '/webhooks/meta', body, headers, rate: half, seconds: DURATION })
  const halfFigures: Figures = { rps: halfRun.ok / DURATION, p50: halfRun.p50, p99: halfRun.p99, errors: 0, non2xx: halfRun.failed }

  const row = (name: string, f: Figures) =>
    `${name.padEnd(42)} ${f.rps.toFixed(0).padStart(8)} ${String(f.p50).padStart(8)} ${String(f.p99).padStart(8)} ${String(f.errors + f.non2xx).padStart(8)}`
  console.log(`\n${'target'.padEnd(42)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(8)}`)
  console.log(row('bare Fastify handler', bareFigures))
  console.log(row('ingress → RabbitMQ (confirmed)', ingressFigures))
  console.log(row(`ingress at half peak (${half} req/s, paced)`, halfFigures))
  const ratio = ingressFigures.rps / bareFigures.rps
  console.log(`\nratio ingress/bare: ${ratio.toFixed(2)} (target ≥ 0.5)`)
  console.log(`p99 at half the peak rate: ${halfFigures.p99} ms (target < 50 ms)`)
  console.log(`events queued by the peak run: ${messageCount}${process.env.BENCH_BUS === 'memory' ? ' (BENCH_BUS=memory: in-process bus, no broker)' : ''}`)
} finally {
  for (const child of children) child.kill('SIGTERM')
  await admin(async (channel) => {
    await channel.deleteQueue(queue)
    await channel.deleteExchange(exchange)
  }).catch((error: unknown) => console.error(`cleanup failed: ${String(error)}`))
}
