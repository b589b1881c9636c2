// The dashboard's memory of the logs: per-minute counts by service and outcome, failures by reason,
// webhook → lead-in-Odoo latencies and the recent journeys by correlation id, each in a structure with a
// fixed capacity, so ingesting a stream for months uses the same memory as for an hour. Logs already mask
// personal data; this keeps only the fields of entry.ts, never whole lines.
import { CappedMap } from './capped-map.js'
import { parseLine, type LogEntry } from './entry.js'
import { stepOf, type StepKind } from './steps.js'

export interface StoreLimits {
  /** Correlation ids whose journey is kept (oldest forgotten first). Default 10 000. */
  readonly journeys: number
  /** Lines kept per journey. Default 40. */
  readonly stepsPerJourney: number
  /** Minutes of per-minute counts kept. Default 1 440 (a day). */
  readonly minutes: number
  /** Distinct failure reasons kept. Default 200. */
  readonly failureReasons: number
  /** Latency samples kept (the most recent). Default 10 000. */
  readonly latencySamples: number
}

export const DEFAULT_LIMITS: StoreLimits = { journeys: 10_000, stepsPerJourney: 40, minutes: 1_440, failureReasons: 200, latencySamples: 10_000 }

/** Outcomes that are failures: the bus's (park, retry, unavailable) and an HTTP answer's (refused, failed). */
const FAILED = new Set(['park', 'retry', 'unavailable', 'refused', 'failed'])
/** Answers to probes (the dashboard's own among them) and the dashboard's page views are not pipeline traffic. */
const NOT_PIPELINE = new Set(['/healthz', '/readyz', '/metrics'])

export interface MinuteCount { minute: string; service: string; outcome: string; count: number }
export interface FailureCount { service: string; reason: string; count: number; lastAt: string }
export interface Latency { samples: number; p50Ms: number | null; p95Ms: number | null }
export interface PipelineFigures {
  lines: number
  skipped: number
  /** The window's end: the newest line's time (a replayed file is shown as it was). */
  until: string | null
  perMinute: MinuteCount[]
  totals: { service: string; outcome: string; count: number }[]
  latency: Latency
  failures: FailureCount[]
}
export interface JourneyStep {
  at: string
  step: StepKind
  service: string
  msg: string
  type: string | null
  outcome: string | null
  eventId: string | null
  leadId: number | null
  durationMs: number | null
  /** Time since the previous step of the same journey. */
  sincePreviousMs: number | null
}
export interface Journey { correlationId: string; startedAt: string; totalMs: number; steps: JourneyStep[] }

interface Trail {
  readonly entries: LogEntry[]
  receivedAt?: number
  inOdooAt?: number
  counted: boolean
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000) * 60_000
const iso = (ms: number): string => new Date(ms).toISOString()
/** Ids and numbers vary per message; the reason's shape is what groups failures. */
const reasonShape = (reason: string): string => reason.replace(/\d{3,}/g, '#').slice(0, 120)
/** `meta:123`, `synced:meta:123`, `wa:wamid.X` are also found by the source's own id. */
const bareId = (eventId: string): string => eventId.slice(eventId.lastIndexOf(':') + 1)

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
}

