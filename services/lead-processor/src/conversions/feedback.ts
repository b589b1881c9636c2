// Conversion feedback: the lead-processor's handler of inbound.odoo.lead.v1 (bound to its queue), telling Meta's
// Conversions API for CRM which stage each Meta lead reached (plan.ts decides what is due). Leads that are
// not Meta's (WhatsApp, web forms: their reference is not `meta:`) are never sent. What was sent is recorded
// on the lead itself, as a chatter note carrying one `[capi:<event id>]` marker per event — Odoo is the
// system of record — so a redelivered or duplicated webhook sends nothing twice; the lead's lock keeps two
// events of one lead from racing. One request per event handled; when Meta refuses it (one bad event fails
// the whole request), each event is sent alone, so one bad event cannot sink the rest: the good ones are
// noted, the refused ones park the message with Meta's reason. Graph outages and rate limits are retried on
// the bus's schedule (a retry, never a pause: leads must not wait for Meta's CRM endpoint); an invalid token or
// missing permission parks at once. Never logs personal data.
import { done, park, retry, type Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger, Metrics } from '@gassistant/runtime'
import type { ConversionEvent, ConversionsTarget, GraphClient } from '../graph/client.js'
import { GraphError } from '../graph/errors.js'
import { escapeHtml } from '../sync/html.js'
import type { PersonLocks } from '../sync/locks.js'
import { planConversions, type StageFunnel } from './plan.js'

export interface ConversionFeedbackConfig {
  /** Unset: feedback is off (META_DATASET_ID / META_CAPI_TOKEN unset); events are acknowledged unread. */
  readonly target?: ConversionsTarget
  readonly funnel: StageFunnel
  readonly crmName: string
  readonly phoneRegion: string
  readonly lockTimeoutMs: number
}

export interface ConversionFeedbackDeps {
  readonly odoo: OdooClient
  readonly graph: GraphClient
  readonly log: Logger
  readonly locks: PersonLocks
  readonly config: ConversionFeedbackConfig
  readonly metrics?: Metrics
  readonly now?: () => Date
}

interface Sent {
  sent: ConversionEvent[]
  refused: { event: ConversionEvent; reason: string }[]
}

export interface ConversionFeedback {
  /** One line at start saying whether feedback is on. */
  announce(): void
  handle(event: EventOf<'inbound.odoo.lead.v1'>): Promise<Outcome>
}

const MARKER = /\[capi:([^\]\s]+)\]/g
/** Odoo datetimes are UTC without a zone: `2026-01-08 10:30:00`. */
const odooTime = (value: unknown): Date | undefined => (typeof value === 'string' ? new Date(`${value.replace(' ', 'T')}Z`) : undefined)

