// `pnpm bench:dashboard`: how fast the dashboard ingests the hub's logs and answers its API with a million
// log lines in, and whether its memory stays bounded. One generated NDJSON file (the lines one lead leaves
// across the services, repeated), read three ways in the same run: a plain line count (the floor: reading
// and splitting), JSON.parse of every line (the parsing floor), and the dashboard's store. Resident memory
// is shown after 20% and after 100% of the lines: bounded means the second is not five times the first.
// Then the API's latency with that store (autocannon), beside /healthz as the baseline of the same server.
import { mkdtemp, rm } from 'node:fs/promises'
import { createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import autocannon from 'autocannon'
import { createLogger, createMetrics, loadConfig } from '@gassistant/runtime'
import { DashboardSettings } from '../src/config.js'
import { hashPassword } from '../src/auth.js'
import { LogStore } from '../src/ingest/log-store.js'
import { followFile, type LineSink } from '../src/ingest/sources.js'
import { wireDashboard } from '../src/wiring.js'

const LINES = Number(process.env['BENCH_LINES'] ?? 1_000_000)
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5)
const PASSWORD = 'bench-password'
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const rss = () => {
  gc()
  return process.memoryUsage().rss
}

/** The six lines one Meta lead leaves (ingress, lead-processor, scoring), as the services write them. */
function leadLines(i: number, start: number): string[] {
  const id = `meta:${2100000000000000 + i}`
  const t = (ms: number) => new Date(start + i * 50 + ms).toISOString()
  const base = (ms: number, service: string) => `{"level":"info","time":"${t(ms)}","service":"${service}",`
  return [
    `${base(0, 'ingress')}"method":"POST","route":"/webhooks/meta","status":200,"outcome":"ok","duration_ms":3.1,"event_ids":["${id}"],"msg":"request completed"}`,
    `${base(300, 'lead-processor')}"event_id":"${id}","type":"inbound.meta.leadgen.v1","correlation_id":"${id}","page_id":"104857600112233","leadgen_id":"${2100000000000000 + i}","duration_ms":250.6,"msg":"Graph lead read"}`,
    `${base(900, 'lead-processor')}"event_id":"${id}","type":"inbound.meta.leadgen.v1","correlation_id":"${id}","external_ref":"${id}","lead_id":${i + 1},"lead_outcome":"created","replay":false,"flags":[],"email":"m***@gmail.com","phone":"+966*****4567","msg":"lead created"}`,
    i % 50 === 0
      ? `${base(901, 'lead-processor')}"event_id":"${id}","type":"inbound.meta.leadgen.v1","correlation_id":"${id}","attempt":1,"outcome":"retry","duration_ms":901.2,"reason":"ODOO_TIMEOUT: no answer in 15000 ms","retry_in_ms":1000,"msg":"event handling failed, will retry"}`
      : `${base(901, 'lead-processor')}"event_id":"${id}","type":"inbound.meta.leadgen.v1","correlation_id":"${id}","attempt":1,"outcome":"done","duration_ms":901.2,"msg":"event handled"}`,
    `${base(950, 'scoring')}"event_id":"synced:${id}","type":"lead.synced.v1","lead_id":${i + 1},"score":70,"tier":"hot","msg":"lead scored"}`,
    `${base(951, 'scoring')}"event_id":"synced:${id}","type":"lead.synced.v1","correlation_id":"${id}","attempt":1,"outcome":"done","duration_ms":27.5,"msg":"event handled"}`,
  ]
}

async function writeLogFile(path: string): Promise<void> {
  const out = createWriteStream(path)
  const start = Date.UTC(2026, 0, 8, 0, 0, 0)
  let written = 0
  for (let i = 0; written < LINES; i++) {
    const lines = leadLines(i, start).slice(0, LINES - written)
    written += lines.length
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/** Reads the whole file once into `sink`; lines/s. */
async function timeRead(path: string, sink: LineSink): Promise<number> {
  const started = performance.now()
  const follower = followFile(path, sink, { pollMs: 60_000 })
  await follower.caughtUp
  follower.stop()
  return LINES / ((performance.now() - started) / 1000)
}

async function latency(url: string, path: string, cookie: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  // A second of warm-up first (JIT, and the collection of what the ingest left), not counted.
  await autocannon({ url: `${url}${path}`, connections: 10, duration: 1, headers: { cookie } })
  const result = await autocannon({ url: `${url}${path}`, connections: 10, duration: SECONDS, headers: { cookie } })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx }
}

const dir = await mkdtemp(join(tmpdir(), 'dashboard-bench-'))
try {
  const path = join(dir, 'hub.log')
  await writeLogFile(path)
  console.log(`dashboard ingest, ${LINES.toLocaleString('en')} log lines (${path})`)
  const before = rss()

  let counted = 0
  const countRate = await timeRead(path, () => void counted++)
  console.log(`  baseline: line count        ${Math.round(countRate).toLocaleString('en').padStart(10)} lines/s  (${counted.toLocaleString('en')} lines)`)
  let parsed = 0
  const parseRate = await timeRead(path, (line) => {
    if ((JSON.parse(line) as { service?: string }).service) parsed++
  })
  console.log(`  baseline: JSON.parse        ${Math.round(parseRate).toLocaleString('en').padStart(10)} lines/s  (${parsed.toLocaleString('en')} lines)`)

  const store = new LogStore()
  let seen = 0
  let at20 = 0
  const ingestRate = await timeRead(path, (line) => {
    store.ingestLine(line)
    if (++seen === Math.floor(LINES / 5)) at20 = rss()
  })
  const at100 = rss()
  console.log(`  dashboard: LogStore ingest  ${Math.round(ingestRate).toLocaleString('en').padStart(10)} lines/s  (${store.counts().lines.toLocaleString('en')} lines read, ${store.counts().skipped} skipped)`)
  console.log(`  memory (RSS after gc): before ${mb(before)}, after 20% of the lines ${mb(at20)}, after 100% ${mb(at100)} (growth 20%→100%: ${mb(at100 - at20)})`)

  const settings = loadConfig(DashboardSettings, { DASHBOARD_PASSWORD_HASH: await hashPassword(PASSWORD), DASHBOARD_SESSION_SECRET: 'bench-session-secret-of-32-characters!', DASHBOARD_SECURE_COOKIE: 'false', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' })
  const dashboard = await wireDashboard(settings, { log: createLogger({ service: 'dashboard', level: 'silent' }), metrics: createMetrics('dashboard', { defaultMetrics: false }), store })
  const url = await dashboard.start()
  try {
    const login = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: PASSWORD }) })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const lastLead = Math.floor(LINES / 6) - 1
    console.log(`page API latency with that store, 10 connections, ${SECONDS} s each:`)
    for (const [name, path] of [['baseline: /healthz', '/healthz'], ['/api/pipeline', '/api/pipeline?minutes=60'], ['/api/journey (leadgen id)', `/api/journey?q=${2100000000000000 + lastLead}`], ['/api/journey (lead id)', `/api/journey?q=${lastLead + 1}`], ['/ (pipeline page)', '/']] as const) {
      const figures = await latency(url, path, cookie)
      console.log(`  ${name.padEnd(28)} ${Math.round(figures.rps).toLocaleString('en').padStart(7)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms${figures.errors > 0 ? `  ${figures.errors} errors` : ''}`)
    }
  } finally {
    await dashboard.stop()
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
