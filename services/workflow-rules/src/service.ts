// createWorkflowRules(deps) → { start, stop, readiness, probes, engine }: subscribes under the service name
// `workflow-rules` to the events its rules name (lead.synced.v1, lead.scored.v1, inbound.odoo.lead.v1) and to
// inbound.odoo.order.v1 (a quotation sent: its timer is logged with its due time), and sweeps Odoo for due
// timers every `sweepIntervalMs`. Odoo being down throws the client's errors, which name the dependency: the bus
// pauses and probes; a failed sweep is logged and the next one tries again. No process, HTTP or env access here.
import type { Bus, Outcome, RetryPolicy, Subscription } from '@gassistant/bus'
import { HUB_TOPOLOGY, type AnyEvent, type EventOf } from '@gassistant/contracts'
import { ODOO_DEPENDENCY, type OdooClient } from '@gassistant/odoo'
import { createHealth, type Logger, type Metrics } from '@gassistant/runtime'
import { createClaims } from './claims.js'
import { createEngine, type Engine } from './engine.js'
import { createCalendarSource } from './odoo-calendar.js'
import { createOdooRecords } from './odoo-records.js'
import type { RulesFile } from './rules.js'
import { dueAt, timerRules } from './timers.js'

export const SERVICE = 'workflow-rules'

export interface WorkflowRulesDeps {
  readonly bus: Bus
  readonly odoo: OdooClient
  readonly log: Logger
  readonly rules: RulesFile
  readonly metrics?: Metrics
  /** The clock (tests pass a fake one). Default: the system clock. */
  readonly now?: () => Date
  readonly config?: {
    /** Queue name (tests use a unique one); default `workflow-rules`. */
    readonly service?: string
    readonly prefetch?: number
    readonly retry?: Partial<RetryPolicy>
    readonly probeIntervalMs?: number
    /** How often Odoo is swept for due timers (default 20 s); a timer due sooner brings its sweep forward. */
    readonly sweepIntervalMs?: number
    /** How far back a sweep looks for leads and quotations (default 14 days). */
    readonly lookbackMs?: number
    /** After this long a claimed firing that never completed is retaken (default 2 min). */
    readonly leaseMs?: number
  }
}

export interface WorkflowRulesReadiness {
  readonly ok: boolean
  readonly checks: { readonly broker: boolean; readonly odoo: boolean }
}

export interface WorkflowRules {
  start(): Promise<void>
  stop(): Promise<void>
  readiness(): Promise<WorkflowRulesReadiness>
  readonly probes: Readonly<Record<string, () => Promise<void>>>
  readonly engine: Engine
}

const DAY = 86_400_000
const MIN_SWEEP_GAP_MS = 1_000

