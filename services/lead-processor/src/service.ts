// createLeadProcessor(deps) → { start, stop, readiness, probes }: subscribes the dispatch table to the bus
// under the service name `lead-processor`, batches its Odoo work across the events in flight, counts what
// it did, and knows how Odoo and the Graph API are doing. No process, HTTP or env access here (wiring.ts
// and main.ts own those).
import { done, type Bus, type Outcome, type RetryPolicy, type Subscription } from '@gassistant/bus'
import { HUB_TOPOLOGY, type AnyEvent, type EventOf } from '@gassistant/contracts'
import type { OdooCapabilities, OdooClient } from '@gassistant/odoo'
import { createHealth, type Logger, type Metrics } from '@gassistant/runtime'
import type { GraphClient } from './graph/client.js'
import { GRAPH_DEPENDENCY } from './graph/errors.js'
import { withLeadCache } from './graph/lead-cache.js'
import { HANDLERS, type HandledType } from './handlers/index.js'
import type { TokenAlert } from './meta/token-alert.js'
import type { ConversionFeedback } from './conversions/feedback.js'
import type { HandlerDeps, ProcessingConfig } from './handlers/deps.js'
import { createLeadStore } from './sync/lead-store.js'
import { createMemoryLocks, type PersonLocks } from './sync/locks.js'
import type { UpsertConfig } from './sync/upsert.js'

export const SERVICE = 'lead-processor'
const ODOO = 'odoo'
/**
 * Events in flight per consumer. Odoo's work is batched across them (up to 100 leads per call), so enough
 * must be in flight for one batch to fill while the previous one is in Odoo (README "Performance").
 */
export const DEFAULT_PREFETCH = 200
/** Leads per batched Odoo call: amortizes each call's cost; a create of 100 leads takes about a second on 17.0. */
const DEFAULT_MAX_BATCH = 100

export interface LeadProcessorDeps {
  readonly bus: Bus
  readonly odoo: OdooClient
  readonly graph: GraphClient
  readonly log: Logger
  readonly config: ProcessingConfig & {
    readonly prefetch?: number
    readonly retry?: Partial<RetryPolicy>
    readonly service?: string
    /** How often the consumer probes a dependency it paused on (default: the bus's 5 s). */
    readonly probeIntervalMs?: number
  }
  readonly metrics?: Metrics
  /** Handles inbound.odoo.lead.v1 (conversion feedback to Meta); unset: those events are acknowledged unread. */
  readonly conversions?: ConversionFeedback
  /** Tells ops once when a page token expired; unset: the error log line only. */
  readonly tokenAlert?: TokenAlert
  /** Default: in-process locks (one replica). Several replicas: createAmqpLocks. */
  readonly locks?: PersonLocks
  readonly now?: () => Date
  /** Odoo calls batched across the events in flight: default at most 100 per call, 2 ms linger, one call of each kind at a time. */
  readonly batch?: { readonly maxBatch?: number; readonly lingerMs?: number; readonly maxInFlight?: number }
}

/** What /readyz shows: the broker, and Odoo and the Graph API as last seen (Odoo probed when that is old). */
export interface LeadProcessorReadiness {
  readonly ok: boolean
  readonly checks: { readonly broker: boolean; readonly odoo: boolean; readonly graph: boolean }
}

export interface LeadProcessor {
  start(): Promise<void>
  stop(): Promise<void>
  readiness(): Promise<LeadProcessorReadiness>
  /** Cheap checks per dependency the bus calls while the consumer is paused on an outage (see README "Outages"). */
  readonly probes: Readonly<Record<string, () => Promise<void>>>
}

/** The dependency an error says is unavailable (the bus's DependencyError shape), if any. */
function unavailableDependency(err: unknown): string | undefined {
  const e = err as { retryable?: unknown; dependency?: unknown } | null
  return typeof e === 'object' && e !== null && e.retryable === true && typeof e.dependency === 'string' ? e.dependency : undefined
}

/** `LEAD_TYPE=auto`: a lead when the Leads setting is on for the hub user (CRM › Leads), else an opportunity (the pipeline). */
function leadTypeFor(config: ProcessingConfig, caps: OdooCapabilities): UpsertConfig['leadType'] {
  if (config.leadType !== 'auto') return config.leadType
  return caps.leadsEnabled ? 'lead' : 'opportunity'
}

