// Phone numbers to E.164 with libphonenumber-js (full metadata, so "valid" means a real number range).
// Accepts what people type in the Gulf and Egypt: Arabic-Indic/Persian digits, `00` or `+` prefixes,
// national `05…`/`01…` forms, spaces, dashes, dots, brackets and invisible direction marks.
// Must never guess silently: an unparsable or invalid number is reported as invalid, not "fixed".
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { toAsciiDigits } from './digits.js'

export type PhoneResult =
  | { readonly ok: true; readonly e164: string; readonly country: string | undefined }
  | { readonly ok: false; readonly raw: string }

// Bidi marks (LRM, RLM, embeddings, isolates) ride along when a number is copied from Arabic text.
const INVISIBLE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g
const SEPARATORS = /[\s\-.()/\u00a0\u2010-\u2015]/g

/** Cleans the typed form to `+digits` or `digits`, or undefined when other characters remain. */
function cleanPhoneText(raw: string): string | undefined {
  let s = toAsciiDigits(raw).replace(INVISIBLE, '').replace(SEPARATORS, '')
  s = s.replace(/^\uff0b/, '+')
  if (s.startsWith('00')) s = `+${s.slice(2)}`
  if (!/^\+?[0-9]{4,17}$/.test(s)) return undefined
  return s
}

function parseValid(text: string, region: CountryCode): { e164: string; country: string | undefined } | undefined {
  const parsed = parsePhoneNumberFromString(text, region)
  if (parsed === undefined || !parsed.isValid()) return undefined
  return { e164: parsed.number, country: parsed.country }
}

/**
 * Normalizes one typed phone number. `defaultRegion` (ISO 3166 alpha-2, e.g. "SA") applies to national
 * forms only; a number that is invalid nationally but valid with a `+` in front (e.g. "966551234567" as
 * WhatsApp and many forms write it) is read as international.
 */
export function normalizePhone(raw: string, defaultRegion: string): PhoneResult {
  const cleaned = cleanPhoneText(raw)
  if (cleaned === undefined) return { ok: false, raw }
  const region = defaultRegion.toUpperCase() as CountryCode
  const found = parseValid(cleaned, region) ?? (cleaned.startsWith('+') ? undefined : parseValid(`+${cleaned}`, region))
  return found === undefined ? { ok: false, raw } : { ok: true, ...found }
}

/** A WhatsApp id is the number in international form without `+`. */
export function phoneFromWaId(waId: string): PhoneResult {
  return normalizePhone(`+${waId}`, 'SA')
}
