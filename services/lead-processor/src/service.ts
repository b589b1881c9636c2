// createLeadProcessor(deps) → { start, stop }: subscribes the three handlers to the bus under the
// service name `lead-processor` and counts what they did. No process, HTTP or env access here
// (wiring.ts and main.ts own those).
import type { Bus, Outcome, RetryPolicy, Subscription } from '@gassistant/bus'
import { HUB_TOPOLOGY, type AnyEvent } from '@gassistant/contracts'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger, Metrics } from '@gassistant/runtime'
import type { GraphClient } from './graph/client.js'
import type { HandlerDeps, ProcessingConfig } from './handlers/deps.js'
import { handleFormSubmitted } from './handlers/form-submitted.js'
import { handleMetaLeadgen } from './handlers/meta-leadgen.js'
import { handleWhatsAppMessage } from './handlers/whatsapp-message.js'
import { createBatcher } from './sync/batcher.js'
import { createMemoryLocks, type PersonLocks } from './sync/locks.js'

export const SERVICE = 'lead-processor'

export interface LeadProcessorDeps {
  readonly bus: Bus
  readonly odoo: OdooClient
  readonly graph: GraphClient
  readonly log: Logger
  readonly config: ProcessingConfig & { readonly prefetch?: number; readonly retry?: Partial<RetryPolicy>; readonly service?: string }
  readonly metrics?: Metrics
  /** Default: in-process locks (one replica). Several replicas: createAmqpLocks. */
  readonly locks?: PersonLocks
  readonly now?: () => Date
  /** Batched creates: default max 50 leads per call, 5 ms linger. */
  readonly batch?: { readonly maxBatch?: number; readonly lingerMs?: number }
}

export interface LeadProcessor {
  start(): Promise<void>
  stop(): Promise<void>
}

export function createLeadProcessor(deps: LeadProcessorDeps): LeadProcessor {
  const { bus, odoo, log } = deps
  const locks = deps.locks ?? createMemoryLocks()
  const synced = deps.metrics?.counter({ name: 'leads_synced_total', help: 'Leads written to Odoo or rejected, by outcome', labelNames: ['outcome'] })
  const countries = new Map<string, Promise<number | undefined>>()
  const handlerDeps: HandlerDeps = {
    odoo,
    graph: deps.graph,
    bus,
    log,
    locks,
    creates: createBatcher(odoo, 'crm.lead', deps.batch),
    config: deps.config,
    now: deps.now ?? (() => new Date()),
    countryId: (code) => {
      let id = countries.get(code)
      if (id === undefined) {
        id = odoo.searchRead<{ id: number }>('res.country', [['code', '=', code]], { fields: ['id'], limit: 1 }).then((rows) => rows[0]?.id)
        id.catch(() => countries.delete(code))
        countries.set(code, id)
      }
      return id
    },
    onSynced: (outcome) => synced?.inc({ outcome }),
  }
  let subscription: Subscription | undefined

  async function handle(event: AnyEvent, signal: AbortSignal): Promise<Outcome> {
    // Capabilities (addon installed? which fields?) are read once; a failure here is retried like any outage.
    await odoo.connect()
    switch (event.type) {
      case 'inbound.meta.leadgen.v1':
        return handleMetaLeadgen(event, handlerDeps, signal)
      case 'inbound.whatsapp.message.v1':
        return handleWhatsAppMessage(event, handlerDeps)
      case 'inbound.form.submitted.v1':
        return handleFormSubmitted(event, handlerDeps)
      default:
        return { kind: 'park', reason: `lead-processor does not handle ${event.type}` }
    }
  }

  return {
    async start() {
      subscription = await bus.subscribe({
        ...HUB_TOPOLOGY[SERVICE],
        service: deps.config.service ?? SERVICE,
        handler: (event, ctx) => handle(event, ctx.signal),
        ...(deps.metrics === undefined ? {} : { metrics: deps.metrics.registry }),
        ...(deps.config.prefetch === undefined ? {} : { prefetch: deps.config.prefetch }),
        ...(deps.config.retry === undefined ? {} : { retry: deps.config.retry }),
      })
      log.info({ service: SERVICE }, 'lead-processor consuming')
    },
    async stop() {
      await subscription?.cancel()
      subscription = undefined
      await locks.close()
    },
  }
}
