// The one way to build the lead-processor from its validated settings: the Odoo client, the Graph client,
// the processing config (mapping and do-not-call files), the per-person locks, the service, the scheduled
// Meta reconciliation, the conversion feedback to Meta, and its HTTP surface (/healthz, /readyz, /metrics).
// Its container's main.ts and the all-in-one `pnpm start` both call wireLeadProcessor, so the two cannot
// drift. No environment or process access here: callers pass both in.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, type Logger, type Metrics, type WiredService } from '@gassistant/runtime'
import type { LeadProcessorSettings } from './config.js'
import { createConversionFeedback } from './conversions/feedback.js'
import { createGraphClient } from './graph/client.js'
import { createOdooCheckpoints } from './meta/checkpoints.js'
import { createReconciler } from './meta/reconcile.js'
import { startReconcileSchedule, type ReconcileSchedule } from './meta/schedule.js'
import { createThrottle } from './meta/throttle.js'
import { createTokenAlert } from './meta/token-alert.js'
import { SERVICE, createLeadProcessor } from './service.js'
import { processingConfigFrom } from './settings.js'
import { createAmqpLocks } from './sync/amqp-locks.js'
import { createMemoryLocks } from './sync/locks.js'

export interface LeadProcessorWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /**
   * The RabbitMQ the replicas share, for cross-replica locks (per person, per lead, the reconciliation).
   * Unset (the in-process bus of `pnpm start`, a single replica by definition): in-process locks.
   */
  readonly amqpUrl?: string
}

export async function wireLeadProcessor(settings: LeadProcessorSettings, { bus, log, metrics, amqpUrl }: LeadProcessorWiring): Promise<WiredService> {
  const config = await processingConfigFrom(settings)
  const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, log })
  const pageTokens = () => settings.META_PAGE_TOKENS
  const graph = createGraphClient({ baseUrl: settings.GRAPH_API_URL, appSecret: settings.META_APP_SECRET, pageTokens })
  const locks = amqpUrl === undefined ? createMemoryLocks() : createAmqpLocks({ url: amqpUrl })
  const tokenAlert = createTokenAlert({ bus, log, pageTokens, ...(settings.SLACK_OPS_CHANNEL === undefined ? {} : { channel: settings.SLACK_OPS_CHANNEL }) })
  const conversions = createConversionFeedback({
    odoo,
    graph,
    log,
    locks,
    metrics,
    config: {
      ...(settings.META_DATASET_ID === undefined || settings.META_CAPI_TOKEN === undefined ? {} : {
        target: {
          datasetId: settings.META_DATASET_ID,
          token: settings.META_CAPI_TOKEN,
          tokenOwner: { name: 'META_CAPI_TOKEN', fix: 'put a new system-user token in META_CAPI_TOKEN, restart, then replay the parked events (pnpm hub dead replay lead-processor)' },
          ...(settings.META_CAPI_TEST_EVENT_CODE === undefined ? {} : { testEventCode: settings.META_CAPI_TEST_EVENT_CODE }),
        },
      }),
      funnel: Object.entries(settings.META_CAPI_STAGES).map(([stage, event]) => ({ stage, event })),
      crmName: settings.META_CAPI_CRM_NAME,
      phoneRegion: config.defaultRegion,
      lockTimeoutMs: config.lockTimeoutMs,
    },
  })
  const processor = createLeadProcessor({ bus, odoo, graph, log, metrics, config, locks, tokenAlert, conversions })
  const waits = metrics.counter({ name: 'meta_graph_waits_total', help: 'Pauses of bulk Graph reads to respect Meta rate limits, by reason (usage: headers near the limit, throttled: a rate-limit error)', labelNames: ['reason'] })
  const reconciled = metrics.counter({ name: 'meta_reconcile_leads_total', help: 'Leads read back from Meta by reconciliation, by result (present in Odoo, published for the pipeline)', labelNames: ['result'] })
  const reconciler = createReconciler({
    graph,
    odoo,
    bus,
    log,
    pageTokens,
    tokenAlert,
    checkpoints: createOdooCheckpoints(odoo, log),
    windowMs: settings.META_RECONCILE_WINDOW_HOURS * 3_600_000,
    throttle: createThrottle({
      sleep: (ms, signal) => sleep(ms, undefined, signal === undefined ? {} : { signal }),
      onWait: (wait) => {
        waits.inc({ reason: wait.reason })
        log.info({ wait_ms: wait.ms, reason: wait.reason, usage_percent: wait.percent, graph_code: wait.graphCode }, 'slowing down for Meta rate limits')
      },
    }),
    onLeads: (result, count) => reconciled.inc({ result }, count),
  })
  let schedule: ReconcileSchedule | undefined
  const http = await createHttpServer({
    service: SERVICE,
    log,
    metrics,
    // The broker, and Odoo and the Graph API as last seen (Odoo probed when that is old): README "Readiness".
    ready: () => processor.readiness(),
  })

  return {
    async start() {
      await processor.start()
      if (settings.META_RECONCILE_INTERVAL_MINUTES > 0 && Object.keys(settings.META_PAGE_TOKENS).length > 0) {
        schedule = startReconcileSchedule({ reconciler, intervalMs: settings.META_RECONCILE_INTERVAL_MINUTES * 60_000, locks, log, metrics })
      }
      return http.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      await http.close()
      await schedule?.stop()
      await processor.stop()
      odoo.close()
    },
  }
}
