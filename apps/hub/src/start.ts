// `pnpm start`: the whole hub in one process for a laptop. Uses the in-process bus when AMQP_URL is
// unset and the sandbox stand-ins for Odoo, the Graph API and Slack when ODOO_URL / GRAPH_API_URL / SLACK_API_URL are unset
// (with test secrets, printed), then prints where to send webhooks and where each service's health and
// metrics are served. The dashboard reads the hub's own log stream in-process: every logger writes its lines
// to stdout and into the dashboard's log store. Each service is read through its own settings schema and built by its own wiring
// function — the very ones its container's main.ts uses. Never used in production: there every service
// runs from its own main.ts with real RabbitMQ and Odoo.
import { randomBytes } from 'node:crypto'
import { createAmqpBus, createMemoryBus, describeBroker, type Bus } from '@gassistant/bus'
import { DashboardSettings, LogStore, SERVICE as DASHBOARD, hashPassword, wireDashboard } from '@gassistant/dashboard'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { IngressSettings, wireIngress } from '@gassistant/ingress'
import { LeadProcessorSettings, SERVICE as PROCESSOR, wireLeadProcessor } from '@gassistant/lead-processor'
import { NotifierSettings, SERVICE as NOTIFIER, loadRoutes, wireNotifier } from '@gassistant/notifier'
import { ScoringSettings, SERVICE as SCORING, loadRules, wireScoring } from '@gassistant/scoring'
import { WorkflowRulesSettings, SERVICE as WORKFLOW_RULES, loadRules as loadWorkflowRules, wireWorkflowRules } from '@gassistant/workflow-rules'
import { AmqpUrl, LogLevel, createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { startGraphStandIn, startOdooStandIn, startSlackStandIn } from '@gassistant/sandbox'
import Type from 'typebox'
import { DEFAULT_PORT, LOCAL, MAX_PORT, SAMPLE_META_LEADS, localPorts } from './local.js'

const INGRESS = 'ingress'
const out = (line: string): void => void process.stdout.write(`${line}\n`)

/** The hub's own settings; each service's are read by its own schema below. */
const HubEnv = Type.Object({
  /** Unset: the in-process bus. */
  AMQP_URL: Type.Optional(AmqpUrl),
  LOG_LEVEL: LogLevel,
  /** The ingress's port; the others follow it (see localPorts). */
  PORT: Type.Integer({ minimum: 0, maximum: MAX_PORT, default: DEFAULT_PORT }),
  HOST: Type.String({ default: '127.0.0.1' }),
})

/** What the stand-ins provide when unset; every other variable is checked before anything starts. */
const STAND_IN_VARIABLES = ['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_PASSWORD', 'GRAPH_API_URL'] as const

/** Local defaults under whatever the user set: secrets of the samples, the stand-ins' page token. */
const localDefaults: Record<string, string> = {
  META_APP_SECRET: LOCAL.metaAppSecret,
  META_VERIFY_TOKEN: LOCAL.metaVerifyToken,
  ODOO_WEBHOOK_SECRET: LOCAL.odooWebhookSecret,
  FORM_SECRETS: JSON.stringify({ [LOCAL.formKey]: { secret: LOCAL.formSecret } }),
  META_PAGE_TOKENS: JSON.stringify({ [LOCAL.pageId]: LOCAL.pageToken }),
  SLACK_SIGNING_SECRET: LOCAL.slackSigningSecret,
  SLACK_DEFAULT_CHANNEL: LOCAL.slackDefaultChannel,
}

await runMain(async () => {
  const env: Record<string, string | undefined> = { ...localDefaults, ...process.env }
  const hub = loadConfig(HubEnv, env)
  const ports = localPorts(hub.PORT)
  const ingressSettings = loadConfig(IngressSettings, { ...env, PORT: String(ports.ingress), HOST: hub.HOST })
  const processorEnv: Record<string, string | undefined> = { ...env, PORT: String(ports.processor), HOST: hub.HOST }
  const early = loadConfig(Type.Omit(LeadProcessorSettings, STAND_IN_VARIABLES), processorEnv)
  const scoringRules = await loadRules(env['SCORING_RULES_FILE'] || undefined)
  const workflowRules = await loadWorkflowRules(env['WORKFLOW_RULES_FILE'] || undefined)
  const slackRoutes = await loadRoutes(env['SLACK_ROUTES_FILE'] || undefined)

  // Every line goes to stdout as in a container, and into the dashboard's store (its in-process log stream).
  const logStore = new LogStore()
  const destination = {
    write(line: string) {
      process.stdout.write(line)
      logStore.ingestLine(line)
    },
  }
  const log = createLogger({ service: 'hub', level: hub.LOG_LEVEL, destination })
  const closers: (() => Promise<unknown> | unknown)[] = []
  onShutdown(async () => {
    for (const close of closers.reverse()) await close()
  }, { log })

  if (!env['ODOO_URL']) {
    const odoo = await startOdooStandIn({ addonInstalled: true, port: ports.odoo, db: LOCAL.odooDb })
    closers.push(() => odoo.close())
    Object.assign(processorEnv, { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.username, ODOO_PASSWORD: odoo.password })
  }
  if (!env['GRAPH_API_URL']) {
    const graph = await startGraphStandIn({ appSecret: early.META_APP_SECRET, pageTokens: early.META_PAGE_TOKENS, port: ports.graph })
    for (const lead of SAMPLE_META_LEADS) graph.addLead(lead)
    closers.push(() => graph.close())
    processorEnv['GRAPH_API_URL'] = graph.url
  }
  const processorSettings = loadConfig(LeadProcessorSettings, processorEnv)
  // The notifier reads the same Odoo (a rep opens it at ODOO_PUBLIC_URL, by default the same URL) and posts to
  // the Slack stand-in unless SLACK_API_URL is set.
  const notifierEnv: Record<string, string | undefined> = { ODOO_PUBLIC_URL: processorSettings.ODOO_URL, ...processorEnv, PORT: String(ports.notifier) }
  if (!env['SLACK_API_URL']) {
    // The stand-in's own token: a real Slack (SLACK_API_URL set) needs the user's SLACK_BOT_TOKEN.
    notifierEnv['SLACK_BOT_TOKEN'] ||= LOCAL.slackBotToken
    const slack = await startSlackStandIn({ token: notifierEnv['SLACK_BOT_TOKEN'], port: ports.slack })
    closers.push(() => slack.close())
    notifierEnv['SLACK_API_URL'] = slack.url
  }
  const notifierSettings = loadConfig(NotifierSettings, notifierEnv)

  const bus: Bus = hub.AMQP_URL
    ? await createAmqpBus({ url: hub.AMQP_URL, log, connectionName: 'hub', declare: Object.values(HUB_TOPOLOGY) })
    : createMemoryBus({ log, declare: Object.values(HUB_TOPOLOGY) })
  closers.push(() => bus.close({ deadlineMs: 5_000 }))

  // One registry per service, served on that service's own port as in its container; the process
  // metrics (CPU, memory, event loop) once, with the ingress's.
  const processor = await wireLeadProcessor(processorSettings, {
    bus,
    log: createLogger({ service: PROCESSOR, level: processorSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(PROCESSOR, { defaultMetrics: false }),
    ...(hub.AMQP_URL === undefined ? {} : { amqpUrl: hub.AMQP_URL }),
  })
  const processorUrl = await processor.start()
  closers.push(() => processor.stop())
  // The scoring service reads the same Odoo as the lead-processor (the stand-in's, when ODOO_URL is unset).
  const scoringSettings = loadConfig(ScoringSettings, { ...processorEnv, PORT: String(ports.scoring) })
  const scoring = await wireScoring(scoringSettings, {
    bus,
    log: createLogger({ service: SCORING, level: scoringSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(SCORING, { defaultMetrics: false }),
    rules: scoringRules,
  })
  const scoringUrl = await scoring.start()
  closers.push(() => scoring.stop())
  // The workflow rules act on the same Odoo and sweep it for due timers.
  const rulesSettings = loadConfig(WorkflowRulesSettings, { ...processorEnv, PORT: String(ports.workflowRules) })
  const rulesService = await wireWorkflowRules(rulesSettings, {
    bus,
    log: createLogger({ service: WORKFLOW_RULES, level: rulesSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(WORKFLOW_RULES, { defaultMetrics: false }),
    rules: workflowRules,
  })
  const rulesUrl = await rulesService.start()
  closers.push(() => rulesService.stop())
  const notifier = await wireNotifier(notifierSettings, {
    bus,
    log: createLogger({ service: NOTIFIER, level: notifierSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(NOTIFIER, { defaultMetrics: false }),
    routes: slackRoutes,
  })
  const notifierUrl = await notifier.start()
  closers.push(() => notifier.stop())
  const ingress = await wireIngress(ingressSettings, {
    bus,
    log: createLogger({ service: INGRESS, level: ingressSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(INGRESS),
  })
  const ingressUrl = await ingress.start()
  closers.push(() => ingress.stop())
  // The dashboard: the hub's own log stream, the services' probes, the bus's dead letters, the same Odoo.
  // Without DASHBOARD_PASSWORD_HASH a password is made up for this run and printed.
  const dashboardPassword = env['DASHBOARD_PASSWORD_HASH'] ? undefined : randomBytes(9).toString('base64url')
  const dashboardSettings = loadConfig(DashboardSettings, {
    DASHBOARD_SECURE_COOKIE: 'false',
    DASHBOARD_SESSION_SECRET: randomBytes(32).toString('hex'),
    ...processorEnv,
    ...(dashboardPassword === undefined ? {} : { DASHBOARD_PASSWORD_HASH: await hashPassword(dashboardPassword) }),
    DASHBOARD_SERVICES: JSON.stringify({ [INGRESS]: ingressUrl, [PROCESSOR]: processorUrl, [SCORING]: scoringUrl, [WORKFLOW_RULES]: rulesUrl, [NOTIFIER]: notifierUrl }),
    PORT: String(ports.dashboard),
    HOST: hub.HOST,
  })
  const dashboard = await wireDashboard(dashboardSettings, {
    log: createLogger({ service: DASHBOARD, level: dashboardSettings.LOG_LEVEL, destination }),
    metrics: createMetrics(DASHBOARD, { defaultMetrics: false }),
    store: logStore,
    deadLetters: { bus: bus.deadLetters },
  })
  const dashboardUrl = await dashboard.start()
  closers.push(() => dashboard.stop())

  const standIn = (variable: string) => (process.env[variable] ? '' : ' (stand-in)')
  out('')
  out('G-Assistant Lead Hub is running (local mode)')
  out(`  bus:        ${hub.AMQP_URL ? `RabbitMQ at ${describeBroker(hub.AMQP_URL)}` : 'in-process (AMQP_URL unset; its dead letters live in this process)'}`)
  out(`  Odoo:       ${processorSettings.ODOO_URL} db=${processorSettings.ODOO_DB}${standIn('ODOO_URL')}`)
  out(`  Graph API:  ${processorSettings.GRAPH_API_URL}${standIn('GRAPH_API_URL')}`)
  const reconcile = processorSettings.META_RECONCILE_INTERVAL_MINUTES > 0
    ? `reconciled every ${processorSettings.META_RECONCILE_INTERVAL_MINUTES} min over ${processorSettings.META_RECONCILE_WINDOW_HOURS} h`
    : 'not reconciled (META_RECONCILE_INTERVAL_MINUTES=0)'
  const feedback = processorSettings.META_DATASET_ID && processorSettings.META_CAPI_TOKEN ? `stages sent to dataset ${processorSettings.META_DATASET_ID}` : 'no conversion feedback (META_DATASET_ID unset)'
  out(`  Meta leads: ${reconcile}; ${feedback}`)
  out(`  Slack:      ${notifierSettings.SLACK_API_URL ?? ''}${standIn('SLACK_API_URL')} default channel ${notifierSettings.SLACK_DEFAULT_CHANNEL}`)
  // Only the samples' own test secrets are shown: a secret the user set never reaches the terminal.
  const defaulted = ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'ODOO_WEBHOOK_SECRET', 'FORM_SECRETS', 'SLACK_SIGNING_SECRET'].filter((name) => !process.env[name])
  if (defaulted.length > 0) out(`  test secrets: ${defaulted.map((name) => `${name}=${localDefaults[name] ?? ''}`).join(' ')}`)
  out('Send webhooks to:')
  out(`  Meta Lead Ads  POST ${ingressUrl}/webhooks/meta`)
  out(`  WhatsApp       POST ${ingressUrl}/webhooks/whatsapp`)
  out(`  Web forms      POST ${ingressUrl}/webhooks/forms/${LOCAL.formKey}`)
  out(`  Odoo addon     POST ${ingressUrl}/webhooks/odoo`)
  out(`  Slack buttons  POST ${ingressUrl}/webhooks/slack/interactivity`)
  out('Health and metrics, each service on its own port as in its container (/healthz /readyz /metrics):')
  out(`  ${INGRESS.padEnd(15)}${ingressUrl}/metrics`)
  out(`  ${PROCESSOR.padEnd(15)}${processorUrl}/metrics`)
  out(`  ${SCORING.padEnd(15)}${scoringUrl}/metrics`)
  out(`  ${WORKFLOW_RULES.padEnd(15)}${rulesUrl}/metrics`)
  out(`  ${NOTIFIER.padEnd(15)}${notifierUrl}/metrics`)
  out(`  ${DASHBOARD.padEnd(15)}${dashboardUrl}/metrics`)
  out(`Dashboard: ${dashboardUrl}/  (user admin${dashboardPassword === undefined ? ', the password of DASHBOARD_PASSWORD_HASH' : `, password ${dashboardPassword} for this run`})`)
  out('Try it: pnpm demo    Stop: Ctrl+C')
}, { service: 'hub' })
