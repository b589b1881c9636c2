// X-GAssistant-Signature (DESIGN.md "Signed webhooks"), the one signer and verifier: used by the ingress,
// the demo and the tests, and checked against ../test-vectors/gassistant-signature.json, the vectors the
// Odoo addon's Python signer is tested against too. Must never log, echo or return a secret or a signature.
import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto'

/** Header name as Node.js presents it (lower case). */
export const GASSISTANT_SIGNATURE_HEADER = 'x-gassistant-signature'
/** How far `t` may be from the verifier's clock, either way (±5 minutes). */
export const SIGNATURE_TOLERANCE_SECONDS = 300

/** Why a signature was refused; the ingress turns each into its own 401 code. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'too_old' | 'in_future'

/** A parsed header: `t` and every `v1` (several during a secret rotation). */
export interface GAssistantSignature {
  readonly timestamp: number
  readonly candidates: readonly string[]
}

/** The HMAC of `"<t>.<body>"` before the body is fed to it: callers may stream the body in. */
export function signatureMac(secret: string, timestamp: number): Hmac {
  return createHmac('sha256', secret).update(`${timestamp}.`)
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the header value for `body` sent at `timestamp`. */
export function signGAssistant(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},v1=${signatureMac(secret, timestamp).update(body).digest('hex')}`
}

/** The header's parts, or a problem when it is absent or malformed (nothing of it is echoed). */
export function parseGAssistantSignature(header: string | undefined): GAssistantSignature | SignatureProblem {
  if (header === undefined) return 'missing'
  let timestamp: number | undefined
  const candidates: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (key === 'v1' && value && /^[0-9a-fA-F]{64}$/.test(value)) candidates.push(value.toLowerCase())
  }
  return timestamp === undefined || candidates.length === 0 ? 'malformed' : { timestamp, candidates }
}

/**
 * Checks a finished MAC (from `signatureMac`, fed the exact raw body) against the header's candidates,
 * constant-time, then the time window: signature first, so a sender without the secret learns nothing
 * about our clock. Returns undefined when the signature holds.
 */
export function checkGAssistantSignature(signature: GAssistantSignature, mac: Hmac, nowSeconds: number): SignatureProblem | undefined {
  const expected = mac.digest()
  const matches = signature.candidates.some((candidate) => timingSafeEqual(expected, Buffer.from(candidate, 'hex')))
  if (!matches) return 'mismatch'
  const skew = signature.timestamp - nowSeconds
  if (skew > SIGNATURE_TOLERANCE_SECONDS) return 'in_future'
  if (skew < -SIGNATURE_TOLERANCE_SECONDS) return 'too_old'
  return undefined
}

/** The whole check over a body already in memory. Returns undefined when the signature holds. */
export function verifyGAssistant(header: string | undefined, body: string | Uint8Array, secret: string, nowSeconds: number): SignatureProblem | undefined {
  const signature = parseGAssistantSignature(header)
  if (typeof signature === 'string') return signature
  return checkGAssistantSignature(signature, signatureMac(secret, signature.timestamp).update(body), nowSeconds)
}
