// Each configured service's /readyz (its own dependency checks: broker, Odoo, Graph API) and a few figures
// from its /metrics (queue depths, dead letters, paused consumers), fetched on demand with a short timeout
// and cached briefly, so a page view costs the services at most one probe each every few seconds.

export interface ServiceHealth {
  service: string
  /** `ready`, `not_ready` (503 with its checks) or `unreachable` (no answer in time). */
  state: 'ready' | 'not_ready' | 'unreachable'
  checks: Record<string, boolean>
  /** Messages waiting per queue, from bus_queue_messages. */
  queues: Record<string, number>
  /** Consumers paused because a dependency is down, from bus_consumer_paused. */
  paused: string[]
}

export interface HealthSource {
  all(): Promise<ServiceHealth[]>
}

const TIMEOUT_MS = 2_000
const CACHE_MS = 5_000

/** The samples of one metric in Prometheus text format: label set → value. Enough for gauges and counters. */
export function samplesOf(text: string, metric: string): { labels: Record<string, string>; value: number }[] {
  const samples: { labels: Record<string, string>; value: number }[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric) || (line[metric.length] !== '{' && line[metric.length] !== ' ')) continue
    const close = line.lastIndexOf('}')
    const labelText = line[metric.length] === '{' ? line.slice(metric.length + 1, close) : ''
    const value = Number(line.slice((close > 0 ? close + 1 : metric.length)).trim().split(' ')[0])
    const labels: Record<string, string> = {}
    for (const match of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1] as string] = match[2] as string
    if (Number.isFinite(value)) samples.push({ labels, value })
  }
  return samples
}

async function probe(service: string, baseUrl: string): Promise<ServiceHealth> {
  const base = baseUrl.replace(/\/$/, '')
  const unreachable: ServiceHealth = { service, state: 'unreachable', checks: {}, queues: {}, paused: [] }
  try {
    const [ready, metrics] = await Promise.all([
      fetch(`${base}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) }),
      fetch(`${base}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then((answer) => (answer.ok ? answer.text() : '')).catch(() => ''),
    ])
    const body = (await ready.json().catch(() => ({}))) as { checks?: Record<string, boolean> }
    const queues: Record<string, number> = {}
    for (const sample of samplesOf(metrics, 'bus_queue_messages')) if (sample.labels['queue']) queues[sample.labels['queue']] = sample.value
    const paused = samplesOf(metrics, 'bus_consumer_paused').filter((sample) => sample.value > 0).map((sample) => sample.labels['queue'] ?? '')
    return { service, state: ready.ok ? 'ready' : 'not_ready', checks: body.checks ?? {}, queues, paused }
  } catch {
    return unreachable
  }
}

export function createHealthSource(services: Readonly<Record<string, string>>, now: () => number = Date.now): HealthSource {
  let cached: { at: number; value: Promise<ServiceHealth[]> } | undefined
  return {
    all() {
      if (cached === undefined || now() - cached.at > CACHE_MS) {
        cached = { at: now(), value: Promise.all(Object.entries(services).map(([service, url]) => probe(service, url))) }
      }
      return cached.value
    },
  }
}
