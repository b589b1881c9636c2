// `pnpm bench:scoring`: leads scored per second by the scoring service (lead.synced.v1 in → score, breakdown,
// stars and the first tier note in Odoo → lead.scored.v1 out, on the in-process bus with the service's own
// prefetch), against a baseline measured in the same run: Odoo's own rate for one read and one write per lead
// (the least any score costs), with the same number of calls in flight. Prints both rates and their ratio,
// the rate of re-scores that find nothing changed, and the Odoo calls per scored lead (target ≤ 2).
//   ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD set → that Odoo (leads of this run only, deleted at the end);
//   unset → the Odoo stand-in with the addon. BENCH_LEADS (default 200) leads, written as the lead-processor
//   writes them: channel tag, contact details, form answers in the description, one WhatsApp message note.
import { randomUUID } from 'node:crypto'
import { createMemoryBus } from '@gassistant/bus'
import { createEvent, type AnyEvent } from '@gassistant/contracts'
import { createOdooClient, type OdooCall, type OdooClientOptions } from '@gassistant/odoo'
import { createLogger } from '@gassistant/runtime'
import { benchOdoo } from '@gassistant/sandbox'
import { createScoring, loadRules } from '../src/index.js'

const N = Number(process.env['BENCH_LEADS'] ?? 200)
/** The service's default prefetch: how many leads it scores at once. */
const IN_FLIGHT = 32
const out = (line: string): void => void process.stdout.write(`${line}\n`)
const run = randomUUID().slice(0, 8)

const { standIn, ...target } = await benchOdoo()
const realOdoo = standIn === undefined
const odooOptions: OdooClientOptions = { ...target, ...(realOdoo ? { timeoutMs: 120_000 } : {}) }
const admin = createOdooClient(odooOptions)
const caps = await admin.connect()
out(`Odoo: ${realOdoo ? `${odooOptions.url} db ${odooOptions.db}` : 'stand-in'} ${caps.serverVersion}, addon ${caps.hasAddon ? 'installed' : 'not installed'}; ${N} leads; ${IN_FLIGHT} in flight`)

/** N leads as the lead-processor writes them, in batches; each with the note of one WhatsApp message after it. */
async function createLeads(): Promise<number[]> {
  const tags = await Promise.all(['Meta Lead Ads', 'Web Form'].map((name) => admin.refs.tag(name)))
  const ids: number[] = []
  for (let start = 0; start < N; start += 50) {
    const batch = Array.from({ length: Math.min(50, N - start) }, (_, k) => {
      const i = start + k
      return {
        name: `bench scoring ${run} ${i}`,
        contact_name: `عميل ${i}`,
        phone: `+9665${String(10_000_000 + i).padStart(8, '0')}`,
        ...(i % 3 === 0 ? {} : { email_from: `bench.${run}.${i}@example.com` }),
        tag_ids: [[6, 0, [tags[i % 2] as number]]],
        description: `<p>ما_هي_ميزانيتك؟: ${(i % 4) * 25_000} ريال</p><p>timeline: ${i % 2 ? 'this month' : 'next year'}</p>`,
        expected_revenue: (i % 5) * 15_000,
        ...(caps.hasAddon ? { gassistant_flags: i % 7 === 0 ? 'DISPOSABLE_EMAIL' : '' } : {}),
      }
    })
    ids.push(...(await admin.createMany('crm.lead', batch)))
  }
  for (let start = 0; start < ids.length; start += 50) {
    await admin.logNotes('crm.lead', ids.slice(start, start + 50).map((resId) => ({ resId, html: '<p><b>WhatsApp message from WhatsApp</b></p><p>Ref: [bench]</p>' })))
  }
  return ids
}

/** `work` over every id, IN_FLIGHT at a time; seconds taken. */
async function timed(ids: readonly number[], work: (id: number) => Promise<unknown>): Promise<number> {
  const started = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < ids.length) await work(ids[next++] as number)
  }))
  return (performance.now() - started) / 1000
}

