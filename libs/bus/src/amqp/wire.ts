// How bus messages look on the RabbitMQ wire: properties, our headers, and a confirmed publish on a raw
// channel. Must never carry secrets in headers: they are visible to anyone who can read the queue.
import type { AnyEvent } from '@gassistant/contracts'
import type { ConfirmChannel, MessageProperties, Options } from 'amqplib'

/** CloudEvents AMQP binding, structured mode. */
const CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8'

export const Header = {
  /** 1 on first delivery; set on every retry copy. Absent means 1. */
  attempt: 'gassistant-attempt',
  parkedReason: 'gassistant-parked-reason',
  parkedAt: 'gassistant-parked-at',
  lastError: 'gassistant-last-error',
  /** Epoch ms of the first failure (retry or unavailable): the retry budget runs from it. */
  firstFailure: 'gassistant-first-failure',
} as const

/** Irrecoverable AMQP reply codes: retrying the same call can never succeed. */
export const IRRECOVERABLE_CODES: ReadonlySet<number> = new Set([403, 404, 406])

/** Reasons go into headers; keep them bounded so a huge error message cannot bloat every copy. */
const MAX_REASON = 1_000
export const boundReason = (reason: string): string =>
  reason.length <= MAX_REASON ? reason : `${reason.slice(0, MAX_REASON - 1)}…`

export function publishProperties(event: AnyEvent, timeout: number): Options.Publish & { timeout: number } {
  return {
    persistent: true,
    contentType: CONTENT_TYPE,
    messageId: event.id,
    type: event.type,
    correlationId: event.correlationid ?? event.id,
    appId: event.source,
    timestamp: Math.floor(Date.parse(event.time) / 1000),
    timeout,
  }
}

/** The properties of a consumed message, carried over to a retry or parked copy with new headers. */
export function copyProperties(properties: MessageProperties, headers: Record<string, unknown>): Options.Publish {
  const kept: Options.Publish = { persistent: true, headers }
  if (typeof properties.contentType === 'string') kept.contentType = properties.contentType
  if (typeof properties.messageId === 'string') kept.messageId = properties.messageId
  if (typeof properties.type === 'string') kept.type = properties.type
  if (typeof properties.correlationId === 'string') kept.correlationId = properties.correlationId
  if (typeof properties.appId === 'string') kept.appId = properties.appId
  if (typeof properties.timestamp === 'number') kept.timestamp = properties.timestamp
  return kept
}

/** Headers of a message without the broker's dead-lettering history and our bookkeeping. */
export function baseHeaders(properties: MessageProperties): Record<string, unknown> {
  const headers: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(properties.headers ?? {})) {
    if (name.startsWith('x-') || name.startsWith('gassistant-')) continue
    headers[name] = value
  }
  return headers
}

export function headerText(properties: MessageProperties, name: string): string | undefined {
  const value: unknown = properties.headers?.[name]
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  return undefined
}

export function readAttempt(properties: MessageProperties): number {
  const value: unknown = properties.headers?.[Header.attempt]
  const attempt = typeof value === 'number' ? value : Number(value)
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : 1
}

export function readFirstFailure(properties: MessageProperties): number | undefined {
  const value: unknown = properties.headers?.[Header.firstFailure]
  const ms = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(ms) && ms > 0 ? ms : undefined
}

/** Publishes on a raw confirm channel and settles on the broker's ack or nack. */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, content, options, (error: unknown) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)))
      else resolve()
    })
  })
}

/**
 * What the broker said when it refused a call (amqplib: `Operation failed: QueueDeclare; 406
 * (PRECONDITION-FAILED) with message "… inequivalent arg 'x-max-length' for queue 'lead-processor' …"`):
 * names the queue and argument an operator must reconcile, and never a credential.
 */
export function brokerReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The AMQP reply code of an amqplib error, when it has one. */
export function replyCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'number' ? code : undefined
}

/** Host, port and vhost only: the URL's user and password must never reach a log line or a terminal. */
export function describeBroker(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || '5672'}${parsed.pathname || '/'}`
  } catch {
    return 'invalid AMQP URL'
  }
}
