// The channel-independent shape every inbound lead is mapped to before flags, dedupe and Odoo writes.
// Pure data: mappers produce it, flags.ts and sync/ read it. Never holds Odoo ids.

export type Channel = 'meta' | 'whatsapp' | 'form'

export type Flag = 'INVALID_EMAIL' | 'INVALID_PHONE' | 'DISPOSABLE_EMAIL' | 'DO_NOT_CALL' | 'TEST_LEAD' | 'REPEAT_ENQUIRY'

/** One answer the person gave that has no Odoo field of its own: kept in the description. */
export interface Answer {
  readonly question: string
  readonly answer: string
}

export interface LeadDraft {
  readonly channel: Channel
  /** `meta:<leadgen_id>`, `wa:<wa_id>`, `form:<hash>`: the idempotency key of this enquiry. */
  readonly externalRef: string
  /** Human label of where it came from, e.g. "Meta Lead Ads (Instagram)". */
  readonly sourceLabel: string
  readonly contactName?: string
  /** Normalized (lower-case, syntax-checked) email; absent when missing or invalid. */
  readonly email?: string
  /** What was typed, when it was not a valid email (kept for the note and flag). */
  readonly invalidEmail?: string
  /** E.164 phone; absent when missing or invalid. */
  readonly phone?: string
  readonly invalidPhone?: string
  /** ISO country of the phone number (from libphonenumber) or of the answer "country". */
  readonly countryCode?: string
  readonly waId?: string
  /** crm.lead values mapped one-to-one (city, partner_name, function, street, zip, website, per-form fields). */
  readonly fields: Readonly<Record<string, string>>
  readonly answers: readonly Answer[]
  readonly utm: { readonly source?: string; readonly medium?: string; readonly campaign?: string }
  /** Ad facts for the note (ad name, ad set, form id, referral headline…), label → value. */
  readonly adFacts: readonly Answer[]
  /** The WhatsApp message or web-form message, shown in the description and the note. */
  readonly message?: string
  /** A WhatsApp message id, so a redelivered message is never logged twice. */
  readonly messageId?: string
  readonly isTestLead: boolean
  /** When the person submitted it (ISO). */
  readonly submittedAt: string
}