/** Baseline: Odoo's own read + write of each lead (the same base fields the score reads; the stars written). */
async function baseline(ids: readonly number[]): Promise<number> {
  const fields = ['name', 'expected_revenue', 'priority', 'user_id', 'contact_name', 'email_from', 'phone', 'tag_ids', 'description']
  const seconds = await timed(ids, async (id) => {
    await admin.searchRead('crm.lead', [['id', '=', id]], { fields, limit: 1 })
    await admin.write('crm.lead', [id], { priority: '1' })
  })
  return ids.length / seconds
}

/** The scoring service on the in-process bus: publishes lead.synced.v1 per id, waits for every lead.scored.v1. */
async function scoreAll(ids: readonly number[], round: string): Promise<{ rate: number; calls: OdooCall[] }> {
  const calls: OdooCall[] = []
  const odoo = createOdooClient({ ...odooOptions, onCall: (call) => calls.push(call) })
  await odoo.connect()
  await odoo.noteValues('crm.lead', '<p>warm-up</p>', undefined) // the note's subtype and author: once per process
  const bus = createMemoryBus()
  let scored = 0
  let allScored: () => void = () => undefined
  const done = new Promise<void>((resolve) => { allScored = resolve })
  const observer = await bus.subscribe({
    service: `bench-observer-${round}`,
    bindings: ['lead.scored.v1'],
    prefetch: 64,
    handler: async () => {
      if (++scored === ids.length) allScored()
      return { kind: 'done' }
    },
  })
  const scoring = createScoring({ bus, odoo, log: createLogger({ service: 'scoring', level: 'warn' }), rules: await loadRules() })
  await scoring.start()
  calls.length = 0 // only what scoring costs (connecting and the note author are once per process)
  const events: AnyEvent[] = ids.map((leadId) => createEvent({
    type: 'lead.synced.v1', source: '/bench', id: `bench:${run}:${round}:${leadId}`,
    data: { outcome: 'created', leadId, externalRef: `bench:${leadId}`, channel: 'meta', sourceEventId: `bench:${leadId}`, flags: [], lead: { name: 'bench' } },
  }))
  const started = performance.now()
  for (const event of events) await bus.publish(event)
  await done
  const seconds = (performance.now() - started) / 1000
  await scoring.stop()
  await observer.cancel()
  await bus.close()
  odoo.close()
  return { rate: ids.length / seconds, calls }
}

function describeCalls(calls: readonly OdooCall[], leads: number): string {
  const byMethod = new Map<string, number>()
  for (const call of calls) byMethod.set(`${call.model}.${call.method}`, (byMethod.get(`${call.model}.${call.method}`) ?? 0) + 1)
  const methods = [...byMethod].map(([name, count]) => `${name} ${count}`).join(', ')
  return `${(calls.length / leads).toFixed(2)} Odoo calls per scored lead (${methods})`
}

const ids = await createLeads()
try {
  await baseline(ids) // warm-up: the first round of either side pays for compiling and connecting
  const before = await baseline(ids)
  // The baseline wrote one star on each lead: the first score writes its stars, score, breakdown and note.
  const first = await scoreAll(ids, 'first')
  const again = await scoreAll(ids, 'again')
  const after = await baseline(ids)
  const base = (before + after) / 2
  out(`baseline  Odoo read + write per lead: ${before.toFixed(1)} /s before, ${after.toFixed(1)} /s after (mean ${base.toFixed(1)} /s)`)
  out(`scoring   first score (read, write with the tier note): ${first.rate.toFixed(1)} leads/s = ${(first.rate / base).toFixed(2)} × baseline; ${describeCalls(first.calls, ids.length)}`)
  out(`scoring   re-score, nothing changed (read only): ${again.rate.toFixed(1)} leads/s = ${(again.rate / base).toFixed(2)} × baseline; ${describeCalls(again.calls, ids.length)}`)
  const worst = Math.max(first.calls.length, again.calls.length) / ids.length
  out(worst <= 2 ? `Odoo calls per scored lead ≤ 2: yes (${worst.toFixed(2)})` : `Odoo calls per scored lead ≤ 2: NO (${worst.toFixed(2)})`)
} finally {
  for (let start = 0; start < ids.length; start += 100) await admin.executeKw('crm.lead', 'unlink', [ids.slice(start, start + 100)])
  admin.close()
  await standIn?.close()
}
