// `pnpm bench:pipeline`: leads per second end to end — a signed Meta webhook posted to the ingress →
// the lead in the Odoo stand-in — and Odoo calls per lead. In-process bus by default, RabbitMQ when
// AMQP_URL is set. BENCH_LEADS (default 300) distinct leads, BENCH_CONCURRENCY (default 20) posters.
import { createHmac, randomUUID } from 'node:crypto'
import { createAmqpBus, createMemoryBus } from '@gassistant/bus'
import { buildApp } from '@gassistant/ingress'
import { createOdooClient } from '@gassistant/odoo'
import { createLogger, createMetrics } from '@gassistant/runtime'
import { startGraphStandIn, startOdooStandIn } from '@gassistant/sandbox'
import { createGraphClient } from '../src/graph/client.js'
import { createLeadProcessor } from '../src/service.js'

const N = Number(process.env['BENCH_LEADS'] ?? 300)
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 20)
const SECRET = 'test-app-secret'
const PAGE = '104857600112233'
const log = createLogger({ service: 'bench', level: 'warn' })
const out = (line: string): void => void process.stdout.write(`${line}\n`)

const odooServer = await startOdooStandIn({ addonInstalled: true })
const graphServer = await startGraphStandIn({ appSecret: SECRET, pageTokens: { [PAGE]: 'bench-token' } })
const amqpUrl = process.env['AMQP_URL']
const bus = amqpUrl ? await createAmqpBus({ url: amqpUrl, exchange: `bench.${randomUUID().slice(0, 8)}` }) : createMemoryBus()
const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password })
const processor = createLeadProcessor({
  bus, odoo, log,
  graph: createGraphClient({ baseUrl: graphServer.url, appSecret: SECRET, pageTokens: () => ({ [PAGE]: 'bench-token' }) }),
  config: { defaultRegion: 'SA', formMapping: {}, doNotCall: new Set(), testLeads: 'flag', leadType: 'lead', userId: undefined, repeatWindowMs: 30 * 86_400_000, lockTimeoutMs: 15_000, prefetch: 50, service: amqpUrl ? `bench-lp-${randomUUID().slice(0, 8)}` : 'lead-processor' },
})
await processor.start()
const app = await buildApp({
  bus, log, metrics: createMetrics('ingress', { defaultMetrics: false }),
  config: { meta: { appSecret: SECRET, verifyToken: 'x' }, whatsapp: { appSecret: SECRET, verifyToken: 'x' }, odoo: { webhookSecret: 'bench-odoo-secret' }, forms: {}, trustProxy: [], bodyLimit: 1_048_576, rateLimit: { max: 1_000_000, windowMs: 60_000 } },
})
const base = await app.listen({ port: 0, host: '127.0.0.1' })

for (let i = 0; i < N; i++) {
  graphServer.addLead({
    id: String(2300000000000000 + i), created_time: '2026-01-08T10:29:59+0000', form_id: '987654321098765', page_id: PAGE, platform: i % 2 ? 'ig' : 'fb', is_organic: false, campaign_name: 'حملة رمضان 2026',
    field_data: [{ name: 'full_name', values: [`عميل ${i}`] }, { name: 'email', values: [`bench${i}@example.com`] }, { name: 'phone_number', values: [`05${String(50_000_000 + i * 37).padStart(8, '0')}`] }],
  })
}
odooServer.calls.reset()
const started = performance.now()
let next = 0
async function poster(): Promise<void> {
  while (next < N) {
    const i = next++
    const body = JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: 1767868201, changes: [{ field: 'leadgen', value: { leadgen_id: String(2300000000000000 + i), page_id: PAGE, form_id: '987654321098765', created_time: 1767868199 } }] }] })
    const res = await fetch(`${base}/webhooks/meta`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } })
    if (!res.ok) throw new Error(`ingress answered ${res.status}`)
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, poster))
const accepted = performance.now()
while (odooServer.records('crm.lead').length < N) await new Promise((r) => setTimeout(r, 10))
const done = performance.now()
const calls = odooServer.calls
out(`pipeline benchmark: ${N} signed Meta webhooks → ${N} leads (${amqpUrl ? 'RabbitMQ' : 'in-process bus'}, Odoo stand-in with addon)`)
out(`  webhooks accepted in ${((accepted - started) / 1000).toFixed(2)} s`)
out(`  all leads in Odoo after ${((done - started) / 1000).toFixed(2)} s → ${(N / ((done - started) / 1000)).toFixed(1)} leads/s end to end`)
out(`  Odoo calls: ${calls.total} (${(calls.total / N).toFixed(2)} per lead); crm.lead.create calls ${calls.count('crm.lead', 'create')} for ${N} leads`)
out(`  by method: ${JSON.stringify(calls.byKey())}`)
await app.close()
await processor.stop()
await bus.close()
odoo.close()
await graphServer.close()
await odooServer.close()
