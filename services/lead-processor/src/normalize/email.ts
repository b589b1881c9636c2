// Email addresses: trimmed, lower-cased and syntax-checked. Never "repairs" an address (no guessing of
// gmial.com → gmail.com): a bad one is reported so a human can look at it.
import { toAsciiDigits } from './digits.js'

export type EmailResult =
  | { readonly ok: true; readonly email: string; readonly domain: string }
  | { readonly ok: false; readonly raw: string }

// Pragmatic syntax: one @, no spaces, a dotted domain with a 2+ letter TLD. Deliberately stricter than
// RFC 5322 (no quoted local parts): those never come from lead forms and Odoo's own check refuses them.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export function normalizeEmail(raw: string): EmailResult {
  const email = toAsciiDigits(raw).replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().toLowerCase()
  if (email.length > 254) return { ok: false, raw }
  const at = email.lastIndexOf('@')
  if (at <= 0 || email.indexOf('@') !== at) return { ok: false, raw }
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  if (local.length > 64 || !LOCAL.test(local) || !DOMAIN.test(domain)) return { ok: false, raw }
  return { ok: true, email, domain }
}