export function createWorkflowRules(deps: WorkflowRulesDeps): WorkflowRules {
  const { bus, odoo, log, rules } = deps
  const now = deps.now ?? (() => new Date())
  const config = deps.config ?? {}
  const health = createHealth({ probes: { [ODOO_DEPENDENCY]: () => odoo.ping() } })
  const probes = { [ODOO_DEPENDENCY]: health.recorded(ODOO_DEPENDENCY, () => odoo.ping()) }
  const calendar = createCalendarSource(rules, odoo, now)
  const records = createOdooRecords(odoo)
  const engine = createEngine({
    rules, records, claims: createClaims(odoo), calendar, odoo, bus, log, now,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
    lookbackMs: config.lookbackMs ?? 14 * DAY,
    leaseMs: config.leaseMs ?? 120_000,
  })
  let subscription: Subscription | undefined
  let sweeping: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = true

  async function onLead(event: AnyEvent, leadId: number, tier?: string): Promise<Outcome> {
    const { fired } = await engine.onLeadEvent(event.type, leadId, {
      ...(tier === undefined ? {} : { tier }),
      ...(event.correlationid === undefined ? {} : { correlationId: event.correlationid }),
    })
    health.record(ODOO_DEPENDENCY, true)
    if (fired.length > 0) log.info({ event_id: event.id, type: event.type, lead_id: leadId, rules: fired }, 'rules fired')
    return { kind: 'done' }
  }

  /** A quotation sent starts its timers: say when they are due (the sweep fires them from Odoo's data). */
  async function onOrder(event: EventOf<'inbound.odoo.order.v1'>): Promise<Outcome> {
    const { action, order } = event.data
    const orderRules = timerRules(rules, 'order.quotation_sent')
    if (action !== 'order.quotation_sent' || orderRules.length === 0) return { kind: 'done' }
    // The order's team picks the calendar, as when the sweep fires it.
    const cal = await calendar((await records.order(order.id))?.team)
    const sentAt = new Date(event.data.occurredAt)
    const due = orderRules.map((rule) => `${rule.id} ${cal.formatLocal(dueAt(rule, rules, cal, sentAt))}`)
    log.info({ event_id: event.id, type: event.type, order_id: order.id, timers: due }, 'quotation sent: reminder timers set')
    return { kind: 'done' }
  }

  async function handle(event: AnyEvent): Promise<Outcome> {
    switch (event.type) {
      case 'lead.synced.v1': return onLead(event, (event as EventOf<'lead.synced.v1'>).data.leadId)
      case 'lead.scored.v1': {
        const { data } = event as EventOf<'lead.scored.v1'>
        return onLead(event, data.leadId, data.tier)
      }
      case 'inbound.odoo.lead.v1': return onLead(event, (event as EventOf<'inbound.odoo.lead.v1'>).data.lead.id)
      case 'inbound.odoo.order.v1': return onOrder(event as EventOf<'inbound.odoo.order.v1'>)
      default: return { kind: 'park', reason: `workflow-rules does not handle ${event.type}` }
    }
  }

  const interval = config.sweepIntervalMs ?? 20_000

  /** Sweeps once; returns how long to wait before the next sweep. */
  async function sweepOnce(): Promise<number> {
    const started = Date.now()
    try {
      const { nextDue, ...result } = await engine.sweep()
      health.record(ODOO_DEPENDENCY, true)
      log.debug({ ...result, ...(nextDue === undefined ? {} : { next_due: nextDue.toISOString() }), duration_ms: Date.now() - started }, 'timers swept')
      // A timer due before the next periodic sweep gets a sweep at its due time (at most one a second): the
      // in-memory wait only brings the sweep forward; the periodic sweep is what makes firing durable.
      return nextDue === undefined ? interval : Math.min(interval, Math.max(MIN_SWEEP_GAP_MS, nextDue.getTime() - now().getTime()))
    } catch (err) {
      log.warn({ err, duration_ms: Date.now() - started }, 'timer sweep failed; the next one tries again')
      return interval
    }
  }

  function sweepThenSchedule(): void {
    sweeping = sweepOnce().then((delay) => {
      sweeping = undefined
      if (!stopped) timer = setTimeout(sweepThenSchedule, delay)
    })
  }

  return {
    probes,
    engine,
    async start() {
      subscription = await bus.subscribe({
        ...HUB_TOPOLOGY[SERVICE],
        service: config.service ?? SERVICE,
        handler: (event) => handle(event),
        probes,
        ...(config.probeIntervalMs === undefined ? {} : { probeIntervalMs: config.probeIntervalMs }),
        ...(deps.metrics === undefined ? {} : { metrics: deps.metrics.registry }),
        ...(config.prefetch === undefined ? {} : { prefetch: config.prefetch }),
        ...(config.retry === undefined ? {} : { retry: config.retry }),
      })
      stopped = false
      // Sweep at once: timers that fell due while the service was down fire now.
      sweepThenSchedule()
      log.info({ service: SERVICE, rules: rules.rules.length }, 'workflow rules consuming and sweeping timers')
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await subscription?.cancel()
      subscription = undefined
      await sweeping
    },
    async readiness() {
      const checks = { broker: bus.isReady(), odoo: await health.check(ODOO_DEPENDENCY) }
      return { ok: checks.broker && checks.odoo, checks }
    },
  }
}
