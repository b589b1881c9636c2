// `pnpm start`: the whole hub in one process for a laptop. Uses the in-process bus when AMQP_URL is
// unset and the sandbox stand-ins for Odoo and the Graph API when ODOO_URL / GRAPH_API_URL are unset
// (with test secrets, printed), then prints where to send webhooks. Never used in production: there
// every service runs from its own main.ts with real RabbitMQ and Odoo.
import { createAmqpBus, createMemoryBus, type Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createLogger, createMetrics, onShutdown } from '@gassistant/runtime'
import { startGraphStandIn, startOdooStandIn } from '@gassistant/sandbox'
import { createGraphClient, createLeadProcessor, processingConfigFrom } from '@gassistant/lead-processor'
import { LOCAL, SAMPLE_META_LEADS } from './local.js'

const env = process.env
const log = createLogger({ service: 'hub', level: env['LOG_LEVEL'] ?? 'info' })
const out = (line: string): void => void process.stdout.write(`${line}\n`)
const closers: (() => Promise<unknown> | unknown)[] = []

const bus: Bus = env['AMQP_URL'] ? await createAmqpBus({ url: env['AMQP_URL'], log }) : createMemoryBus({ log })
closers.push(() => bus.close({ deadlineMs: 5_000 }))

let odooOptions = { url: env['ODOO_URL'] ?? '', db: env['ODOO_DB'] ?? '', username: env['ODOO_USER'] ?? '', password: env['ODOO_PASSWORD'] ?? '' }
if (!env['ODOO_URL']) {
  const odooServer = await startOdooStandIn({ addonInstalled: true, port: Number(env['ODOO_STANDIN_PORT'] ?? LOCAL.odooPort), db: LOCAL.odooDb })
  closers.push(() => odooServer.close())
  odooOptions = { url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password }
}
const appSecret = env['META_APP_SECRET'] ?? LOCAL.metaAppSecret
const pageTokens: Record<string, string> = env['META_PAGE_TOKENS'] ? (JSON.parse(env['META_PAGE_TOKENS']) as Record<string, string>) : { [LOCAL.pageId]: LOCAL.pageToken }
let graphUrl = env['GRAPH_API_URL'] ?? ''
if (!graphUrl) {
  const graphServer = await startGraphStandIn({ appSecret, pageTokens, port: Number(env['GRAPH_STANDIN_PORT'] ?? LOCAL.graphPort) })
  for (const lead of SAMPLE_META_LEADS) graphServer.addLead(lead)
  closers.push(() => graphServer.close())
  graphUrl = graphServer.url
}

const odoo = createOdooClient({ ...odooOptions, log })
closers.push(() => odoo.close())
const processor = createLeadProcessor({
  bus,
  odoo,
  graph: createGraphClient({ baseUrl: graphUrl, appSecret, pageTokens: () => pageTokens }),
  log: createLogger({ service: 'lead-processor', level: env['LOG_LEVEL'] ?? 'info' }),
  metrics: createMetrics('lead-processor', { defaultMetrics: false }),
  config: await processingConfigFrom({
    DEFAULT_PHONE_REGION: env['DEFAULT_PHONE_REGION'] ?? 'SA',
    TEST_LEADS: env['TEST_LEADS'] === 'reject' ? 'reject' : 'flag',
    LEAD_TYPE: env['LEAD_TYPE'] === 'opportunity' ? 'opportunity' : 'lead',
    REPEAT_WINDOW_DAYS: Number(env['REPEAT_WINDOW_DAYS'] ?? 30),
    LOCK_TIMEOUT_MS: 15_000,
    ...(env['FORM_MAPPING_FILE'] ? { FORM_MAPPING_FILE: env['FORM_MAPPING_FILE'] } : {}),
    ...(env['DO_NOT_CALL_FILE'] ? { DO_NOT_CALL_FILE: env['DO_NOT_CALL_FILE'] } : {}),
  }),
})
await processor.start()
closers.push(() => processor.stop())

// The ingress: the only public HTTP surface. Loaded by name so the rest of the hub still runs while
// the ingress package is being built (it then says so on one line).
const port = Number(env['PORT'] ?? LOCAL.hubPort)
try {
  const ingressPackage = '@gassistant/ingress'
  const ingress = (await import(ingressPackage)) as {
    buildApp(deps: Record<string, unknown>): Promise<{ listen(o: { port: number; host: string }): Promise<string>; close(): Promise<void> }>
  }
  const app = await ingress.buildApp({
    bus,
    log: createLogger({ service: 'ingress', level: env['LOG_LEVEL'] ?? 'info' }),
    metrics: createMetrics('ingress', { defaultMetrics: false }),
    config: {
      meta: { appSecret, verifyToken: env['META_VERIFY_TOKEN'] ?? LOCAL.metaVerifyToken },
      whatsapp: { appSecret: env['WHATSAPP_APP_SECRET'] ?? appSecret, verifyToken: env['WHATSAPP_VERIFY_TOKEN'] ?? env['META_VERIFY_TOKEN'] ?? LOCAL.metaVerifyToken },
      odoo: { webhookSecret: env['ODOO_WEBHOOK_SECRET'] ?? LOCAL.odooWebhookSecret },
      forms: { [LOCAL.formKey]: { secret: LOCAL.formSecret } },
      trustProxy: [],
      bodyLimit: 1_048_576,
      rateLimit: { max: 10_000, windowMs: 60_000 },
    },
  })
  await app.listen({ port, host: env['HOST'] ?? '127.0.0.1' })
  closers.push(() => app.close())
} catch (err) {
  log.error({ err: (err as Error).message }, 'ingress not started (package not ready?): webhooks cannot be received')
}

const base = `http://127.0.0.1:${port}`
out('')
out('G-Assistant Lead Hub is running (local mode)')
out(`  bus:        ${env['AMQP_URL'] ? 'RabbitMQ' : 'in-process (AMQP_URL unset)'}`)
out(`  Odoo:       ${odooOptions.url} db=${odooOptions.db}${env['ODOO_URL'] ? '' : ` (stand-in; login ${odooOptions.username} / ${odooOptions.password})`}`)
out(`  Graph API:  ${graphUrl}${env['GRAPH_API_URL'] ? '' : ' (stand-in)'}`)
if (!env['META_APP_SECRET']) out(`  test secrets: META_APP_SECRET=${LOCAL.metaAppSecret} META_VERIFY_TOKEN=${LOCAL.metaVerifyToken} ODOO_WEBHOOK_SECRET=${LOCAL.odooWebhookSecret} form "${LOCAL.formKey}" secret ${LOCAL.formSecret}`)
out('Send webhooks to:')
out(`  Meta Lead Ads  POST ${base}/webhooks/meta`)
out(`  WhatsApp       POST ${base}/webhooks/whatsapp`)
out(`  Web forms      POST ${base}/webhooks/forms/${LOCAL.formKey}`)
out(`  Odoo addon     POST ${base}/webhooks/odoo`)
out('Try it: pnpm demo')

onShutdown(async () => {
  for (const close of closers.reverse()) await close()
}, { log })