export function createLeadProcessor(deps: LeadProcessorDeps): LeadProcessor {
  const { bus, odoo, log, config } = deps
  const locks = deps.locks ?? createMemoryLocks()
  const synced = deps.metrics?.counter({ name: 'leads_synced_total', help: 'Leads written to Odoo or rejected, by outcome', labelNames: ['outcome'] })
  const health = createHealth({ probes: { [ODOO]: () => odoo.ping() } })
  // The probe the bus runs while paused on Odoo: its answer is also what readiness reports.
  const probes = { [ODOO]: health.recorded(ODOO, () => odoo.ping()) }
  const graph: GraphClient = withLeadCache({
    ...deps.graph,
    async getLead(leadgenId, pageId, signal) {
      try {
        const lead = await deps.graph.getLead(leadgenId, pageId, signal)
        health.record(GRAPH_DEPENDENCY, true)
        return lead
      } catch (err) {
        if (unavailableDependency(err) === GRAPH_DEPENDENCY) health.record(GRAPH_DEPENDENCY, false)
        throw err
      }
    },
  })
  const store = createLeadStore(odoo, { maxBatch: DEFAULT_MAX_BATCH, ...deps.batch })
  const now = deps.now ?? (() => new Date())
  const handlerDeps: HandlerDeps = {
    odoo,
    graph,
    bus,
    log,
    locks,
    store,
    refs: odoo.refs,
    processing: config,
    get config(): UpsertConfig {
      return { leadType: leadTypeFor(config, odoo.capabilities), userId: config.userId, repeatWindowMs: config.repeatWindowMs }
    },
    now,
    ...(deps.tokenAlert === undefined ? {} : { tokenAlert: deps.tokenAlert }),
    onSynced: (outcome) => synced?.inc({ outcome }),
  }
  let subscription: Subscription | undefined
  let announced = false

  /** One line at start (or at the first connect, if Odoo was down then) saying what type new leads get and why. */
  function announceLeadType(caps: OdooCapabilities): void {
    if (announced) return
    announced = true
    const type = leadTypeFor(config, caps)
    const facts = { lead_type: type, lead_type_setting: config.leadType, odoo_leads_setting: caps.leadsEnabled }
    if (type === 'lead' && !caps.leadsEnabled) {
      log.warn(facts, "new leads are created as type 'lead', but Odoo's Leads setting is off for the hub user: they are hidden from the pipeline. Turn on CRM › Configuration › Settings › Leads, or set LEAD_TYPE=auto or opportunity")
    } else if (type === 'opportunity' && config.leadType === 'auto') {
      log.info(facts, "Odoo's Leads setting is off for the hub user: new leads are created as opportunities, in the pipeline")
    } else log.info(facts, `new leads are created as type '${type}'`)
  }

  async function handle(event: AnyEvent, signal: AbortSignal): Promise<Outcome> {
    try {
      // Capabilities (addon installed? which fields? Leads setting?) are read once; a failure here is an outage like any other.
      announceLeadType(await odoo.connect())
      if (event.type === 'inbound.odoo.lead.v1') {
        const outcome = deps.conversions === undefined ? done : await deps.conversions.handle(event as EventOf<'inbound.odoo.lead.v1'>)
        health.record(ODOO, true)
        return outcome
      }
      const handler = HANDLERS[event.type as HandledType] as ((e: AnyEvent, d: HandlerDeps, s: AbortSignal) => Promise<Outcome>) | undefined
      const outcome = handler === undefined
        ? { kind: 'park' as const, reason: `lead-processor does not handle ${event.type}` }
        : await handler(event, handlerDeps, signal)
      health.record(ODOO, true)
      return outcome
    } catch (err) {
      if (unavailableDependency(err) === ODOO) health.record(ODOO, false)
      throw err
    }
  }

  return {
    probes,
    async start() {
      // Say what type new leads get as soon as Odoo answers; not being able to ask now is no reason not to start.
      void odoo.connect().then(announceLeadType, () => undefined)
      deps.conversions?.announce()
      subscription = await bus.subscribe({
        ...HUB_TOPOLOGY[SERVICE],
        service: config.service ?? SERVICE,
        handler: (event, ctx) => handle(event, ctx.signal),
        probes,
        ...(config.probeIntervalMs === undefined ? {} : { probeIntervalMs: config.probeIntervalMs }),
        ...(deps.metrics === undefined ? {} : { metrics: deps.metrics.registry }),
        prefetch: config.prefetch ?? DEFAULT_PREFETCH,
        ...(config.retry === undefined ? {} : { retry: config.retry }),
      })
      log.info({ service: SERVICE }, 'lead-processor consuming')
    },
    async stop() {
      await subscription?.cancel()
      subscription = undefined
      await locks.close()
    },
    async readiness() {
      const [odooUp, graphUp] = await Promise.all([health.check(ODOO), health.check(GRAPH_DEPENDENCY)])
      const checks = { broker: bus.isReady(), odoo: odooUp, graph: graphUp }
      return { ok: checks.broker && checks.odoo && checks.graph, checks }
    },
  }
}
