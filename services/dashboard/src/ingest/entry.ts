// One pino log line of any hub service, reduced to the fields the dashboard reads. Generic on purpose: a
// service that logs `service`, `type`, `outcome`, `event_id`, `correlation_id`, `msg` and `duration_ms`
// (the house logging contract) shows up in the pipeline counts and in a lead's journey without the dashboard
// knowing it. Never keeps a field the logs do not have, and never the whole line (it may be large).

export interface LogEntry {
  /** Epoch ms of the line's `time`. */
  readonly at: number
  readonly service: string
  readonly level: string
  readonly msg: string
  readonly type?: string | undefined
  readonly outcome?: string | undefined
  readonly eventId?: string | undefined
  readonly correlationId?: string | undefined
  readonly durationMs?: number | undefined
  readonly reason?: string | undefined
  readonly leadId?: number | undefined
  /** What happened to the lead in Odoo (lead-processor: created, updated, merged). */
  readonly leadOutcome?: string | undefined
  readonly leadgenId?: string | undefined
  /** Ids of the events an ingress request published (one request may carry several). */
  readonly eventIds?: readonly string[] | undefined
  /** The HTTP route of a request line. */
  readonly route?: string | undefined
  readonly status?: number | undefined
  readonly score?: number | undefined
  readonly tier?: string | undefined
}

/** Reasons and messages are cut here: enough to tell failures apart, bounded in memory. */
const MAX_TEXT = 160

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : undefined)
const id = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : typeof value === 'number' ? String(value) : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/** pino's numeric levels, for lines written without the runtime's label formatter. */
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

function levelOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return LEVELS[value] ?? String(value)
  return 'info'
}

const digits = (text: string, from: number, length: number): number => {
  let value = 0
  for (let i = from; i < from + length; i++) value = value * 10 + text.charCodeAt(i) - 48
  return value
}

function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    // pino's isoTime, `2026-01-08T10:30:00.000Z`, read directly: Date.parse was a fifth of the ingest time.
    if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
      const ms = Date.UTC(digits(value, 0, 4), digits(value, 5, 2) - 1, digits(value, 8, 2), digits(value, 11, 2), digits(value, 14, 2), digits(value, 17, 2), digits(value, 20, 3))
      if (!Number.isNaN(ms)) return ms
    }
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}

/**
 * The entry of one line, or undefined when it is not a service's JSON log line (a blank line, a stack trace,
 * a `docker compose logs` banner). Tolerates the `service-1  | ` prefix compose adds without --no-log-prefix.
 */
export function parseLine(line: string): LogEntry | undefined {
  const start = line.indexOf('{')
  if (start < 0) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(start === 0 ? line : line.slice(start))
  } catch {
    return undefined
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
  const fields = raw as Record<string, unknown>
  const service = text(fields['service'])
  const at = timeOf(fields['time'])
  if (service === undefined || at === undefined) return undefined
  const eventIds = Array.isArray(fields['event_ids']) ? fields['event_ids'].map(id).filter((value): value is string => value !== undefined).slice(0, 50) : undefined
  // One object shape for every line (absent fields undefined): V8 keeps it fast at a million lines.
  return {
    at,
    service,
    level: levelOf(fields['level']),
    msg: text(fields['msg']) ?? '',
    type: text(fields['type']),
    outcome: text(fields['outcome']),
    eventId: id(fields['event_id']),
    correlationId: id(fields['correlation_id']),
    durationMs: num(fields['duration_ms']),
    reason: text(fields['reason']),
    leadId: num(fields['lead_id']),
    leadOutcome: text(fields['lead_outcome']),
    leadgenId: id(fields['leadgen_id']),
    eventIds: eventIds !== undefined && eventIds.length > 0 ? eventIds : undefined,
    route: text(fields['route']),
    status: num(fields['status']),
    score: num(fields['score']),
    tier: text(fields['tier']),
  }
}
