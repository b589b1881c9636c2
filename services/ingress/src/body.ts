// Decoding of raw request bodies: strict UTF-8, JSON that keeps integers beyond 2^53 exact (Meta ad ids
// are 18 digits and JSON.parse rounds them), and urlencoded forms; the 400 message of a refused value.
// Never throws anything but InvalidPayload or UnsupportedMediaType.
import { parse as parseLossless } from 'lossless-json'
import { InvalidPayload, UnsupportedMediaType } from './errors.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i

/** A body declared in another charset (`application/json; charset=utf-16`) is refused, never read as UTF-8. */
export function requireUtf8(contentType: string | undefined, mediaType: string): void {
  const charset = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new UnsupportedMediaType(`${mediaType} in UTF-8`)
}

function decodeUtf8(raw: Buffer): string {
  if (raw.length === 0) throw new InvalidPayload('body is empty')
  try {
    return utf8.decode(raw)
  } catch {
    throw new InvalidPayload('body is not valid UTF-8')
  }
}

/** Integers that are not safe as JS numbers stay decimal strings; everything else is a number. */
function parseNumber(text: string): number | string {
  const value = Number(text)
  return Number.isSafeInteger(value) || !/^-?\d+$/.test(text) ? value : text
}

/** A number token of 16+ digits (after `:`, `[`, `,` or at the start) may exceed 2^53; shorter ones never do. */
const LONG_NUMBER = /(?:^|[:[,])\s*-?\d{16,}/

export function parseJson(raw: Buffer): unknown {
  const text = decodeUtf8(raw)
  // JSON.parse is several times faster; lossless-json only when a number could lose digits (a match
  // inside a string merely takes the slow path).
  if (!LONG_NUMBER.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      // Fall through: JSON.parse's message quotes the body (personal data); lossless-json's names a
      // position and one character.
    }
  }
  return parseLosslessOr400(text)
}

function parseLosslessOr400(text: string): unknown {
  try {
    return parseLossless(text, null, parseNumber)
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 120) : 'syntax error'
    throw new InvalidPayload(`body is not valid JSON: ${detail}`)
  }
}

export function parseUrlEncoded(raw: Buffer): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(decodeUtf8(raw))) fields[key] = value
  return fields
}

/** First validation error of a TypeBox check as "<path> <problem>", e.g. "/entry/0/changes must be array". */
export function describeErrors(errors: Iterable<{ instancePath: string; message?: string | undefined }>): string {
  for (const error of errors) return `${error.instancePath || 'body'} ${error.message ?? 'is invalid'}`
  return 'body is invalid'
}

/** A compiled TypeBox schema, as far as checking needs it. */
export interface Checker<T> {
  Check(value: unknown): value is T
  Errors(value: unknown): Iterable<{ instancePath: string; message: string }>
}

/** The value, typed; or InvalidPayload naming its first error below `path` (e.g. "/record/id must be integer"). */
export function checkAt<T>(checker: Checker<T>, value: unknown, path: string): T {
  if (!checker.Check(value)) throw new InvalidPayload(`${path}${describeErrors(checker.Errors(value)).replace(/^body/, '')}`)
  return value
}
