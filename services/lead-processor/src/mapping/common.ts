// Helpers shared by the three mappers: contact normalization and test-data recognition.
// Pure; never reads configuration itself (the region and mapping come in as arguments).
import { normalizeEmail } from '../normalize/email.js'
import { normalizePhone } from '../normalize/phone.js'

// What Meta's Lead Ads Testing Tool puts in every answer: "<test lead: dummy data for full_name>".
const META_TEST_VALUE = /^<test lead: dummy data for [^>]*>$/i

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
export function contactParts(rawEmail: string | undefined, rawPhone: string | undefined, region: string): ContactParts {
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
export const STANDARD_FIELDS: Readonly<Record<string, string>> = {
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

export const EMAIL_KEYS = ['email', 'work_email', 'email_address']
export const PHONE_KEYS = ['phone_number', 'phone', 'mobile', 'mobile_number', 'work_phone_number', 'whatsapp']
export const NAME_KEYS = ['full_name', 'name', 'your_name']
