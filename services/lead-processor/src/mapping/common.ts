// Helpers shared by the three mappers: sorting form answers, contact normalization and test-data recognition.
// Pure; never reads configuration itself (the region and mapping come in as arguments).
import type { Answer, LeadDraft } from '../draft.js'
import { normalizeEmail } from '../normalize/email.js'
import { joinName, normalizeName } from '../normalize/name.js'
import { normalizePhone } from '../normalize/phone.js'

// What Meta's Lead Ads Testing Tool puts in every answer: "<test lead: dummy data for full_name>"; some
// tools in between (CRMs, sheets, HTML sanitizers) strip the angle brackets, so both forms are recognised.
const META_TEST_VALUE = /^(?:<test lead: dummy data for [^<>]*>|test lead: dummy data for [^<>]*)$/i

export function isMetaTestValue(value: string): boolean {
  return META_TEST_VALUE.test(value.trim())
}

export interface ContactParts {
  email?: string
  invalidEmail?: string
  phone?: string
  invalidPhone?: string
  countryCode?: string
}

/** Normalizes the typed email and phone; keeps what was typed when it is not usable. */
function contactParts(rawEmail: string | undefined, rawPhone: string | undefined, region: string): ContactParts {
  const out: ContactParts = {}
  if (rawEmail !== undefined && rawEmail.trim() !== '') {
    const e = normalizeEmail(rawEmail)
    if (e.ok) out.email = e.email
    else out.invalidEmail = rawEmail.trim()
  }
  if (rawPhone !== undefined && rawPhone.trim() !== '') {
    const p = normalizePhone(rawPhone, region)
    if (p.ok) {
      out.phone = p.e164
      if (p.country !== undefined) out.countryCode = p.country
    } else out.invalidPhone = rawPhone.trim()
  }
  return out
}

/** The crm.lead field a standard answer key belongs to (shared by Meta forms and web forms). */
const STANDARD_FIELDS: Readonly<Record<string, string>> = {
  city: 'city',
  street_address: 'street',
  street: 'street',
  zip_code: 'zip',
  post_code: 'zip',
  zip: 'zip',
  company_name: 'partner_name',
  company: 'partner_name',
  job_title: 'function',
  website: 'website',
}

const EMAIL_KEYS = ['email', 'work_email', 'email_address']
const PHONE_KEYS = ['phone_number', 'phone', 'mobile', 'mobile_number', 'work_phone_number', 'whatsapp']
const NAME_KEYS = ['full_name', 'name', 'your_name']

/** A form's answers sorted into contact details (as typed), crm.lead fields and free answers. */
export interface SortedAnswers {
  readonly picked: Readonly<Record<'email' | 'phone' | 'name' | 'first' | 'last' | 'country' | 'message', string | undefined>>
  readonly fields: Record<string, string>
  readonly answers: Answer[]
}

/** What every mapper needs: the region for national phone forms, the mapping file, this Odoo's crm.lead fields. */
export interface MappingOptions {
  readonly defaultRegion: string
  readonly formMapping: FormMapping
  /** crm.lead's fields on the server: an answer meant for a field it lacks stays an answer. */
  readonly leadFields: ReadonlySet<string>
}

/** form id (Meta) or form key (web) → question key → crm.lead field name (or `email_from`, `phone`, `contact_name`). */
export type FormMapping = Readonly<Record<string, Readonly<Record<string, string>>>>

/**
 * Sorts non-empty answers (shared by Meta forms and web forms): the per-form mapping wins, then the
 * standard keys; an answer for a field this Odoo has becomes that field, everything else is kept as a
 * "question: answer" line. `messageKeys` name the free-text answer (web forms only); the first
 * email/phone/name answer wins.
 */
export function sortAnswers(
  entries: Iterable<readonly [key: string, value: string]>,
  perForm: Readonly<Record<string, string>>,
  leadFields: ReadonlySet<string>,
  messageKeys: readonly string[] = [],
): SortedAnswers {
  const picked: Partial<Record<keyof SortedAnswers['picked'], string>> = {}
  const fields: Record<string, string> = {}
  const answers: Answer[] = []
  const toField = (field: string, key: string, value: string): void => {
    if (leadFields.has(field)) fields[field] = value
    else answers.push({ question: key, answer: value })
  }
  for (const [key, value] of entries) {
    const target = perForm[key]
    const lower = key.toLowerCase()
    if (target === 'email_from' || (target === undefined && EMAIL_KEYS.includes(lower))) picked.email ??= value
    else if (target === 'phone' || target === 'mobile' || (target === undefined && PHONE_KEYS.includes(lower))) picked.phone ??= value
    else if (target === 'contact_name' || (target === undefined && NAME_KEYS.includes(lower))) picked.name ??= value
    else if (target !== undefined) toField(target, key, value)
    else if (lower === 'first_name') picked.first = value
    else if (lower === 'last_name') picked.last = value
    else if (messageKeys.includes(lower)) picked.message = value
    else if (lower === 'country' && /^[A-Za-z]{2}$/.test(value)) picked.country = value.toUpperCase()
    else if (STANDARD_FIELDS[lower] !== undefined) toField(STANDARD_FIELDS[lower], key, value)
    else answers.push({ question: key, answer: value })
  }
  return { picked: picked as SortedAnswers['picked'], fields, answers }
}

/** The draft's contact part from sorted answers: name, normalized email/phone, and the country. */
export function contactOf(
  picked: SortedAnswers['picked'],
  region: string,
): Pick<LeadDraft, 'contactName' | 'email' | 'invalidEmail' | 'phone' | 'invalidPhone' | 'countryCode'> {
  const contactName = normalizeName(picked.name) ?? joinName(picked.first, picked.last)
  const contact = contactParts(picked.email, picked.phone, region)
  const countryCode = picked.country ?? contact.countryCode
  return {
    ...(contactName === undefined ? {} : { contactName }),
    ...contact,
    ...(countryCode === undefined ? {} : { countryCode }),
  }
}
