// `pnpm hub meta backfill|reconcile|tokens`: the operator's side of the Meta round trip, on the same code as
// the lead-processor's scheduled reconciliation (one Graph client, one reconciler). `backfill` publishes the
// webhook's own event for every lead of a page (or one form) since a date that Odoo lacks, with a progress
// bar and a summary; `reconcile` only compares, per form, what Meta has with what Odoo has and lists the
// missing leadgen ids; `tokens` checks every page token. Reads the lead-processor's variables (GRAPH_API_URL,
// META_APP_SECRET, META_PAGE_TOKENS, ODOO_*, and AMQP_URL for backfill). Must never print a token, a
// password or a lead's personal data: ids, names of forms and pages, counts and Graph's error codes only.
import { setTimeout as sleep } from 'node:timers/promises'
import { createAmqpBus, describeBroker, type Bus } from '@gassistant/bus'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { GraphError, LeadProcessorEnv, createGraphClient, createReconciler, createThrottle, type FormReport, type ReconcileProgress, type ReconcileSummary } from '@gassistant/lead-processor'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { ConfigError, createLogger, loadConfig } from '@gassistant/runtime'
import Type from 'typebox'
import { UsageError, readArgs, type CommandGroup, type CommandIo } from './command.js'

export const USAGE = 'meta backfill --page <id> [--form <id>] --since <date> | meta reconcile --since <date> [--page <id>] | meta tokens'

export type MetaCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'backfill'; readonly page: string; readonly form?: string; readonly since: Date }
  | { readonly kind: 'reconcile'; readonly since: Date; readonly page?: string }
  | { readonly kind: 'tokens' }

const ID = /^[0-9]+$/

function date(value: string | undefined, action: string): Date {
  if (value === undefined) throw new UsageError(`meta ${action} needs --since <date>, e.g. --since 2026-01-08`)
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value)
  if (!Number.isFinite(at)) throw new UsageError(`--since must be a date (2026-01-08) or a time (2026-01-08T10:00:00Z): ${value}`)
  return new Date(at)
}

function id(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !ID.test(value)) throw new UsageError(`${flag} must be a numeric Meta id: ${value}`)
  return value
}

