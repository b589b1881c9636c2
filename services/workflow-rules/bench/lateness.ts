// `pnpm bench:timers`: how late timers fire — the time from each timer's due instant to its activity being
// written to Odoo — with the service's sweep (every BENCH_SWEEP_SECONDS, default 20, the service's default)
// against a baseline measured in the same run on the same leads: an in-memory setTimeout armed at each
// lead's creation for its due time (what a process-bound timer would achieve, and lose on a restart).
// The Odoo stand-in (or the Odoo at ODOO_URL…ODOO_PASSWORD) on the real clock, the in-process bus, a
// round-the-clock UTC calendar; BENCH_LEADS (default 30) leads created in BENCH_BATCHES (3) batches a few
// seconds apart, each with a 15-second timer, so due times fall all over the sweep's period.
import { Writable } from 'node:stream'
import { createMemoryBus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createLogger } from '@gassistant/runtime'
import { benchOdoo } from '@gassistant/sandbox'
import { createWorkflowRules, parseRules } from '../src/index.js'

const LEADS = Number(process.env['BENCH_LEADS'] ?? 30)
const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 3)
const SWEEP_SECONDS = Number(process.env['BENCH_SWEEP_SECONDS'] ?? 20)
const DELAY_HOURS = 15 / 3600
const out = (line: string): void => void process.stdout.write(`${line}\n`)
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const { standIn, ...target } = await benchOdoo()
const odoo = createOdooClient({ url: target.url, db: target.db, username: target.username, password: target.password })
const caps = await odoo.connect()
// Only this run's leads (tagged) match: a shared Odoo's other leads are left alone.
const runTag = `timer-bench-${Date.now()}`
const tagId = await odoo.refs.tag(runTag)
const rules = parseRules({
  calendar: { timeZone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) },
  rules: [{ id: runTag, trigger: { timer: { after: 'lead.created', workingHours: DELAY_HOURS }, when: { tags: [runTag] } }, actions: [{ kind: 'activity', activityType: 'todo', summary: 'Bench timer', assignee: 'salesperson' }] }],
})
const fired: number[] = []
const destination = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.includes('"timer fired"')) fired.push((JSON.parse(line) as { lateness_ms: number }).lateness_ms)
    }
    callback()
  },
})
const bus = createMemoryBus({})
const service = createWorkflowRules({ bus, odoo, log: createLogger({ service: 'workflow-rules', level: 'info', destination }), rules, config: { sweepIntervalMs: SWEEP_SECONDS * 1000, lookbackMs: 3_600_000 } })
await service.start()

const baseline: number[] = []
const created: number[] = []
for (let batch = 0; batch < BATCHES; batch += 1) {
  const size = Math.ceil(LEADS / BATCHES)
  const ids = await odoo.createMany('crm.lead', Array.from({ length: size }, (_, n) => ({ name: `Timer bench ${batch}-${n}`, type: 'opportunity', user_id: caps.uid, tag_ids: [[4, tagId, 0]] })))
  const rows = await odoo.read<{ create_date: string }>('crm.lead', ids, ['create_date'])
  for (const row of rows) {
    // Odoo keeps create_date to the second: the timer is due 15 s after that second, for both designs.
    const due = new Date(`${row.create_date.slice(0, 19).replace(' ', 'T')}Z`).getTime() + DELAY_HOURS * 3_600_000
    setTimeout(() => baseline.push(Date.now() - due), Math.max(0, due - Date.now()))
  }
  created.push(...ids)
  if (batch < BATCHES - 1) await wait((SWEEP_SECONDS * 1000) / BATCHES + 1_300)
}
while (fired.length < created.length || baseline.length < created.length) await wait(200)
await service.stop()

const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
  return `p50 ${(at(0.5) / 1000).toFixed(1)} s, p95 ${(at(0.95) / 1000).toFixed(1)} s, max ${(at(1) / 1000).toFixed(1)} s (n=${sorted.length})`
}
out(`timer lateness, due → activity in Odoo (${standIn ? 'Odoo stand-in' : target.url}, ${LEADS} timers):`)
out(`  sweep every ${SWEEP_SECONDS} s (durable, from Odoo): ${stats(fired)}`)
out(`  baseline, in-memory setTimeout (lost on restart):  ${stats(baseline)}`)
// Deleting the leads deletes their activities and claims (Odoo removes a record's external ids with it).
if (!standIn) {
  await odoo.executeKw('crm.lead', 'unlink', [[...new Set(created)]])
  await odoo.executeKw('crm.tag', 'unlink', [[tagId]])
}
odoo.close()
await standIn?.close()
