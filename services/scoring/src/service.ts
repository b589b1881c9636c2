// createScoring(deps) → { start, stop, readiness, probes }: subscribes under the service name `scoring` to
// lead.synced.v1 (scores a new lead at once; a lead that took another enquiry or message, debounced),
// inbound.whatsapp.message.v1 (re-scores the sender's lead, when Odoo has one) and inbound.odoo.lead.v1 changes
// of stage, expected revenue or salesperson (the addon's echo of the score's own write changes none of them).
// Every score reads all its rule inputs from the lead in one call (lead-read.ts), whatever triggered it, so
// re-scores are debounced per lead (debounce.ts) and a burst joins one; each publishes lead.scored.v1. Odoo being
// down throws the client's errors, which name the dependency: the bus pauses and probes instead of spending
// attempts. No process, HTTP or env access here (wiring.ts and main.ts own those).
import type { Bus, Outcome, RetryPolicy, Subscription } from '@gassistant/bus'
import { createEvent, HUB_TOPOLOGY, type AnyEvent, type EventOf } from '@gassistant/contracts'
import { ODOO_DEPENDENCY, type OdooClient } from '@gassistant/odoo'
import { createHealth, type Logger, type Metrics } from '@gassistant/runtime'
import { DEFAULT_DEBOUNCE_MS, createDebounce } from './debounce.js'
import { hasScoreFields, scoreInOdoo, type ScoreInput } from './odoo-score.js'
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
    /** How long a lead's first re-score trigger waits for others to join it (default DEFAULT_DEBOUNCE_MS). */
    readonly debounceMs?: number
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

/**
 * Odoo fields whose change can change a lead's score or what a rep reads with it (the addon reports
 * `probability` when Odoo's prediction moves, e.g. after the phone or email changed).
 */
const RESCORE_ON: ReadonlySet<string> = new Set(['stage_id', 'expected_revenue', 'user_id', 'probability'])
/** A burst of WhatsApp messages needs this many deliveries at once to join one re-score. */
const DEFAULT_PREFETCH = 32
const or = (leaves: unknown[][]): unknown[] => [...Array<string>(Math.max(0, leaves.length - 1)).fill('|'), ...leaves]

