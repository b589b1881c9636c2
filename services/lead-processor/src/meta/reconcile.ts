// Reconciliation: for every form of every configured page (the page's leadgen_forms edge), reads the form's
// leads created since its checkpoint or the trailing window, page by page with the cursor, asks Odoo which
// of them it holds (by reference), and publishes the webhook's own inbound.meta.leadgen.v1 for each lead it
// lacks — so a lost webhook becomes a lead, and a lead that arrives by webhook meanwhile is deduplicated
// by the pipeline as any redelivery. A form's checkpoint moves only after all its pages were read: a page
// that failed leaves it where it was, so the next run reads that stretch again. Graph's rate limits slow
// the reading down (throttle.ts), they never cut it short. An expired page token stops that page and
// raises the ops notification (token-alert.ts). Also what `pnpm hub meta backfill|reconcile` run.
// Never logs lead data: ids and counts only.
import type { Bus } from '@gassistant/bus'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger } from '@gassistant/runtime'
import type { GraphClient, GraphForm } from '../graph/client.js'
import { GraphError } from '../graph/errors.js'
import type { Checkpoints } from './checkpoints.js'
import { leadgenEvent } from './leadgen-event.js'
import type { Throttled } from './throttle.js'
import type { TokenAlert } from './token-alert.js'

export interface ReconcileScope {
  /** Read leads created from then on. Unset: each form's checkpoint or the trailing window, whichever is older. */
  readonly since?: Date
  /** Default: every page of META_PAGE_TOKENS. */
  readonly pageIds?: readonly string[]
  /** Default: every form of the pages. */
  readonly formIds?: readonly string[]
  /** false: only compare Meta with Odoo and report (nothing published, no checkpoint moved). */
  readonly publish: boolean
  readonly onProgress?: (progress: ReconcileProgress) => void
  /** Aborts the run between two Graph calls or during a wait (shutdown); what was read so far stays published. */
  readonly signal?: AbortSignal
}

export interface ReconcileProgress {
  readonly formsDone: number
  readonly formsTotal: number
  readonly leadsRead: number
  readonly published: number
}

export interface FormReport {
  readonly pageId: string
  readonly formId: string
  readonly formName?: string
  readonly since: Date
  /** Leads Meta has for the form since `since` (as far as it was read). */
  readonly metaLeads: number
  /** Of those, how many Odoo holds. */
  readonly inOdoo: number
  /** Leadgen ids Odoo lacked. */
  readonly missing: readonly string[]
  readonly published: number
  /** Why the form could not be read to its end (its checkpoint stayed). */
  readonly error?: string
}

export interface ReconcileSummary {
  readonly forms: readonly FormReport[]
  /** Pages whose forms could not be listed (an expired token, no token, Graph down). */
  readonly pageErrors: readonly { readonly pageId: string; readonly error: string; readonly tokenExpired: boolean }[]
  readonly leadsRead: number
  readonly published: number
  readonly failed: boolean
}

export interface ReconcilerDeps {
  readonly graph: GraphClient
  readonly odoo: OdooClient
  readonly bus: Pick<Bus, 'publish'>
  readonly log: Logger
  readonly pageTokens: () => Readonly<Record<string, string>>
  readonly throttle: Throttled
  /** The trailing window read on every run, in ms. */
  readonly windowMs: number
  /** Unset: no checkpoints (the CLI's backfill and report). */
  readonly checkpoints?: Checkpoints
  readonly tokenAlert?: TokenAlert
  readonly now?: () => Date
  /** Leads per Graph page (default the client's 100). */
  readonly pageSize?: number
  readonly onLeads?: (result: 'published' | 'present', count: number) => void
}

export interface Reconciler {
  run(scope: ReconcileScope): Promise<ReconcileSummary>
}