/** Pure: the arguments after `hub` (starting with `meta`), to the command they ask for. Throws UsageError. */
export function parseMetaCommand(argv: readonly string[]): MetaCommand {
  const { values, positionals } = readArgs(argv, { page: { type: 'string' }, form: { type: 'string' }, since: { type: 'string' } })
  if (values.help === true) return { kind: 'help' }
  const [group, action, ...extra] = positionals
  if (group !== 'meta') throw new UsageError(group === undefined ? 'missing command' : `unknown command: ${group}`)
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`)
  const page = id(values.page, '--page')
  const form = id(values.form, '--form')
  switch (action) {
    case 'backfill':
      if (page === undefined) throw new UsageError('meta backfill needs --page <id>')
      return { kind: 'backfill', page, ...(form === undefined ? {} : { form }), since: date(values.since, action) }
    case 'reconcile':
      if (form !== undefined) throw new UsageError('--form only applies to meta backfill')
      return { kind: 'reconcile', since: date(values.since, action), ...(page === undefined ? {} : { page }) }
    case 'tokens':
      if (page !== undefined || form !== undefined || values.since !== undefined) throw new UsageError('meta tokens takes no options')
      return { kind: 'tokens' }
    case undefined:
      throw new UsageError('missing action: backfill, reconcile or tokens')
    default:
      throw new UsageError(`unknown action: meta ${action}`)
  }
}

const GraphEnv = Type.Pick(LeadProcessorEnv, ['GRAPH_API_URL', 'META_APP_SECRET', 'META_PAGE_TOKENS'])
const OdooEnv = Type.Pick(LeadProcessorEnv, ['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_PASSWORD'])
const BusEnv = Type.Pick(LeadProcessorEnv, ['AMQP_URL'])

const BAR_WIDTH = 24

/** `[██████░░░░] 2/3 forms · 420 leads read · 120 published`: redrawn in place on a terminal, a line per form otherwise. */
export function progressLine(p: ReconcileProgress): string {
  const done = p.formsTotal === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * p.formsDone) / p.formsTotal)
  return `[${'█'.repeat(done)}${'░'.repeat(BAR_WIDTH - done)}] ${p.formsDone}/${p.formsTotal} forms · ${p.leadsRead} leads read · ${p.published} published`
}

function progressBar(io: CommandIo): (p: ReconcileProgress) => void {
  const tty = process.stderr.isTTY === true
  let lastDone = -1
  return (p) => {
    if (tty) process.stderr.write(`\r${progressLine(p)}${p.formsDone === p.formsTotal ? '\n' : ''}`)
    else if (p.formsDone !== lastDone) io.err(progressLine(p))
    lastDone = p.formsDone
  }
}

const formLabel = (f: FormReport): string => `form ${f.formId}${f.formName === undefined ? '' : ` (${f.formName})`}`

function printSummary(summary: ReconcileSummary, kind: 'backfill' | 'reconcile', io: CommandIo): void {
  for (const pageError of summary.pageErrors) io.out(`page ${pageError.pageId}: ${pageError.tokenExpired ? 'TOKEN EXPIRED or invalid — ' : ''}${pageError.error}`)
  for (const f of summary.forms) {
    const counts = `Meta ${f.metaLeads}, Odoo ${f.inOdoo}, missing ${f.missing.length}`
    if (kind === 'backfill') io.out(`${formLabel(f)}: ${counts}, published ${f.published}${f.error === undefined ? '' : ` — stopped: ${f.error}`}`)
    else {
      io.out(`${formLabel(f)}: ${counts}${f.error === undefined ? '' : ` (incomplete: ${f.error})`}`)
      if (f.missing.length > 0) io.out(`  missing: ${f.missing.join(' ')}`)
    }
  }
  const failed = summary.forms.filter((f) => f.error !== undefined).length
  if (kind === 'backfill') {
    io.out(`backfill: ${summary.forms.length} form(s), ${summary.leadsRead} lead(s) read, ${summary.published} published for the lead-processor${failed > 0 ? `, ${failed} form(s) stopped (run again)` : ''}`)
  } else {
    const missing = summary.forms.reduce((n, f) => n + f.missing.length, 0)
    io.out(`reconcile: ${summary.forms.length} form(s), Meta ${summary.leadsRead}, missing from Odoo ${missing}${failed > 0 ? `, ${failed} form(s) incomplete` : ''}`)
  }
}

async function tokens(env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  const settings = loadConfig(GraphEnv, env)
  const graph = createGraphClient({ baseUrl: settings.GRAPH_API_URL, appSecret: settings.META_APP_SECRET, pageTokens: () => settings.META_PAGE_TOKENS })
  const pages = Object.keys(settings.META_PAGE_TOKENS)
  if (pages.length === 0) {
    io.err('error: META_PAGE_TOKENS lists no page')
    return 2
  }
  let bad = 0
  for (const pageId of pages) {
    try {
      const page = await graph.getPage(pageId)
      io.out(`page ${pageId}${page.name === undefined ? '' : ` (${page.name})`}: token valid`)
    } catch (err) {
      if (!(err instanceof GraphError)) throw err
      bad += 1
      const code = `Graph code ${err.graphCode ?? '?'}${err.graphSubcode === undefined ? '' : `/${err.graphSubcode}`}`
      io.out(`page ${pageId}: ${err.code === 'GRAPH_TOKEN_INVALID' ? `token EXPIRED or invalid (${code}): put a new page token in META_PAGE_TOKENS` : `cannot check (${err.code}, ${code})`}`)
    }
  }
  io.out(`${pages.length - bad} of ${pages.length} page token(s) valid`)
  return bad === 0 ? 0 : 1
}

async function compare(command: Extract<MetaCommand, { kind: 'backfill' | 'reconcile' }>, env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  const graphSettings = loadConfig(GraphEnv, env)
  const odooSettings = loadConfig(OdooEnv, env)
  const amqpUrl = command.kind === 'backfill' ? loadConfig(BusEnv, env).AMQP_URL : undefined
  const log = createLogger({ service: 'hub-cli', level: 'silent' })
  const odoo: OdooClient = createOdooClient({ url: odooSettings.ODOO_URL, db: odooSettings.ODOO_DB, username: odooSettings.ODOO_USER, password: odooSettings.ODOO_PASSWORD })
  let bus: Bus | undefined
  try {
    if (amqpUrl !== undefined) {
      // Declared ahead as the ingress does, so nothing published before the lead-processor's first start is dropped.
      bus = await createAmqpBus({ url: amqpUrl, log, connectionName: 'gassistant-hub-cli', declare: Object.values(HUB_TOPOLOGY) })
      io.err(`publishing to ${describeBroker(amqpUrl)}`)
    }
    const reconciler = createReconciler({
      graph: createGraphClient({ baseUrl: graphSettings.GRAPH_API_URL, appSecret: graphSettings.META_APP_SECRET, pageTokens: () => graphSettings.META_PAGE_TOKENS }),
      odoo,
      bus: bus ?? { publish: () => Promise.reject(new Error('meta reconcile publishes nothing')) },
      log,
      pageTokens: () => graphSettings.META_PAGE_TOKENS,
      windowMs: 0,
      throttle: createThrottle({
        sleep: (ms, signal) => sleep(ms, undefined, signal === undefined ? {} : { signal }),
        onWait: (wait) => io.err(`waiting ${Math.ceil(wait.ms / 1000)} s for Meta's rate limit (${wait.reason === 'usage' ? `usage ${wait.percent}%` : `Graph code ${wait.graphCode}`})`),
      }),
    })
    const summary = await reconciler.run({
      since: command.since,
      publish: command.kind === 'backfill',
      ...(command.page === undefined ? {} : { pageIds: [command.page] }),
      ...(command.kind === 'backfill' && command.form !== undefined ? { formIds: [command.form] } : {}),
      onProgress: progressBar(io),
    })
    if (command.kind === 'backfill' && command.form !== undefined && summary.forms.length === 0 && summary.pageErrors.length === 0) {
      io.err(`error: page ${command.page} has no lead form ${command.form}`)
      return 1
    }
    printSummary(summary, command.kind, io)
    return summary.failed ? 1 : 0
  } finally {
    await bus?.close()
    odoo.close()
  }
}

export const meta: CommandGroup = {
  usage: USAGE,
  async run(argv, env, io) {
    const command = parseMetaCommand(argv)
    if (command.kind === 'help') {
      io.out(`usage: pnpm hub ${USAGE}`)
      return 0
    }
    try {
      return command.kind === 'tokens' ? await tokens(env, io) : await compare(command, env, io)
    } catch (error) {
      if (error instanceof ConfigError) throw error
      io.err(`error: ${error instanceof Error ? error.message : String(error)}`)
      return 1
    }
  },
}
