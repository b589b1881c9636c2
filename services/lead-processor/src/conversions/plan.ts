// Which Conversions API for CRM events a lead's stage calls for (meta-conversions-api-crm.md): the configured
// funnel (Odoo stage → Meta event name, in order) up to the lead's stage, earlier stages included when they
// were skipped, minus those already sent; nothing older than 7 days or before the lead's creation (Meta
// drops those, or refuses the whole request). The leadgen id goes unhashed as user_data.lead_id; email and
// phone, when known, only as SHA-256 of their normalized form. Deterministic event ids per (lead, stage),
// so Meta deduplicates a resend. Pure.
import { createHash } from 'node:crypto'
import type { ConversionEvent } from '../graph/client.js'
import { normalizeEmail } from '../normalize/email.js'
import { normalizePhone } from '../normalize/phone.js'

/** The funnel in order: each Odoo stage name and the event name Meta receives for it. */
export type StageFunnel = readonly { readonly stage: string; readonly event: string }[]

export interface PlanInput {
  readonly leadgenId: string
  /** The lead's stage name in Odoo. */
  readonly stage: string
  /** When the stage changed (the addon's occurredAt). */
  readonly changedAt: Date
  readonly leadCreatedAt: Date
  /** Event ids (conversionEventId) already sent for this lead. */
  readonly sent: ReadonlySet<string>
  readonly now: Date
  readonly funnel: StageFunnel
  /** custom_data.lead_event_source: the CRM's name. */
  readonly crmName: string
  readonly email?: string
  readonly phone?: string
  readonly phoneRegion: string
}

export type Plan =
  | { readonly kind: 'send'; readonly events: readonly ConversionEvent[] }
  | { readonly kind: 'nothing'; readonly reason: 'stage not in the funnel' | 'every stage already sent' | 'older than 7 days' | "before the lead's creation" }

/** Meta refuses a request holding an event older than this (meta-conversions-api-crm.md "One event"). */
export const MAX_AGE_MS = 7 * 86_400_000

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const slug = (name: string): string => name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')

export const conversionEventId = (leadgenId: string, eventName: string): string => `${leadgenId}:${slug(eventName)}`

/** Meta's normalization before hashing: email trimmed and lower-cased; phone as digits with country code, no '+'. */
function hashedUserData(input: PlanInput): { em?: string[]; ph?: string[] } {
  const email = input.email === undefined ? undefined : normalizeEmail(input.email)
  const phone = input.phone === undefined ? undefined : normalizePhone(input.phone, input.phoneRegion)
  return {
    ...(email?.ok === true ? { em: [sha256(email.email)] } : {}),
    ...(phone?.ok === true ? { ph: [sha256(phone.e164.slice(1))] } : {}),
  }
}

export function planConversions(input: PlanInput): Plan {
  const index = input.funnel.findIndex((step) => step.stage.trim().toLowerCase() === input.stage.trim().toLowerCase())
  if (index < 0) return { kind: 'nothing', reason: 'stage not in the funnel' }
  if (input.changedAt.getTime() < input.now.getTime() - MAX_AGE_MS) return { kind: 'nothing', reason: 'older than 7 days' }
  if (input.changedAt.getTime() < input.leadCreatedAt.getTime()) return { kind: 'nothing', reason: "before the lead's creation" }
  const due = input.funnel.slice(0, index + 1).filter((step) => !input.sent.has(conversionEventId(input.leadgenId, step.event)))
  if (due.length === 0) return { kind: 'nothing', reason: 'every stage already sent' }
  const eventTime = Math.floor(input.changedAt.getTime() / 1000)
  const userData = { lead_id: input.leadgenId, ...hashedUserData(input) }
  return {
    kind: 'send',
    events: due.map((step) => ({
      event_name: step.event,
      event_time: eventTime,
      action_source: 'system_generated',
      event_id: conversionEventId(input.leadgenId, step.event),
      user_data: userData,
      custom_data: { event_source: 'crm', lead_event_source: input.crmName },
    })),
  }
}