const message = (err: unknown): string => (err instanceof Error ? `${(err as { code?: unknown }).code ?? err.name}: ${err.message}` : String(err))
const tokenExpired = (err: unknown): err is GraphError => err instanceof GraphError && err.code === 'GRAPH_TOKEN_INVALID'

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { graph, odoo, log, throttle } = deps
  const now = deps.now ?? (() => new Date())

  async function formsOf(pageId: string, signal: AbortSignal | undefined): Promise<GraphForm[]> {
    const forms: GraphForm[] = []
    let after: string | undefined
    do {
      const page = await throttle(() => graph.formsPage(pageId, after, signal), signal)
      forms.push(...page.data)
      after = page.after
    } while (after !== undefined)
    return forms
  }

  /** The leadgen ids among `ids` that Odoo holds a lead for (archived ones included). */
  async function inOdoo(ids: readonly string[]): Promise<Set<string>> {
    const refField = (await odoo.connect()).hasAddon ? 'gassistant_ref' : 'referred'
    const rows = await odoo.searchRead<Record<string, unknown>>('crm.lead', [[refField, 'in', ids.map((id) => `meta:${id}`)]], { fields: [refField], context: { active_test: false } })
    return new Set(rows.map((row) => String(row[refField]).slice('meta:'.length)))
  }

  /** Where a scheduled run starts: the trailing window, or the checkpoint if older (a stretch not yet read in full). */
  async function startOf(pageId: string, formId: string, startedAt: Date): Promise<Date> {
    const window = new Date(startedAt.getTime() - deps.windowMs)
    if (deps.checkpoints === undefined) return window
    const checkpoint = await deps.checkpoints.get(pageId, formId)
    if (checkpoint === undefined) {
      // First sight of the form: it is checked from the window's start on, and stays so until a run completes.
      await deps.checkpoints.set(pageId, formId, window)
      return window
    }
    return checkpoint < window ? checkpoint : window
  }

  return {
    async run(scope) {
      const startedAt = now()
      const forms: FormReport[] = []
      const pageErrors: { pageId: string; error: string; tokenExpired: boolean }[] = []
      const pageIds = scope.pageIds ?? Object.keys(deps.pageTokens())
      const totals = { formsDone: 0, formsTotal: 0, leadsRead: 0, published: 0 }
      const planned: { pageId: string; forms: GraphForm[] }[] = []
      for (const pageId of pageIds) {
        try {
          const all = await formsOf(pageId, scope.signal)
          planned.push({ pageId, forms: scope.formIds === undefined ? all : all.filter((f) => scope.formIds?.includes(f.id)) })
        } catch (err) {
          pageErrors.push({ pageId, error: message(err), tokenExpired: tokenExpired(err) })
          if (tokenExpired(err)) await deps.tokenAlert?.raise(pageId, err)
          log.error({ page_id: pageId, code: (err as { code?: string }).code }, `cannot list the lead forms of Facebook page ${pageId}: ${message(err)}`)
        }
      }
      totals.formsTotal = planned.reduce((n, p) => n + p.forms.length, 0)
      scope.onProgress?.({ ...totals })

      for (const { pageId, forms: pageForms } of planned) {
        let pageFailure: string | undefined
        for (const form of pageForms) {
          const report = { pageId, formId: form.id, ...(form.name === undefined ? {} : { formName: form.name }), since: scope.since ?? new Date(startedAt.getTime() - deps.windowMs), metaLeads: 0, inOdoo: 0, missing: [] as string[], published: 0 }
          if (pageFailure !== undefined) {
            forms.push({ ...report, error: pageFailure })
            totals.formsDone += 1
            continue
          }
          try {
            // A checkpoint that cannot be read fails the form: starting from the window instead could skip its older stretch.
            if (scope.since === undefined && scope.publish) report.since = await startOf(pageId, form.id, startedAt)
            const since = report.since
            let after: string | undefined
            do {
              const page = await throttle(() => graph.leadsPage(form.id, pageId, { since, ...(after === undefined ? {} : { after }), ...(deps.pageSize === undefined ? {} : { limit: deps.pageSize }) }, scope.signal), scope.signal)
              const held = page.data.length === 0 ? new Set<string>() : await inOdoo(page.data.map((lead) => lead.id))
              const lacking = page.data.filter((lead) => !held.has(lead.id))
              if (scope.publish && lacking.length > 0) await deps.bus.publish(lacking.map((lead) => leadgenEvent(lead, pageId, form.id)))
              report.metaLeads += page.data.length
              report.inOdoo += held.size
              report.missing.push(...lacking.map((lead) => lead.id))
              if (scope.publish) report.published += lacking.length
              totals.leadsRead += page.data.length
              if (scope.publish) totals.published += lacking.length
              deps.onLeads?.('present', held.size)
              if (scope.publish) deps.onLeads?.('published', lacking.length)
              scope.onProgress?.({ ...totals })
              after = page.after
            } while (after !== undefined)
            // Every page read: the form is complete up to the run's start (leads created later come next run).
            if (scope.publish && scope.since === undefined) await deps.checkpoints?.set(pageId, form.id, startedAt)
            forms.push(report)
          } catch (err) {
            if (scope.signal?.aborted === true) throw err
            forms.push({ ...report, error: message(err) })
            log.error({ page_id: pageId, form_id: form.id, code: (err as { code?: string }).code, leads_read: report.metaLeads }, `reconciliation of form ${form.id} stopped; its checkpoint stays, the next run reads it again: ${message(err)}`)
            if (tokenExpired(err)) {
              pageFailure = message(err)
              pageErrors.push({ pageId, error: pageFailure, tokenExpired: true })
              await deps.tokenAlert?.raise(pageId, err)
            }
          }
          totals.formsDone += 1
          scope.onProgress?.({ ...totals })
        }
      }
      const failed = pageErrors.length > 0 || forms.some((f) => f.error !== undefined)
      return { forms, pageErrors, leadsRead: totals.leadsRead, published: totals.published, failed }
    },
  }
}
