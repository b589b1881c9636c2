// `pnpm bench:ingress`: autocannon (this process) against the ingress (a child process, real RabbitMQ,
// a durable quorum queue bound to a unique exchange) and against a bare Fastify handler (another child).
// Prints req/s, p50 and p99 for both, their ratio, and the ingress's p99 at half its measured peak rate.
import { fork, type ChildProcess } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import amqp from 'amqplib'
import autocannon from 'autocannon'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
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

const connection = await amqp.connect(AMQP_URL)
const channel = await connection.createChannel()
await channel.assertExchange(exchange, 'topic', { durable: true })
await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } })
await channel.bindQueue(queue, exchange, '#')

const children: ChildProcess[] = []
try {
  const bare = await start({ BENCH_BARE: '1' })
  const ingress = await start({ BENCH_EXCHANGE: exchange })
  children.push(bare.child, ingress.child)

  console.log(`warming up (${CONNECTIONS} connections)…`)
  await run(bare.port, { duration: 2 })
  await run(ingress.port, { duration: 2 })

  const bareFigures = await run(bare.port)
  const ingressFigures = await run(ingress.port)
  const half = Math.max(1, Math.floor(ingressFigures.rps / 2))
  const halfFigures = await run(ingress.port, { overallRate: half })
  const { messageCount } = await channel.checkQueue(queue)

  const row = (name: string, f: Figures) =>
    `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} ${String(f.p50).padStart(8)} ${String(f.p99).padStart(8)} ${String(f.errors + f.non2xx).padStart(8)}`
  console.log(`\n${'target'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(8)}`)
  console.log(row('bare Fastify handler', bareFigures))
  console.log(row('ingress → RabbitMQ (confirmed)', ingressFigures))
  console.log(row(`ingress at half peak (${half} req/s)`, halfFigures))
  const ratio = ingressFigures.rps / bareFigures.rps
  console.log(`\nratio ingress/bare: ${ratio.toFixed(2)} (target ≥ 0.5)`)
  console.log(`p99 at half the peak rate: ${halfFigures.p99} ms (target < 50 ms)`)
  console.log(`events in the bench queue: ${messageCount}`)
} finally {
  for (const child of children) child.kill('SIGTERM')
  await channel.deleteQueue(queue).catch(() => undefined)
  await channel.deleteExchange(exchange).catch(() => undefined)
  await connection.close()
}