export function createScoring(deps: ScoringDeps): Scoring {
  const { bus, odoo, log, rules } = deps
  const scored = deps.metrics?.counter({ name: 'leads_scored_total', help: 'Lead events scored, by outcome', labelNames: ['outcome'] })
  const health = createHealth({ probes: { [ODOO_DEPENDENCY]: () => odoo.ping() } })
  // The probe the bus runs while paused on Odoo: its answer is also what readiness reports.
  const probes = { [ODOO_DEPENDENCY]: health.recorded(ODOO_DEPENDENCY, () => odoo.ping()) }
  let subscription: Subscription | undefined
  let announced = false
  const debounce = createDebounce(deps.config?.debounceMs ?? DEFAULT_DEBOUNCE_MS)

  /** One line, once: what this Odoo lets the service write. */
  async function announceFields(): Promise<void> {
    if (announced) return
    const caps = await odoo.connect()
    if (announced) return
    announced = true
    if (hasScoreFields(caps.leadFields)) log.info({ addon: true }, 'scores are written to gassistant_score and gassistant_score_breakdown, with priority stars by tier')
    else log.warn({ addon: false }, "Odoo lacks the addon's score fields: scores are written as priority stars and a chatter note on tier changes only")
  }

  /** Scores the lead `input` finds into Odoo and publishes lead.scored.v1 for `event`; a missing lead is done. */
  async function score(event: AnyEvent, input: ScoreInput): Promise<Outcome> {
    await announceFields()
    const outcome = await scoreInOdoo(odoo, rules, input)
    health.record(ODOO_DEPENDENCY, true)
    if (outcome.kind === 'missing') {
      if ('leadId' in input) log.info({ event_id: event.id, type: event.type, lead_id: input.leadId }, 'lead no longer exists in Odoo: nothing to score')
      else log.info({ event_id: event.id, type: event.type }, 'no lead in Odoo for this sender: nothing to score')
      scored?.inc({ outcome: 'missing' })
      return { kind: 'done' }
    }
    const { result, leadId } = outcome
    await bus.publish(createEvent({
      type: 'lead.scored.v1',
      source: `/${SERVICE}`,
      id: scoredEventId(event.id),
      subject: `lead:${leadId}`,
      ...(event.correlationid === undefined ? {} : { correlationId: event.correlationid }),
      ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
      data: {
        leadId,
        score: result.score,
        tier: result.tier,
        ...(outcome.previousScore === undefined ? {} : { previousScore: outcome.previousScore }),
        ...(outcome.previousTier === undefined ? {} : { previousTier: outcome.previousTier }),
        breakdown: result.breakdown.map((entry) => ({ rule: entry.rule, points: entry.points, reason: entry.reason.en, reasons: { en: entry.reason.en, ar: entry.reason.ar } })),
        ...(outcome.userId === undefined ? {} : { userId: outcome.userId }),
        sourceEventId: event.id,
      },
    }))
    log.info({ event_id: event.id, type: event.type, lead_id: leadId, score: result.score, tier: result.tier, previous_tier: outcome.previousTier, wrote: outcome.wrote, noted: outcome.noted }, 'lead scored')
    scored?.inc({ outcome: outcome.wrote ? 'written' : 'unchanged' })
    return { kind: 'done' }
  }

  /**
   * A new lead is scored at once. A lead that took another enquiry or message (`updated`, `merged`: the
   * lead-processor sends one per WhatsApp message of a burst) is re-scored debounced, with Odoo's changes of it.
   */
  function onSynced(event: EventOf<'lead.synced.v1'>): Promise<Outcome> {
    const { leadId, outcome } = event.data
    if (outcome === 'created') return score(event, { leadId })
    return debounce(`lead:${leadId}`, () => score(event, { leadId }))
  }

  /** The sender's lead as the lead-processor keys it: its reference `wa:<waId>` or the E.164 phone. */
  async function onWhatsApp(event: EventOf<'inbound.whatsapp.message.v1'>): Promise<Outcome> {
    const caps = await odoo.connect()
    const { waId } = event.data
    const phone = `+${waId}`
    const refField = caps.hasAddon ? 'gassistant_ref' : 'referred'
    const leaves: unknown[][] = [[refField, '=', `wa:${waId}`], ['phone', '=', phone]]
    if (caps.leadFields.has('phone_sanitized')) leaves.push(['phone_sanitized', '=', phone])
    const outcome = await debounce(`wa:${waId}`, () => score(event, { domain: or(leaves) }))
    log.debug({ event_id: event.id }, 'whatsapp message handled: its lead is re-scored')
    return outcome
  }

  function onOdooLead(event: EventOf<'inbound.odoo.lead.v1'>): Promise<Outcome> | Outcome {
    const { changed, lead } = event.data
    // Unknown changes may matter; known ones matter only when they touch an input (the score's echo does not).
    if (changed !== undefined && !changed.some((field) => RESCORE_ON.has(field))) {
      log.debug({ event_id: event.id, lead_id: lead.id, changed }, 'lead change does not affect its score')
      return { kind: 'done' }
    }
    return debounce(`lead:${lead.id}`, () => score(event, { leadId: lead.id }))
  }

  async function handle(event: AnyEvent): Promise<Outcome> {
    if (event.type === 'lead.synced.v1') return onSynced(event as EventOf<'lead.synced.v1'>)
    if (event.type === 'inbound.whatsapp.message.v1') return onWhatsApp(event as EventOf<'inbound.whatsapp.message.v1'>)
    if (event.type === 'inbound.odoo.lead.v1') return onOdooLead(event as EventOf<'inbound.odoo.lead.v1'>)
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
        prefetch: deps.config?.prefetch ?? DEFAULT_PREFETCH,
        ...(deps.config?.retry === undefined ? {} : { retry: deps.config.retry }),
      })
      log.info({ service: SERVICE }, 'scoring consuming')
    },
    async stop() {
      await subscription?.cancel()
      subscription = undefined
    },
    async readiness() {
      // The last real use of Odoo, or one shared cheap call when that is older than a few seconds.
      const checks = { broker: bus.isReady(), odoo: await health.check(ODOO_DEPENDENCY) }
      return { ok: checks.broker && checks.odoo, checks }
    },
  }
}
