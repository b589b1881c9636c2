// The pino logger every service writes NDJSON to stdout with, and helpers that mask personal data.
// Redaction is the safety net, not the plan: callers must still not log secrets or raw personal data.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

export type { Logger } from 'pino'

/** Header and field paths that may carry credentials or signatures (pino redact syntax). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-gassistant-signature"]',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-hub-signature"]',
  'headers["x-hub-signature-256"]',
  'headers["x-gassistant-signature"]',
  'headers["x-api-key"]',
  'authorization',
  'signature', '*.signature',
  'token', '*.token', '*.*.token',
  'accessToken', '*.accessToken',
  'access_token', '*.access_token',
  'apiKey', '*.apiKey',
  'password', '*.password', '*.*.password',
  'secret', '*.secret', '*.*.secret',
  'appSecret', '*.appSecret',
]

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
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
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
