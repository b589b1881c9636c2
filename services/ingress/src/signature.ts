// Signature checks for every signed webhook: Meta's X-Hub-Signature-256 and our X-GAssistant-Signature.
// Always over the exact raw bytes, always constant-time. Must never log or echo a signature or secret.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { InvalidSignature, MalformedSignature, MissingSignature, Sha1OnlySignature, StaleSignature } from './errors.js'

export const GASSISTANT_HEADER = 'x-gassistant-signature'
/** ±5 minutes (DESIGN.md "Signed webhooks"). */
const SIGNATURE_TOLERANCE_SECONDS = 300

function hmacHex(secret: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac('sha256', secret)
  for (const part of parts) mac.update(part)
  return mac.digest('hex')
}

/** Constant-time comparison of two hex strings (lengths are not secret: both are SHA-256 digests). */
function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given.toLowerCase(), 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

type Headers = Record<string, string | string[] | undefined>

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * Meta and WhatsApp: `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(app secret, raw body).
 * A request carrying only the legacy SHA-1 header is refused: SHA-1 is not what we verify.
 */
export function verifyHubSignature(raw: Buffer, headers: Headers, secret: string): void {
  const header = single(headers['x-hub-signature-256'])
  if (header === undefined) {
    if (headers['x-hub-signature'] !== undefined) throw new Sha1OnlySignature()
    throw new MissingSignature('X-Hub-Signature-256')
  }
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())
  if (!match?.[1]) throw new MalformedSignature('X-Hub-Signature-256')
  if (!sameHex(hmacHex(secret, raw), match[1])) throw new InvalidSignature()
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; several v1 allowed (secret rotation). */
export function signGAssistant(secret: string, timestamp: number, raw: Buffer | string): string {
  return `t=${timestamp},v1=${hmacHex(secret, `${timestamp}.`, raw)}`
}

export function verifyGAssistantSignature(raw: Buffer, headers: Headers, secret: string, now: Date): void {
  const header = single(headers[GASSISTANT_HEADER])
  if (header === undefined) throw new MissingSignature('X-GAssistant-Signature')
  let timestamp: string | undefined
  const candidates: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = value
    else if (key === 'v1' && value && /^[0-9a-fA-F]{64}$/.test(value)) candidates.push(value)
  }
  if (timestamp === undefined || candidates.length === 0) throw new MalformedSignature('X-GAssistant-Signature')
  // Signature first, window second: an attacker without the secret learns nothing about our clock.
  const expected = hmacHex(secret, `${timestamp}.`, raw)
  if (!candidates.some((candidate) => sameHex(expected, candidate))) throw new InvalidSignature()
  const skew = Number(timestamp) - Math.floor(now.getTime() / 1000)
  if (skew > SIGNATURE_TOLERANCE_SECONDS) throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'in the future')
  if (skew < -SIGNATURE_TOLERANCE_SECONDS) throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'old (replay)')
}

/** Constant-time comparison of an API key header with the configured one. */
export function sameSecret(expected: string, given: string): boolean {
  const a = createHmac('sha256', 'api-key').update(expected).digest()
  const b = createHmac('sha256', 'api-key').update(given).digest()
  return timingSafeEqual(a, b)
}