export class LogStore {
  private readonly limits: StoreLimits
  private lines = 0
  private skipped = 0
  private newest: number | undefined
  private readonly minutes = new Map<number, Map<string, number>>()
  private readonly failures: CappedMap<string, { service: string; reason: string; count: number; lastAt: number }>
  private readonly latencies: number[] = []
  private latencyNext = 0
  private latencyCache: Latency | undefined
  private readonly trails: CappedMap<string, Trail>
  /** Lines about an event without its correlation id (e.g. a handler's own line), until a line names both. */
  private readonly byEvent: CappedMap<string, LogEntry[]>
  private readonly correlationOfEvent: CappedMap<string, string>
  /** Search key (leadgen id, message id, lead id, event id) → event ids and correlation ids it names. */
  private readonly keys: CappedMap<string, string[]>

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits }
    this.failures = new CappedMap(this.limits.failureReasons)
    this.trails = new CappedMap(this.limits.journeys)
    this.byEvent = new CappedMap(this.limits.journeys)
    this.correlationOfEvent = new CappedMap(this.limits.journeys * 4)
    this.keys = new CappedMap(this.limits.journeys * 4)
  }

  counts(): { lines: number; skipped: number } {
    return { lines: this.lines, skipped: this.skipped }
  }

  /** One NDJSON line as written by a service; anything else is counted as skipped. */
  ingestLine(line: string): void {
    if (line.length === 0) return
    const entry = parseLine(line)
    if (entry === undefined) this.skipped++
    else this.ingest(entry)
  }

  ingest(entry: LogEntry): void {
    this.lines++
    if (this.newest === undefined || entry.at > this.newest) this.newest = entry.at
    if (entry.outcome !== undefined && !NOT_PIPELINE.has(entry.route ?? '') && entry.service !== 'dashboard') this.count(entry)
    if (entry.eventIds !== undefined) {
      // An ingress request: each event it published starts a journey of its own (its id is its correlation id).
      for (const eventId of entry.eventIds) {
        this.addToTrail(eventId, entry)
        const bare = bareId(eventId)
        if (bare !== eventId) this.index(bare, eventId)
      }
    } else if (entry.correlationId !== undefined) {
      if (entry.eventId !== undefined) {
        // A handler's own lines about this event came first (the bus logs its line after the handler's):
        // they join the journey now, in the order they were written.
        const waiting = this.byEvent.get(entry.eventId)
        if (waiting !== undefined) {
          this.byEvent.delete(entry.eventId)
          for (const earlier of waiting) this.addToTrail(entry.correlationId, earlier)
        }
        // Indexed once per event: its first line with a correlation id.
        if (this.correlationOfEvent.get(entry.eventId) !== entry.correlationId) {
          this.correlationOfEvent.set(entry.eventId, entry.correlationId)
          if (entry.eventId !== entry.correlationId) this.index(entry.eventId, entry.correlationId)
          const bare = bareId(entry.eventId)
          if (bare !== entry.eventId) this.index(bare, entry.correlationId)
        }
      }
      this.addToTrail(entry.correlationId, entry)
    } else if (entry.eventId !== undefined) {
      const known = this.correlationOfEvent.get(entry.eventId)
      if (known !== undefined) this.addToTrail(known, entry)
      else {
        const lines = this.byEvent.get(entry.eventId)
        if (lines === undefined) this.byEvent.set(entry.eventId, [entry])
        else if (lines.length < this.limits.stepsPerJourney) lines.push(entry)
      }
    }
    const anchor = entry.correlationId ?? entry.eventId
    if (anchor !== undefined) {
      if (entry.leadId !== undefined) this.index(String(entry.leadId), anchor)
      if (entry.leadgenId !== undefined) this.index(entry.leadgenId, anchor)
    }
  }

  private count(entry: LogEntry): void {
    const outcome = entry.outcome as string
    const minute = minuteOf(entry.at)
    let counts = this.minutes.get(minute)
    if (counts === undefined) {
      counts = new Map()
      this.minutes.set(minute, counts)
      this.pruneMinutes()
    }
    const key = `${entry.service}\t${outcome}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
    if (FAILED.has(outcome)) {
      const reason = reasonShape(entry.reason ?? entry.msg)
      const failureKey = `${entry.service}\t${reason}`
      const failure = this.failures.get(failureKey)
      if (failure === undefined) this.failures.set(failureKey, { service: entry.service, reason, count: 1, lastAt: entry.at })
      else {
        failure.count++
        failure.lastAt = Math.max(failure.lastAt, entry.at)
      }
    }
  }

  private pruneMinutes(): void {
    if (this.minutes.size <= this.limits.minutes) return
    const cutoff = minuteOf(this.newest ?? 0) - this.limits.minutes * 60_000
    for (const minute of this.minutes.keys()) if (minute <= cutoff) this.minutes.delete(minute)
    // Lines far older than the newest (an old file read after a new one) could still overflow: drop the oldest.
    while (this.minutes.size > this.limits.minutes) {
      const oldest = Math.min(...this.minutes.keys())
      this.minutes.delete(oldest)
    }
  }

  private addToTrail(correlationId: string, entry: LogEntry): void {
    let trail = this.trails.get(correlationId)
    if (trail === undefined) {
      trail = { entries: [], counted: false }
      this.trails.set(correlationId, trail)
    }
    if (trail.entries.length < this.limits.stepsPerJourney) trail.entries.push(entry)
    if (entry.eventIds !== undefined) trail.receivedAt = Math.min(trail.receivedAt ?? entry.at, entry.at)
    if (entry.leadOutcome !== undefined && entry.leadId !== undefined) trail.inOdooAt = Math.min(trail.inOdooAt ?? entry.at, entry.at)
    if (!trail.counted && trail.receivedAt !== undefined && trail.inOdooAt !== undefined) {
      trail.counted = true
      this.addLatency(Math.max(0, trail.inOdooAt - trail.receivedAt))
    }
  }

  /** Percentiles of the samples, recomputed only after new samples arrived (the API is polled). */
  private latencyFigures(): Latency {
    if (this.latencyCache === undefined) {
      const sorted = Float64Array.from(this.latencies).sort()
      this.latencyCache = { samples: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) }
    }
    return this.latencyCache
  }

  private addLatency(ms: number): void {
    this.latencyCache = undefined
    if (this.latencies.length < this.limits.latencySamples) this.latencies.push(ms)
    else this.latencies[this.latencyNext] = ms
    this.latencyNext = (this.latencyNext + 1) % this.limits.latencySamples
  }

  private index(key: string, anchor: string): void {
    const anchors = this.keys.get(key)
    if (anchors === undefined) this.keys.set(key, [anchor])
    else if (!anchors.includes(anchor)) {
      anchors.push(anchor)
      // A lead touched by many events keeps its most recent ones.
      if (anchors.length > 20) anchors.shift()
    }
  }

  /** Counts over the last `windowMinutes` before the newest line, failures and latency since start (bounded). */
  pipeline(windowMinutes = 60): PipelineFigures {
    const until = this.newest
    const perMinute: MinuteCount[] = []
    const totals = new Map<string, number>()
    if (until !== undefined) {
      const from = minuteOf(until) - (windowMinutes - 1) * 60_000
      for (const [minute, counts] of this.minutes) {
        if (minute < from) continue
        for (const [key, count] of counts) {
          const [service = '', outcome = ''] = key.split('\t')
          perMinute.push({ minute: iso(minute), service, outcome, count })
          totals.set(key, (totals.get(key) ?? 0) + count)
        }
      }
      perMinute.sort((a, b) => a.minute.localeCompare(b.minute) || a.service.localeCompare(b.service) || a.outcome.localeCompare(b.outcome))
    }
    return {
      lines: this.lines,
      skipped: this.skipped,
      until: until === undefined ? null : iso(until),
      perMinute,
      totals: [...totals].map(([key, count]) => {
        const [service = '', outcome = ''] = key.split('\t')
        return { service, outcome, count }
      }).sort((a, b) => a.service.localeCompare(b.service) || a.outcome.localeCompare(b.outcome)),
      latency: this.latencyFigures(),
      failures: [...this.failures.values()]
        .sort((a, b) => b.count - a.count)
        .map((failure) => ({ service: failure.service, reason: failure.reason, count: failure.count, lastAt: iso(failure.lastAt) })),
    }
  }

  /** The journeys a search key names (a correlation id, event id, leadgen id, WhatsApp message id or Odoo lead id), newest first. */
  journeys(query: string, max = 10): Journey[] {
    const key = query.trim()
    const correlations = new Set<string>()
    if (this.trails.has(key)) correlations.add(key)
    for (const anchor of this.keys.get(key) ?? []) correlations.add(this.correlationOfEvent.get(anchor) ?? anchor)
    const journeys: Journey[] = []
    for (const correlationId of correlations) {
      const entries = [...(this.trails.get(correlationId)?.entries ?? [])]
      for (const eventId of new Set(entries.map((entry) => entry.eventId).filter((id) => id !== undefined))) entries.push(...(this.byEvent.get(eventId) ?? []))
      // An event-only line whose event is this correlation's own id (a handler of an ingress event).
      if (!entries.some((entry) => entry.eventId === correlationId)) entries.push(...(this.byEvent.get(correlationId) ?? []))
      if (entries.length === 0) continue
      journeys.push(toJourney(correlationId, entries))
    }
    return journeys.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, max)
  }
}

function toJourney(correlationId: string, entries: LogEntry[]): Journey {
  // Stable sort: lines of the same millisecond keep the order they were written in.
  const ordered = entries.map((entry, position) => ({ entry, position })).sort((a, b) => a.entry.at - b.entry.at || a.position - b.position).map(({ entry }) => entry)
  const first = ordered[0] as LogEntry
  const last = ordered[ordered.length - 1] as LogEntry
  let previous: number | undefined
  const steps = ordered.map((entry): JourneyStep => {
    const step: JourneyStep = {
      at: iso(entry.at),
      step: stepOf(entry),
      service: entry.service,
      msg: entry.msg,
      type: entry.type ?? null,
      outcome: entry.outcome ?? null,
      eventId: entry.eventId ?? null,
      leadId: entry.leadId ?? null,
      durationMs: entry.durationMs ?? null,
      sincePreviousMs: previous === undefined ? null : entry.at - previous,
    }
    previous = entry.at
    return step
  })
  return { correlationId, startedAt: iso(first.at), totalMs: last.at - first.at, steps }
}
