// The one way to build the ingress from its validated settings: its config, the Fastify app (webhooks
// plus /healthz, /readyz, /metrics) and how it listens. Its container's main.ts and the all-in-one
// `pnpm start` both call wireIngress, so the two cannot drift. No environment or process access here.
import type { Bus } from '@gassistant/bus'
import type { Logger, Metrics, WiredService } from '@gassistant/runtime'
import { buildApp } from './app.js'
import { ingressConfigFrom, type IngressSettings } from './config.js'

export interface IngressWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
}

export async function wireIngress(settings: IngressSettings, { bus, log, metrics }: IngressWiring): Promise<WiredService> {
  const app = await buildApp({ bus, config: ingressConfigFrom(settings), log, metrics })
  return {
    start: () => app.listen({ port: settings.PORT, host: settings.HOST }),
    stop: () => app.close(),
  }
}
