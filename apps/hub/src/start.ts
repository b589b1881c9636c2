// `pnpm start`: the whole hub in one process for a laptop. Uses the in-process bus when AMQP_URL is
// unset and the sandbox stand-ins for Odoo and the Graph API when ODOO_URL / GRAPH_API_URL are unset
// (with test secrets, printed), then prints where to send webhooks. Each service reads its settings
// through its own schema, exactly as its container does. Never used in production: there every
// service runs from its own main.ts with real RabbitMQ and Odoo.
import { HUB_QUEUES, createAmqpBus, createMemoryBus, type Bus } from '@gassistant/bus'
import { buildApp, loadIngressEnv } from '@gassistant/ingress'
import { LeadProcessorEnv, SERVICE as PROCESSOR, createGraphClient, createLeadProcessor, processingConfigFrom } from '@gassistant/lead-processor'
import { createOdooClient } from '@gassistant/odoo'
import { createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { startGraphStandIn, startOdooStandIn } from '@gassistant/sandbox'
import Type from 'typebox'
import { LOCAL, SAMPLE_META_LEADS } from './local.js'

const out = (line: string): void => void process.stdout.write(`${line}\n`)

/** Local defaults under whatever the user set: secrets of the samples, the stand-ins' credentials. */
const localDefaults: Record<string, string> = {
  META_APP_SECRET: LOCAL.metaAppSecret,
  META_VERIFY_TOKEN: LOCAL.metaVerifyToken,
  ODOO_WEBHOOK_SECRET: LOCAL.odooWebhookSecret,
  FORM_SECRETS: JSON.stringify({ [LOCAL.formKey]: { secret: LOCAL.formSecret } }),
  META_PAGE_TOKENS: JSON.stringify({ [LOCAL.pageId]: LOCAL.pageToken }),
  PORT: String(LOCAL.hubPort),
  HOST: '127.0.0.1',
}

await runMain(async () => {
  const env: Record<string, string | undefined> = { ...localDefaults, ...process.env }
  const level = env['LOG_LEVEL'] ?? 'info'
  const log = createLogger({ service: 'hub', level })
  const closers: (() => Promise<unknown> | unknown)[] = []
  onShutdown(async () => {
    for (const close of closers.reverse()) await close()
  }, { log })

  if (!env['ODOO_URL']) {
    const odoo = await startOdooStandIn({ addonInstalled: true, port: LOCAL.odooPort, db: LOCAL.odooDb })
    closers.push(() => odoo.close())
    Object.assign(env, { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.username, ODOO_PASSWORD: odoo.password })
  }
  if (!env['GRAPH_API_URL']) {
    const pageTokens = JSON.parse(env['META_PAGE_TOKENS'] ?? '{}') as Record<string, string>
    const graph = await startGraphStandIn({ appSecret: env['META_APP_SECRET'] ?? '', pageTokens, port: LOCAL.graphPort })
    for (const lead of SAMPLE_META_LEADS) graph.addLead(lead)
    closers.push(() => graph.close())
    env['GRAPH_API_URL'] = graph.url
  }

  const bus: Bus = env['AMQP_URL']
    ? await createAmqpBus({ url: env['AMQP_URL'], log, connectionName: 'hub', declare: HUB_QUEUES })
    : createMemoryBus({ log, declare: HUB_QUEUES })
  closers.push(() => bus.close({ deadlineMs: 5_000 }))

  // The bus is chosen above, so the processor's schema is read without its AMQP_URL.
  const processorEnv = loadConfig(Type.Omit(LeadProcessorEnv, ['AMQP_URL']), env)
  const odoo = createOdooClient({ url: processorEnv.ODOO_URL, db: processorEnv.ODOO_DB, username: processorEnv.ODOO_USER, password: processorEnv.ODOO_PASSWORD, log })
  closers.push(() => odoo.close())
  const processor = createLeadProcessor({
    bus,
    odoo,
    graph: createGraphClient({ baseUrl: processorEnv.GRAPH_API_URL, appSecret: processorEnv.META_APP_SECRET, pageTokens: () => processorEnv.META_PAGE_TOKENS }),
    log: createLogger({ service: PROCESSOR, level }),
    metrics: createMetrics(PROCESSOR, { defaultMetrics: false }),
    config: await processingConfigFrom(processorEnv),
  })
  await processor.start()
  closers.push(() => processor.stop())

  const ingressEnv = loadIngressEnv(env)
  const ingress = await buildApp({
    bus,
    config: ingressEnv.config,
    log: createLogger({ service: 'ingress', level }),
    metrics: createMetrics('ingress', { defaultMetrics: false }),
  })
  closers.push(() => ingress.close())
  await ingress.listen({ port: ingressEnv.env.PORT, host: ingressEnv.env.HOST })

  const base = `http://${ingressEnv.env.HOST}:${ingressEnv.env.PORT}`
  const standIn = (variable: string) => (process.env[variable] ? '' : ' (stand-in)')
  out('')
  out('G-Assistant Lead Hub is running (local mode)')
  out(`  bus:        ${env['AMQP_URL'] ? 'RabbitMQ' : 'in-process (AMQP_URL unset)'}`)
  out(`  Odoo:       ${processorEnv.ODOO_URL} db=${processorEnv.ODOO_DB}${standIn('ODOO_URL')}`)
  out(`  Graph API:  ${processorEnv.GRAPH_API_URL}${standIn('GRAPH_API_URL')}`)
  // Only the samples' own test secrets are shown: a secret the user set never reaches the terminal.
  const defaulted = ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'ODOO_WEBHOOK_SECRET', 'FORM_SECRETS'].filter((name) => !process.env[name])
  if (defaulted.length > 0) out(`  test secrets: ${defaulted.map((name) => `${name}=${localDefaults[name] ?? ''}`).join(' ')}`)
  out('Send webhooks to:')
  out(`  Meta Lead Ads  POST ${base}/webhooks/meta`)
  out(`  WhatsApp       POST ${base}/webhooks/whatsapp`)
  out(`  Web forms      POST ${base}/webhooks/forms/${LOCAL.formKey}`)
  out(`  Odoo addon     POST ${base}/webhooks/odoo`)
  out('Try it: pnpm demo    Stop: Ctrl+C')
}, { service: 'hub' })
