// createScoring(deps) → { start, stop, readiness, probes }: subscribes to lead.synced.v1 under the service
// name `scoring`, scores each synced lead into Odoo (odoo-score.ts) and publishes lead.scored.v1. Odoo being
// down throws the client's errors, which name the dependency: the bus pauses and probes instead of spending
// attempts. No process, HTTP or env access here (wiring.ts and main.ts own those).
import type { Bus, Outcome, RetryPolicy, Subscription } from '@gassistant/bus'
import { createEvent, HUB_TOPOLOGY, type AnyEvent, type EventOf } from '@gassistant/contracts'
import { ODOO_DEPENDENCY, type OdooClient } from '@gassistant/odoo'
import type { Logger, Metrics } from '@gassistant/runtime'
import { hasScoreFields, scoreInOdoo } from './odoo-score.js'
import type { RulesFile } from './rules.js'

export const SERVICE = 'scoring'

export interface ScoringDeps {
  readonly bus: Bus
  readonly odoo: OdooClient
  readonly log: Logger
  readonly rules: RulesFile
  readonly metrics?: Metrics
  readonly config?: {
    /** Queue name (tests use a unique one); default `scoring`. */
    readonly service?: string
    readonly prefetch?: number
    readonly retry?: Partial<RetryPolicy>
    /** How often the consumer probes Odoo while paused on it (default: the bus's 5 s). */
    readonly probeIntervalMs?: number
  }
}

export interface ScoringReadiness {
  readonly ok: boolean
  readonly checks: { readonly broker: boolean; readonly odoo: boolean }
}

export interface Scoring {
  start(): Promise<void>
  stop(): Promise<void>
  readiness(): Promise<ScoringReadiness>
  readonly probes: Readonly<Record<string, () => Promise<void>>>
}

/** Deterministic per inbound event, so a redelivery publishes the same id (consumers dedupe on it). */
export const scoredEventId = (inboundEventId: string): string => `scored:${inboundEventId}`

export function createScoring(deps: ScoringDeps): Scoring {
  const { bus, odoo, log, rules } = deps
  const scored = deps.metrics?.counter({ name: 'leads_scored_total', help: 'Lead events scored, by outcome', labelNames: ['outcome'] })
  const probes = { [ODOO_DEPENDENCY]: () => odoo.ping() }
  let subscription: Subscription | undefined
  let announced = false

  /** One line, once: what this Odoo lets the service write. */
  async function announceFields(): Promise<void> {
    if (announced) return
    const caps = await odoo.connect()
    if (announced) return
    announced = true
    if (hasScoreFields(caps.leadFields)) log.info({ addon: true }, 'scores are written to gassistant_score and gassistant_score_breakdown, with priority stars by tier')
    else log.warn({ addon: false }, "Odoo lacks the addon's score fields: scores are written as priority stars and a chatter note on tier changes only")
  }

  async function onSynced(event: EventOf<'lead.synced.v1'>): Promise<Outcome> {
    await announceFields()
    const { data } = event
    const outcome = await scoreInOdoo(odoo, rules, {
      leadId: data.leadId,
      facts: {
        channel: data.channel,
        flags: data.flags,
        name: data.lead.contactName,
        phone: data.lead.phone,
        email: data.lead.email,
        utmSource: data.lead.utmSource,
        utmMedium: data.lead.utmMedium,
        utmCampaign: data.lead.utmCampaign,
      },
    })
    if (outcome.kind === 'missing') {
      log.info({ event_id: event.id, lead_id: data.leadId }, 'lead no longer exists in Odoo: nothing to score')
      scored?.inc({ outcome: 'missing' })
      return { kind: 'done' }
    }
    const { result } = outcome
    await bus.publish(createEvent({
      type: 'lead.scored.v1',
      source: `/${SERVICE}`,
      id: scoredEventId(event.id),
      subject: event.subject ?? `lead:${data.leadId}`,
      ...(event.correlationid === undefined ? {} : { correlationId: event.correlationid }),
      ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
      data: {
        leadId: data.leadId,
        score: result.score,
        tier: result.tier,
        ...(outcome.previousScore === undefined ? {} : { previousScore: outcome.previousScore }),
        breakdown: result.breakdown.map((entry) => ({ rule: entry.rule, points: entry.points, reason: entry.reason.en, reasons: { en: entry.reason.en, ar: entry.reason.ar } })),
        ...(data.lead.userId === undefined ? {} : { userId: data.lead.userId }),
        sourceEventId: event.id,
      },
    }))
    log.info({ event_id: event.id, lead_id: data.leadId, score: result.score, tier: result.tier, previous_tier: outcome.previousTier, wrote: outcome.wrote, noted: outcome.noted }, 'lead scored')
    scored?.inc({ outcome: outcome.wrote ? 'written' : 'unchanged' })
    return { kind: 'done' }
  }

  async function handle(event: AnyEvent): Promise<Outcome> {
    if (event.type === 'lead.synced.v1') return onSynced(event as EventOf<'lead.synced.v1'>)
    return { kind: 'park', reason: `scoring does not handle ${event.type}` }
  }

  return {
    probes,
    async start() {
      // Say what will be written as soon as Odoo answers; not being able to ask now is no reason not to start.
      void announceFields().catch(() => undefined)
      subscription = await bus.subscribe({
        ...HUB_TOPOLOGY[SERVICE],
        service: deps.config?.service ?? SERVICE,
        handler: (event) => handle(event),
        probes,
        ...(deps.config?.probeIntervalMs === undefined ? {} : { probeIntervalMs: deps.config.probeIntervalMs }),
        ...(deps.metrics === undefined ? {} : { metrics: deps.metrics.registry }),
        ...(deps.config?.prefetch === undefined ? {} : { prefetch: deps.config.prefetch }),
        ...(deps.config?.retry === undefined ? {} : { retry: deps.config.retry }),
      })
      log.info({ service: SERVICE }, 'scoring consuming')
    },
    async stop() {
      await subscription?.cancel()
      subscription = undefined
    },
    async readiness() {
      const odooUp = await odoo.ping().then(() => true, () => false)
      const checks = { broker: bus.isReady(), odoo: odooUp }
      return { ok: checks.broker && checks.odoo, checks }
    },
  }
}
