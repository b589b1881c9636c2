// Builds a lead-processor against the sandbox stand-ins (Odoo, Graph) and a bus the test chooses,
// and offers polling helpers (no sleeps). Closes everything in teardown.
import { createEvent, type AnyEvent } from '@gassistant/contracts'
import type { Bus } from '@gassistant/bus'
import { createOdooClient, type OdooClient } from '@gassistant/odoo'
import { createLogger } from '@gassistant/runtime'
import { startGraphStandIn, startOdooStandIn, type GraphLead, type GraphStandIn, type OdooStandIn } from '@gassistant/sandbox'
import { Writable } from 'node:stream'
import { createGraphClient } from '../../src/graph/client.js'
import type { ConversionFeedback } from '../../src/conversions/feedback.js'
import type { TokenAlert } from '../../src/meta/token-alert.js'
import { createLeadProcessor, type LeadProcessor } from '../../src/service.js'
import { createMemoryLocks, type PersonLocks } from '../../src/sync/locks.js'
import { fixtureJson } from '@gassistant/test-support'

export const APP_SECRET = 'test-app-secret'
export const PAGE_ID = '104857600112233'
export const PAGE_TOKENS = { [PAGE_ID]: 'page-token-test' }
/** The Conversions API dataset of the Graph stand-in and the system-user token that may send to it. */
export const DATASET_ID = '777000000000001'
export const CAPI_TOKEN = 'capi-token-test'

export interface LogLine { level: string; msg: string; [k: string]: unknown }

export function memoryLog(service = 'lead-processor'): { log: ReturnType<typeof createLogger>; lines: LogLine[] } {
  const lines: LogLine[] = []
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as LogLine)
      cb()
    },
  })
  return { log: createLogger({ service, level: 'debug', destination }), lines }
}

export interface StandIns {
  odooServer: OdooStandIn
  graphServer: GraphStandIn
  close(): Promise<void>
}

export async function startStandIns(opts: { addonInstalled?: boolean; scoringHistory?: boolean; leadsSetting?: boolean } = {}): Promise<StandIns> {
  const odooServer = await startOdooStandIn({ addonInstalled: opts.addonInstalled ?? true, scoringHistory: opts.scoringHistory ?? false, leadsSetting: opts.leadsSetting ?? false })
  const graphServer = await startGraphStandIn({ appSecret: APP_SECRET, pageTokens: PAGE_TOKENS, datasets: { [DATASET_ID]: CAPI_TOKEN } })
  return { odooServer, graphServer, close: async () => { await graphServer.close(); await odooServer.close() } }
}

export function odooClientFor(server: OdooStandIn, timeoutMs = 2_000): OdooClient {
  return createOdooClient({ url: server.url, db: server.db, username: server.username, password: server.password, timeoutMs })
}

export interface ProcessorExtras {
  locks?: PersonLocks
  service?: string
  log?: ReturnType<typeof createLogger>
  /** Retry delays; `production` keeps the bus's defaults (1 s … 300 s, 6 h budget). Default 50, 100, 200 ms. */
  retryMs?: number[] | 'production'
  repeatWindowMs?: number
  prefetch?: number
  leadType?: 'auto' | 'lead' | 'opportunity'
  /** How often a paused consumer probes (default: the bus's 5 s). */
  probeIntervalMs?: number
  odooTimeoutMs?: number
  tokenAlert?: TokenAlert
  conversions?: ConversionFeedback
}

export function processorFor(bus: Bus, s: StandIns, extra: ProcessorExtras = {}): { processor: LeadProcessor; odoo: OdooClient } {
  const odoo = odooClientFor(s.odooServer, extra.odooTimeoutMs)
  const graph = createGraphClient({ baseUrl: s.graphServer.url, appSecret: APP_SECRET, pageTokens: () => PAGE_TOKENS, timeoutMs: 2_000 })
  const processor = createLeadProcessor({
    bus,
    odoo,
    graph,
    log: extra.log ?? memoryLog().log,
    locks: extra.locks ?? createMemoryLocks(),
    ...(extra.tokenAlert === undefined ? {} : { tokenAlert: extra.tokenAlert }),
    ...(extra.conversions === undefined ? {} : { conversions: extra.conversions }),
    config: {
      defaultRegion: 'SA',
      formMapping: {},
      doNotCall: new Set(['+966500000000']),
      testLeads: 'flag',
      leadType: extra.leadType ?? 'lead',
      userId: undefined,
      repeatWindowMs: extra.repeatWindowMs ?? 30 * 86_400_000,
      lockTimeoutMs: 10_000,
      ...(extra.service === undefined ? {} : { service: extra.service }),
      ...(extra.prefetch === undefined ? {} : { prefetch: extra.prefetch }),
      ...(extra.retryMs === 'production' ? {} : { retry: { delaysMs: extra.retryMs ?? [50, 100, 200] } }),
      ...(extra.probeIntervalMs === undefined ? {} : { probeIntervalMs: extra.probeIntervalMs }),
    },
  })
  return { processor, odoo }
}

/** The Instagram fixture as the Graph stand-in stores it (page id added). */
export function fixtureLead(overrides: Partial<GraphLead> = {}): GraphLead {
  return { ...fixtureJson<GraphLead>('meta-lead-graph-response.json'), page_id: PAGE_ID, ...overrides }
}

export function leadgenEvent(leadgenId: string): AnyEvent {
  return createEvent({
    type: 'inbound.meta.leadgen.v1',
    source: '/test',
    id: `meta:${leadgenId}`,
    data: { leadgenId, pageId: PAGE_ID, formId: '987654321098765', adId: '120210000000000011', createdTime: 1767868199 },
  })
}

