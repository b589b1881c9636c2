// Every error the ingress answers with, in one table (@fastify/error). The runtime's error handler turns
// them into `{ statusCode, code, message }`; `reason` is what the log line and the refusal counter show.
// Messages name the problem, never a secret, a signature or a personal value.
import createError from '@fastify/error'

export const MissingSignature = createError('MISSING_SIGNATURE', 'missing %s header', 401)
export const Sha1OnlySignature = createError(
  'SHA1_SIGNATURE_REFUSED',
  'X-Hub-Signature (SHA-1) is not accepted; send X-Hub-Signature-256',
  401,
)
export const InvalidSignature = createError('INVALID_SIGNATURE', 'signature does not match the body', 401)
export const MalformedSignature = createError('MALFORMED_SIGNATURE', '%s header is malformed', 401)
export const StaleSignature = createError('STALE_SIGNATURE', 'signature timestamp is more than %s seconds %s', 401)
export const InvalidApiKey = createError('INVALID_API_KEY', 'API key does not match', 401)
export const VerificationFailed = createError('VERIFICATION_FAILED', 'subscription verification failed', 403)
export const UnknownForm = createError('UNKNOWN_FORM', 'unknown form key', 404)
export const InvalidPayload = createError('INVALID_PAYLOAD', '%s', 400)
export const RateLimited = createError('RATE_LIMITED', 'rate limit exceeded, retry in %s', 429)
const BrokerUnavailable = createError('BROKER_UNAVAILABLE', 'event broker unavailable, retry later', 503)

/** Seconds a sender should wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 5

/** The broker could not confirm the events: 503 with Retry-After, so Meta/Odoo/forms retry. */
export function brokerUnavailable(cause: unknown): Error {
  const error = new BrokerUnavailable({ cause })
  return Object.assign(error, { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } })
}
export const UnsupportedMediaType = createError('UNSUPPORTED_MEDIA_TYPE', 'content type must be %s', 415)
