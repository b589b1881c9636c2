// A Prometheus registry per service. Never the prom-client global registry: tests and the all-in-one
// process run several services in one process and would collide on metric names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client'

export interface Metrics {
  registry: Registry
  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L>
  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L>
  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L>
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag); on by default. */
  defaultMetrics?: boolean
}

export function createMetrics(service: string, { defaultMetrics = true }: MetricsOptions = {}): Metrics {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  if (defaultMetrics) collectDefaultMetrics({ register: registry })
  return {
    registry,
    counter: (config) => new Counter({ ...config, registers: [registry] }),
    gauge: (config) => new Gauge({ ...config, registers: [registry] }),
    histogram: (config) => new Histogram({ ...config, registers: [registry] }),
  }
}
