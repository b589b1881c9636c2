// The pino logger every service writes NDJSON to stdout with, and helpers that mask personal data.
// Redaction is the safety net, not the plan: callers must still not log secrets or raw personal data.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

export type { Logger } from 'pino'

/**
 * Keys whose values are credentials or signatures, wherever they appear in a logged object (headers
 * included: Node.js lower-cases header names). Matched by name at any depth: pino's wildcard redact
 * paths (`*.*.token`) cost ~10 µs a line, about a third of the ingress's CPU per request.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'authorization', 'cookie',
  'x-hub-signature', 'x-hub-signature-256', 'x-gassistant-signature', 'x-api-key',
  'signature', 'token', 'accessToken', 'access_token', 'apiKey', 'password', 'secret', 'appSecret',
])

const CENSOR = '[REDACTED]'
const MAX_DEPTH = 8

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null || Array.isArray(value)
}

/** A copy of `value` with every SECRET_KEYS value censored; `value` itself when there is none (the usual case). */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || !isPlain(value)) return value
  let copy: Record<string, unknown> | undefined
  const source = value as Record<string, unknown>
  for (const key of Object.keys(source)) {
    const current = source[key]
    const next = SECRET_KEYS.has(key) ? CENSOR : censorSecrets(current, depth + 1)
    if (next !== current) (copy ??= (Array.isArray(source) ? [...source] : { ...source }) as Record<string, unknown>)[key] = next
  }
  return (copy ?? value) as T
}

export interface LoggerConfig {
  service: string
  level?: string
  /** Where NDJSON goes; stdout when omitted (tests pass a stream). */
  destination?: DestinationStream
}

/**
 * `service` is on every line exactly once. It is added per line rather than as a base binding: a line
 * about another service's work (the shared bus of `pnpm start` logging a lead-processor delivery with
 * `{ service: 'lead-processor' }`) names that service instead of carrying two `service` keys, which
 * pino would otherwise write side by side. Never bind `service` in a child logger for the same reason.
 */
export function createLogger({ service, level = 'info', destination }: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level,
    base: null,
    // pino merges the line's own fields over the mixin's, so a `service` given by the caller wins.
    // (A fresh object each time: pino merges into the mixin's result.)
    mixin: (fields) => ('service' in fields ? {} : { service }),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (object) => censorSecrets(object) },
  }
  return destination ? pino(options, destination) : pino(options)
}

/** `m.qahtani@gmail.com` → `m***@gmail.com`: enough to tell leads apart in a log, not to contact them. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '***'
  return `${email.slice(0, 1)}***${email.slice(at)}`
}

/** `+966551234567` → `+966*****4567`: country code and last four digits kept. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '')
  if (digits.length <= 4) return '****'
  const head = digits.startsWith('+') ? digits.slice(0, 4) : ''
  const tail = digits.slice(-4)
  const hidden = Math.max(digits.length - head.length - tail.length, 1)
  return `${head}${'*'.repeat(hidden)}${tail}`
}
