// The signature schemes webhook routes name in their config: Meta's X-Hub-Signature-256 (the Meta and the
// WhatsApp app), our X-GAssistant-Signature (the Odoo addon), and per-form credentials (that signature with
// the form's secret, or its API key). Always over the exact raw bytes, always constant-time.
// Must never log or echo a signature or a secret.
import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto'
import {
  GASSISTANT_SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  checkGAssistantSignature,
  parseGAssistantSignature,
  signatureMac,
  type SignatureProblem,
} from '@gassistant/contracts'
import type { FastifyRequest } from 'fastify'
import type { FormCredentials } from './config.js'
import { InvalidApiKey, InvalidSignature, MalformedSignature, MissingSignature, Sha1OnlySignature, StaleSignature, UnknownForm } from './errors.js'
import type { BodyCheck, SignatureScheme } from './plugins/signatures.js'

const FORM_KEY = /^[A-Za-z0-9_-]{1,64}$/

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * Meta and WhatsApp: `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(app secret, raw body).
 * A request carrying only the legacy SHA-1 header is refused: SHA-1 is not what we verify.
 */
export function hubSignature(appSecret: string): SignatureScheme {
  return (request) => {
    const header = single(request.headers['x-hub-signature-256'])
    if (header === undefined) {
      if (request.headers['x-hub-signature'] !== undefined) throw new Sha1OnlySignature()
      throw new MissingSignature('X-Hub-Signature-256')
    }
    const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())?.[1]
    if (!hex) throw new MalformedSignature('X-Hub-Signature-256')
    const given = Buffer.from(hex, 'hex')
    return {
      mac: createHmac('sha256', appSecret),
      verify: (mac: Hmac) => {
        if (!timingSafeEqual(mac.digest(), given)) throw new InvalidSignature()
      },
    }
  }
}

function refuse(problem: SignatureProblem | undefined): void {
  if (problem === undefined) return
  if (problem === 'in_future') throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'in the future')
  if (problem === 'too_old') throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'old (replay)')
  throw new InvalidSignature()
}

/** `X-GAssistant-Signature` (DESIGN.md "Signed webhooks"); the signature is checked before the ±5 min window. */
function gassistantCheck(request: FastifyRequest, secret: string, clock: () => Date): BodyCheck {
  const signature = parseGAssistantSignature(single(request.headers[GASSISTANT_SIGNATURE_HEADER]))
  if (signature === 'missing') throw new MissingSignature('X-GAssistant-Signature')
  if (typeof signature === 'string') throw new MalformedSignature('X-GAssistant-Signature')
  return {
    mac: signatureMac(secret, signature.timestamp),
    verify: (mac) => refuse(checkGAssistantSignature(signature, mac, Math.floor(clock().getTime() / 1000))),
  }
}

export function gassistantSignature(secret: string, clock: () => Date): SignatureScheme {
  return (request) => gassistantCheck(request, secret, clock)
}

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`
 * (api.slack.com/authentication/verifying-requests-from-slack). Like ours, the signature is checked before the
 * ±5 min window, so a stale request is told so only when it was genuinely Slack's.
 */
export function slackSignature(signingSecret: string, clock: () => Date): SignatureScheme {
  return (request) => {
    const header = single(request.headers['x-slack-signature'])
    const stamp = single(request.headers['x-slack-request-timestamp'])
    if (header === undefined) throw new MissingSignature('X-Slack-Signature')
    if (stamp === undefined) throw new MissingSignature('X-Slack-Request-Timestamp')
    const hex = /^v0=([0-9a-fA-F]{64})$/.exec(header.trim())?.[1]
    if (!hex) throw new MalformedSignature('X-Slack-Signature')
    if (!/^\d{1,12}$/.test(stamp.trim())) throw new MalformedSignature('X-Slack-Request-Timestamp')
    const timestamp = Number(stamp.trim())
    const given = Buffer.from(hex, 'hex')
    return {
      mac: createHmac('sha256', signingSecret).update(`v0:${timestamp}:`),
      verify: (mac: Hmac) => {
        if (!timingSafeEqual(mac.digest(), given)) throw new InvalidSignature()
        const skew = Math.floor(clock().getTime() / 1000) - timestamp
        if (skew > SIGNATURE_TOLERANCE_SECONDS) throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'old (replay)')
        if (skew < -SIGNATURE_TOLERANCE_SECONDS) throw new StaleSignature(SIGNATURE_TOLERANCE_SECONDS, 'in the future')
      },
    }
  }
}

/** Constant-time comparison of an API key or verify token with the configured one (lengths not revealed). */
export function sameSecret(expected: string, given: string): boolean {
  const a = createHmac('sha256', 'api-key').update(expected).digest()
  const b = createHmac('sha256', 'api-key').update(given).digest()
  return timingSafeEqual(a, b)
}

/** The credentials of the `:formKey` the URL names, or 404 for a form we do not know. */
export function formOf(request: FastifyRequest, forms: Readonly<Record<string, FormCredentials>>): FormCredentials {
  const formKey = (request.params as { formKey?: string }).formKey ?? ''
  const credentials = FORM_KEY.test(formKey) && Object.hasOwn(forms, formKey) ? forms[formKey] : undefined
  if (!credentials) throw new UnknownForm()
  return credentials
}

/** Forms: the form's own X-GAssistant-Signature (browser posts through a signing backend) or its X-API-Key (server posts). */
export function formCredentials(forms: Readonly<Record<string, FormCredentials>>, clock: () => Date): SignatureScheme {
  return (request) => {
    const credentials = formOf(request, forms)
    if (request.headers[GASSISTANT_SIGNATURE_HEADER] !== undefined && credentials.secret) return gassistantCheck(request, credentials.secret, clock)
    const apiKey = request.headers['x-api-key']
    if (typeof apiKey === 'string' && credentials.apiKey) {
      if (!sameSecret(credentials.apiKey, apiKey)) throw new InvalidApiKey()
      return undefined
    }
    throw new MissingSignature(credentials.secret ? 'X-GAssistant-Signature' : 'X-API-Key')
  }
}
