// Bus metrics on a service's own Prometheus registry: events handled by outcome, handling time,
// paused consumers and queue depth (read when scraped). Must never create a registry of its own or
// touch prom-client's global one: several services share a process under `pnpm start` and in tests.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { OutcomeLabel } from './delivery.js'

/** Ready messages per queue name, read from wherever the transport keeps them. */
export type DepthReader = () => Promise<Readonly<Record<string, number>>>

export interface SubscriptionMetrics {
  record(outcome: OutcomeLabel, seconds: number): void
  paused(paused: boolean): void
  /** Stops reading this subscription's queue depth. */
  close(): void
}

interface RegistryMetrics {
  readonly handled: Counter<'queue' | 'outcome'>
  readonly duration: Histogram<'queue' | 'outcome'>
  readonly paused: Gauge<'queue'>
  readonly readers: Set<DepthReader>
}

const OUTCOMES: readonly OutcomeLabel[] = ['done', 'retry', 'unavailable', 'park']
/** From a cached Odoo answer to a slow batched create; past 30 s a handler is in trouble anyway. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

// One set of metric objects per registry: replicas of a service in one process share them.
const perRegistry = new WeakMap<Registry, RegistryMetrics>()

function metricsOn(registry: Registry): RegistryMetrics {
  const existing = perRegistry.get(registry)
  if (existing !== undefined) return existing
  const registers = [registry]
  const readers = new Set<DepthReader>()
  const metrics: RegistryMetrics = {
    handled: new Counter({
      name: 'bus_events_handled_total',
      help: 'Events handled by a consumer, by queue and outcome (done, retry, unavailable, park)',
      labelNames: ['queue', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'bus_handling_duration_seconds',
      help: 'Time from delivery to outcome (decoding, validation and the handler), by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: BUCKETS,
      registers,
    }),
    paused: new Gauge({
      name: 'bus_consumer_paused',
      help: '1 while the consumer is paused because a dependency is unavailable',
      labelNames: ['queue'],
      registers,
    }),
    readers,
  }
  new Gauge({
    name: 'bus_queue_messages',
    help: 'Messages ready in the service queue and in its dead-letter queue, read from the broker at scrape',
    labelNames: ['queue'],
    registers,
    async collect() {
      const depths = await Promise.all([...readers].map((read) => read().catch(() => ({}))))
      // A queue that could not be read (broker away) keeps its last value rather than a false 0.
      for (const depth of depths) for (const [queue, count] of Object.entries(depth)) this.set({ queue }, count)
    },
  })
  perRegistry.set(registry, metrics)
  return metrics
}

export function subscriptionMetrics(registry: Registry | undefined, queue: string, readDepth: DepthReader): SubscriptionMetrics | undefined {
  if (registry === undefined) return undefined
  const metrics = metricsOn(registry)
  // Every outcome starts at 0, so a rate() over a series that never moved still has data.
  for (const outcome of OUTCOMES) metrics.handled.inc({ queue, outcome }, 0)
  metrics.paused.set({ queue }, 0)
  metrics.readers.add(readDepth)
  return {
    record(outcome, seconds) {
      metrics.handled.inc({ queue, outcome })
      metrics.duration.observe({ queue, outcome }, seconds)
    },
    paused(paused) {
      metrics.paused.set({ queue }, paused ? 1 : 0)
    },
    close() {
      metrics.readers.delete(readDepth)
    },
  }
}
