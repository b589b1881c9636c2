// The common tail of every handler: flags, reject-or-sync under the person's lock, then the outgoing
// event (lead.synced.v1 or lead.rejected.v1). Outgoing ids derive from the inbound event id, so a
// redelivered event publishes the same id again and consumers dedupe it. The inbound event is acked
// by the bus only after this resolved, i.e. after Odoo has the lead and the broker has the event.
import { createEvent, type AnyEvent, type DataOf } from '@gassistant/contracts'
import { done, type Outcome } from '@gassistant/bus'
import { m2oId } from '@gassistant/odoo'
import { maskEmail, maskPhone } from '@gassistant/runtime'
import type { Flag, LeadDraft } from '../draft.js'
import { assessLead } from '../flags.js'
import type { Row } from '../sync/lead-store.js'
import { personKeys, upsertLead, type UpsertResult } from '../sync/upsert.js'
import type { HandlerDeps } from './deps.js'

const SOURCE = '/lead-processor'

type Synced = DataOf<'lead.synced.v1'>
type LeadFacts = Synced['lead']

/** A WhatsApp ref is `wa:<phone number>`: logs get it masked (meta: and form: refs hold no personal data). */
const loggedRef = (ref: string): string => (ref.startsWith('wa:') ? `wa:${maskPhone(ref.slice(3))}` : ref)
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const m2oName = (v: unknown): string | undefined => (Array.isArray(v) && typeof v[1] === 'string' ? v[1] : undefined)
/** Drops absent values, so optional properties are left out rather than set to undefined. */
const defined = <T extends object>(o: { [K in keyof T]-?: T[K] | undefined }): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

const trace = (event: AnyEvent) => ({ correlationId: event.correlationid ?? event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) })

export async function processDraft(draft: LeadDraft, event: AnyEvent, deps: HandlerDeps): Promise<Outcome> {
  const { flags, rejections } = assessLead(draft, deps.processing)
  if (rejections.length > 0) {
    await deps.bus.publish(createEvent({
      type: 'lead.rejected.v1',
      source: SOURCE,
      id: `rejected:${event.id}`,
      subject: draft.externalRef,
      ...trace(event),
      data: { channel: draft.channel, externalRef: draft.externalRef, sourceEventId: event.id, reasons: rejections, flags },
    }))
    deps.log.info({
      event_id: event.id,
      type: event.type,
      correlation_id: trace(event).correlationId,
      external_ref: loggedRef(draft.externalRef),
      reasons: rejections.map((r) => r.code),
      flags,
    }, 'lead rejected')
    deps.onSynced?.('rejected')
    return done
  }

  const release = await deps.locks.acquire(personKeys(draft), deps.processing.lockTimeoutMs)
  let result: UpsertResult
  try {
    result = await upsertLead(draft, flags, deps)
  } finally {
    await release()
  }
  const lead = result.lead
  const facts = defined<LeadFacts>({
    name: text(lead['name']) ?? draft.externalRef,
    contactName: draft.contactName ?? text(lead['contact_name']),
    email: draft.email,
    phone: draft.phone,
    city: draft.fields['city'],
    countryCode: draft.countryCode,
    companyName: draft.fields['partner_name'],
    userId: m2oId(lead['user_id']),
    teamId: m2oId(lead['team_id']),
    utmSource: draft.utm.source,
    utmMedium: draft.utm.medium,
    utmCampaign: draft.utm.campaign,
  })
  await publishSynced(event, draft.channel, draft.externalRef, result, facts, deps)
  deps.log.info({
    event_id: event.id,
    type: event.type,
    correlation_id: trace(event).correlationId,
    external_ref: loggedRef(draft.externalRef),
    lead_id: result.leadId,
    lead_outcome: result.outcome,
    replay: result.replay,
    flags: result.flags,
    email: draft.email ? maskEmail(draft.email) : undefined,
    phone: draft.phone ? maskPhone(draft.phone) : undefined,
  }, result.replay ? 'lead already synced' : `lead ${result.outcome}`)
  if (!result.replay) deps.onSynced?.(result.outcome)
  return done
}

const FLAGS: ReadonlySet<string> = new Set<Flag>(['INVALID_EMAIL', 'INVALID_PHONE', 'DISPOSABLE_EMAIL', 'DO_NOT_CALL', 'TEST_LEAD', 'REPEAT_ENQUIRY'])

/**
 * An enquiry Odoo already has, with its note (a redelivery): lead.synced.v1 again, from the lead as Odoo
 * holds it — no Graph read, nothing written. Flags come from gassistant_flags (addon) or the lead's tags.
 */
export async function replaySynced(row: Row, event: AnyEvent, channel: LeadDraft['channel'], externalRef: string, deps: HandlerDeps): Promise<Outcome> {
  let flags: Flag[]
  if (deps.store.hasAddon) flags = (text(row['gassistant_flags']) ?? '').split(',').filter((f): f is Flag => FLAGS.has(f))
  else {
    const tags = await deps.odoo.read<{ name: string }>('crm.tag', Array.isArray(row['tag_ids']) ? (row['tag_ids'] as number[]) : [], ['name'])
    flags = tags.map((t) => t.name).filter((f): f is Flag => FLAGS.has(f))
  }
  const countryId = m2oId(row['country_id'])
  const facts = defined<LeadFacts>({
    name: text(row['name']) ?? externalRef,
    contactName: text(row['contact_name']),
    email: text(row['email_from']),
    phone: text(row['phone']),
    city: text(row['city']),
    countryCode: countryId === undefined ? undefined : await deps.store.countryCode(countryId),
    companyName: text(row['partner_name']),
    userId: m2oId(row['user_id']),
    teamId: m2oId(row['team_id']),
    utmSource: m2oName(row['source_id']),
    utmMedium: m2oName(row['medium_id']),
    utmCampaign: m2oName(row['campaign_id']),
  })
  const result: UpsertResult = { outcome: 'created', leadId: row.id, partnerId: m2oId(row['partner_id']), flags, lead: row, replay: true }
  await publishSynced(event, channel, externalRef, result, facts, deps)
  deps.log.info({
    event_id: event.id,
    type: event.type,
    correlation_id: trace(event).correlationId,
    external_ref: loggedRef(externalRef),
    lead_id: row.id,
    lead_outcome: result.outcome,
    replay: true,
    flags,
  }, 'lead already synced')
  return done
}

async function publishSynced(event: AnyEvent, channel: LeadDraft['channel'], externalRef: string, result: UpsertResult, lead: LeadFacts, deps: HandlerDeps): Promise<void> {
  await deps.bus.publish(createEvent({
    type: 'lead.synced.v1',
    source: SOURCE,
    id: `synced:${event.id}`,
    subject: `lead:${result.leadId}`,
    ...trace(event),
    data: {
      outcome: result.outcome,
      leadId: result.leadId,
      ...(result.partnerId === undefined ? {} : { partnerId: result.partnerId }),
      externalRef,
      channel,
      sourceEventId: event.id,
      flags: result.flags,
      lead,
    },
  }))
}