export function createConversionFeedback(deps: ConversionFeedbackDeps): ConversionFeedback {
  const { odoo, graph, log, config } = deps
  const now = deps.now ?? (() => new Date())
  const sentTotal = deps.metrics?.counter({ name: 'meta_conversions_total', help: 'Conversion events for Meta, by outcome (sent, refused)', labelNames: ['outcome'] })

  /** The event ids the lead's chatter says were sent. */
  async function sentIds(leadId: number): Promise<Set<string>> {
    const notes = await odoo.searchRead<{ body: unknown }>('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', leadId], ['body', 'ilike', '[capi:']], { fields: ['body'] })
    return new Set(notes.flatMap((note) => (typeof note.body === 'string' ? [...note.body.matchAll(MARKER)].map((m) => m[1] as string) : [])))
  }

  async function note(leadId: number, recordName: string, events: readonly ConversionEvent[]): Promise<void> {
    const names = events.map((e) => escapeHtml(e.event_name)).join(', ')
    const markers = events.map((e) => `[capi:${escapeHtml(e.event_id)}]`).join(' ')
    await odoo.logNotes('crm.lead', [{ resId: leadId, html: `<p>Sent to Meta (Conversions API for CRM): ${names}</p><p>${markers}</p>`, recordName }])
  }

  /** Meta refused what was sent (an event's content), as opposed to an outage or a bad token. */
  const refusal = (err: unknown): err is GraphError =>
    err instanceof GraphError && !err.retryable && !['GRAPH_TOKEN_INVALID', 'GRAPH_NO_TOKEN', 'GRAPH_PERMISSION'].includes(err.code)

  /**
   * Sends the events in one request; when Meta refuses it, each event alone. Any other error propagates,
   * carrying (as `partial`) what went through already, so it is noted before the retry sends the rest.
   */
  async function send(target: ConversionsTarget, events: readonly ConversionEvent[]): Promise<Sent> {
    try {
      await graph.sendConversions(target, events)
      return { sent: [...events], refused: [] }
    } catch (err) {
      if (!refusal(err)) throw err
      if (events.length === 1) return { sent: [], refused: [{ event: events[0] as ConversionEvent, reason: err.message }] }
    }
    const result: Sent = { sent: [], refused: [] }
    for (const event of events) {
      try {
        await graph.sendConversions(target, [event])
        result.sent.push(event)
      } catch (err) {
        if (!refusal(err)) throw Object.assign(err as object, { partial: result })
        result.refused.push({ event, reason: err.message })
      }
    }
    return result
  }

  async function handle(event: EventOf<'inbound.odoo.lead.v1'>): Promise<Outcome> {
    const target = config.target
    const lead = event.data.lead
    if (target === undefined || lead.stage === undefined) return done
    // WhatsApp and web-form leads have no leadgen id: Meta cannot match them (meta-conversions-api-crm.md).
    if (lead.externalRef !== undefined && !lead.externalRef.startsWith('meta:')) return done
    const facts = { event_id: event.id, type: event.type, correlation_id: event.correlationid ?? event.id, lead_id: lead.id }
    const caps = await odoo.connect()
    const refField = caps.hasAddon ? 'gassistant_ref' : 'referred'
    const [row] = await odoo.read<Record<string, unknown>>('crm.lead', [lead.id], ['create_date', 'display_name', refField])
    const ref = lead.externalRef ?? (typeof row?.[refField] === 'string' ? (row[refField] as string) : undefined)
    if (row === undefined || ref === undefined || !ref.startsWith('meta:')) return done
    const leadgenId = ref.slice('meta:'.length)
    const release = await deps.locks.acquire([`capi:${lead.id}`], config.lockTimeoutMs)
    try {
      const plan = planConversions({
        leadgenId,
        stage: lead.stage.name,
        changedAt: new Date(event.data.occurredAt),
        leadCreatedAt: odooTime(row['create_date']) ?? new Date(0),
        sent: await sentIds(lead.id),
        now: now(),
        funnel: config.funnel,
        crmName: config.crmName,
        phoneRegion: config.phoneRegion,
        ...(lead.email === undefined ? {} : { email: lead.email }),
        ...(lead.phone === undefined ? {} : { phone: lead.phone }),
      })
      if (plan.kind === 'nothing') {
        log.info({ ...facts, stage: lead.stage.name, reason: plan.reason }, 'no conversion event for Meta')
        return done
      }
      const recordName = typeof row['display_name'] === 'string' ? row['display_name'] : lead.name
      let result
      try {
        result = await send(target, plan.events)
      } catch (err) {
        const partial = (err as { partial?: Sent }).partial
        if (partial !== undefined && partial.sent.length > 0) await note(lead.id, recordName, partial.sent)
        if (err instanceof GraphError && err.retryable) return retry(`${err.code}: ${err.message}`)
        if (err instanceof GraphError) return park(`${err.code}: ${err.message}`)
        throw err
      }
      if (result.sent.length > 0) await note(lead.id, recordName, result.sent)
      sentTotal?.inc({ outcome: 'sent' }, result.sent.length)
      log.info({ ...facts, events: result.sent.map((e) => e.event_name), refused: result.refused.map((r) => r.event.event_name) }, 'conversion events sent to Meta')
      if (result.refused.length > 0) {
        sentTotal?.inc({ outcome: 'refused' }, result.refused.length)
        return park(`META_CAPI_REFUSED: ${result.refused.map((r) => `${r.event.event_name}: ${r.reason}`).join('; ')}`)
      }
      return done
    } finally {
      await release()
    }
  }

  return {
    announce() {
      if (config.target === undefined) log.info({ feedback: 'off' }, 'conversion feedback to Meta is off (META_DATASET_ID and META_CAPI_TOKEN unset): Odoo lead events are acknowledged unread')
      else log.info({ feedback: 'on', dataset_id: config.target.datasetId }, 'conversion feedback to Meta is on')
    },
    handle,
  }
}
