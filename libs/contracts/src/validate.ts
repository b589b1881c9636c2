// Parse and validate events against their contract. Never throws on bad input: returns a result
// whose error names the offending field, so a consumer can park the message with that reason.
import { Compile } from 'typebox/compile'
import { AnyEnvelope } from './envelope.js'
import { EventSchemas, isEventType, type AnyEvent, type EventOf, type EventTypeName } from './registry.js'

export class ContractError extends Error {
  readonly code = 'CONTRACT_VIOLATION'
  /** JSON pointer of the offending field, e.g. `/data/leadgenId`; `/` for the whole message. */
  readonly field: string
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`)
    this.name = 'ContractError'
    this.field = field
  }
}

export type ParseResult<E> = { ok: true; event: E } | { ok: false; error: ContractError }

const envelopeCheck = Compile(AnyEnvelope)
const checks = Object.fromEntries(
  Object.entries(EventSchemas).map(([type, schema]) => [type, Compile(schema)]),
) as { [T in EventTypeName]: ReturnType<typeof Compile<(typeof EventSchemas)[T]>> }

function firstError(errors: readonly { instancePath: string; message: string }[]): ContractError {
  const first = errors[0]
  return new ContractError(first?.instancePath || '/', first?.message ?? 'is invalid')
}

/** Validates an already-decoded value as the event of its own `type`. */
export function validateEvent(value: unknown): ParseResult<AnyEvent> {
  if (!envelopeCheck.Check(value)) return { ok: false, error: firstError(envelopeCheck.Errors(value)) }
  if (!isEventType(value.type)) return { ok: false, error: new ContractError('/type', `is unknown: ${value.type}`) }
  const check = checks[value.type]
  if (!check.Check(value)) return { ok: false, error: firstError(check.Errors(value)) }
  return { ok: true, event: value as AnyEvent }
}

/** Validates a value as an event of the given type (what a consumer subscribed to). */
export function validateEventOf<T extends EventTypeName>(type: T, value: unknown): ParseResult<EventOf<T>> {
  const result = validateEvent(value)
  if (!result.ok) return result
  if (result.event.type !== type) {
    return { ok: false, error: new ContractError('/type', `must be ${type}, got ${result.event.type}`) }
  }
  return { ok: true, event: result.event as EventOf<T> }
}

/** Decodes bytes off the wire (UTF-8 JSON) and validates them. */
export function parseEvent(bytes: Uint8Array | string): ParseResult<AnyEvent> {
  let value: unknown
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    value = JSON.parse(text)
  } catch (error) {
    const problem = error instanceof SyntaxError ? 'is not valid JSON' : 'is not valid UTF-8'
    return { ok: false, error: new ContractError('/', problem) }
  }
  return validateEvent(value)
}

/** Encodes an event for the wire. Non-ASCII text goes out as raw UTF-8, never re-escaped. */
export function encodeEvent(event: AnyEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8')
}
