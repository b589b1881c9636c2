// The one way to build the ingress from its validated settings: its config, the Fastify app (webhooks
// plus /healthz, /readyz, /metrics), how it listens and, when ODOO_HUB_READY_URL is set, the wake-up it
// sends Odoo once listening. Its container's main.ts and the all-in-one `pnpm start` both call
// wireIngress, so the two cannot drift. No environment or process access here.
import type { Bus } from '@gassistant/bus'
import type { Logger, Metrics, WiredService } from '@gassistant/runtime'
import { buildApp } from './app.js'
import { ingressConfigFrom, type IngressSettings } from './config.js'
import { announceHubReady, type HubReadyTiming } from './hub-ready.js'

export interface IngressWiring {
  /** Connected and its topology declared (createAmqpBus resolves only then): events sent now are kept. */
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /** Patience of the hub-ready call (5 s per attempt, 3 attempts, pauses from 500 ms); tests shorten it. */
  readonly hubReady?: HubReadyTiming
}

export async function wireIngress(settings: IngressSettings, { bus, log, metrics, hubReady }: IngressWiring): Promise<WiredService> {
  const app = await buildApp({ bus, config: ingressConfigFrom(settings), log, metrics })
  const stopping = new AbortController()
  let announcement: Promise<void> | undefined
  return {
    async start() {
      const address = await app.listen({ port: settings.PORT, host: settings.HOST })
      // Not awaited: Odoo being down or slow must not hold up or fail the start.
      if (settings.ODOO_HUB_READY_URL) {
        announcement = announceHubReady({ ...hubReady, url: settings.ODOO_HUB_READY_URL, secret: settings.ODOO_WEBHOOK_SECRET, log, signal: stopping.signal })
      }
      return address
    },
    async stop() {
      stopping.abort()
      await announcement
      await app.close()
    },
  }
}
