// The common tail of every handler: flags, reject-or-sync under the person's lock, then the outgoing
// event (lead.synced.v1 or lead.rejected.v1). Outgoing ids derive from the inbound event id, so a
// redelivered event publishes the same id again and consumers dedupe it. The inbound event is acked
// by the bus only after this resolved, i.e. after Odoo has the lead and the broker has the event.
import { createEvent, type AnyEvent } from '@gassistant/contracts'
import { done, type Outcome } from '@gassistant/bus'
import { maskEmail, maskPhone } from '@gassistant/runtime'
import type { LeadDraft } from '../draft.js'
import { assessLead } from '../flags.js'
import type { HandlerDeps } from '../handlers/deps.js'
import { personKeys, upsertLead } from './upsert.js'

const SOURCE = '/lead-processor'

/** A WhatsApp ref is `wa:<phone number>`: logs get it masked (meta: and form: refs hold no personal data). */
const loggedRef = (ref: string): string => (ref.startsWith('wa:') ? `wa:${maskPhone(ref.slice(3))}` : ref)

const m2oId = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined)

export async function processDraft(draft: LeadDraft, event: AnyEvent, deps: HandlerDeps): Promise<Outcome> {
  const { flags, rejections } = assessLead(draft, deps.config)
  const trace = { correlationId: event.correlationid ?? event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) }
  if (rejections.length > 0) {
    await deps.bus.publish(createEvent({
      type: 'lead.rejected.v1',
      source: SOURCE,
      id: `rejected:${event.id}`,
      subject: draft.externalRef,
      ...trace,
      data: { channel: draft.channel, externalRef: draft.externalRef, sourceEventId: event.id, reasons: rejections, flags },
    }))
    deps.log.info({
      event_id: event.id,
      type: event.type,
      correlation_id: trace.correlationId,
      external_ref: loggedRef(draft.externalRef),
      reasons: rejections.map((r) => r.code),
      flags,
    }, 'lead rejected')
    deps.onSynced?.('rejected')
    return done
  }

  const release = await deps.locks.acquire(personKeys(draft), deps.config.lockTimeoutMs)
  let result
  try {
    result = await upsertLead(draft, flags, deps)
  } finally {
    await release()
  }

  const lead = result.lead
  const name = typeof lead['name'] === 'string' ? lead['name'] : draft.externalRef
  const contactName = draft.contactName ?? (typeof lead['contact_name'] === 'string' ? lead['contact_name'] : undefined)
  const userId = m2oId(lead['user_id'])
  const teamId = m2oId(lead['team_id'])
  await deps.bus.publish(createEvent({
    type: 'lead.synced.v1',
    source: SOURCE,
    id: `synced:${event.id}`,
    subject: `lead:${result.leadId}`,
    ...trace,
    data: {
      outcome: result.outcome,
      leadId: result.leadId,
      ...(result.partnerId === undefined ? {} : { partnerId: result.partnerId }),
      externalRef: draft.externalRef,
      channel: draft.channel,
      sourceEventId: event.id,
      flags: result.flags,
      lead: {
        name,
        ...(contactName === undefined ? {} : { contactName }),
        ...(draft.email === undefined ? {} : { email: draft.email }),
        ...(draft.phone === undefined ? {} : { phone: draft.phone }),
        ...(draft.fields['city'] === undefined ? {} : { city: draft.fields['city'] }),
        ...(draft.countryCode === undefined ? {} : { countryCode: draft.countryCode }),
        ...(draft.fields['partner_name'] === undefined ? {} : { companyName: draft.fields['partner_name'] }),
        ...(userId === undefined ? {} : { userId }),
        ...(teamId === undefined ? {} : { teamId }),
        ...(draft.utm.source === undefined ? {} : { utmSource: draft.utm.source }),
        ...(draft.utm.medium === undefined ? {} : { utmMedium: draft.utm.medium }),
        ...(draft.utm.campaign === undefined ? {} : { utmCampaign: draft.utm.campaign }),
      },
    },
  }))
  deps.log.info({
    event_id: event.id,
    type: event.type,
    correlation_id: trace.correlationId,
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
