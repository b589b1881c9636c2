// createNotifier(deps) → { start, stop, readiness, probes }: subscribes under the service name `notifier` to
// notification.requested.v1 (delivers it to Slack once, delivery.ts, and publishes notification.delivered.v1 or
// notification.failed.v1) and inbound.slack.action.v1 (a lead button, acted on in Odoo, actions.ts). Slack or
// Odoo down → the bus keeps the message without spending an attempt and probes them; refusals that will not heal
// park with the reason. No process, HTTP or env access here (wiring.ts and main.ts own those).
import type { Bus, Outcome, RetryPolicy, Subscription } from '@gassistant/bus'
import { createEvent, HUB_TOPOLOGY, type AnyEvent, type EventOf } from '@gassistant/contracts'
import { ODOO_DEPENDENCY, type OdooClient } from '@gassistant/odoo'
import { createHealth, type Logger, type Metrics } from '@gassistant/runtime'
import { createActions } from './actions.js'
import { createChannelQueue } from './channel-queue.js'
import { createDelivery } from './delivery.js'
import { readLead } from './lead.js'
import { buildMessage, type Block } from './message.js'
import type { RoutesFile } from './routes-file.js'
import { SLACK_DEPENDENCY, type Slack } from './slack.js'

export const SERVICE = 'notifier'
const SOURCE = `/${SERVICE}`

export interface NotifierDeps {
  readonly bus: Bus
  readonly odoo: OdooClient
  readonly slack: Slack
  readonly log: Logger
  readonly routes: RoutesFile
  readonly metrics?: Metrics
  readonly config: {
    readonly defaultChannel: string
    readonly odooPublicUrl: string
    /** Pause between two posts in one channel (default 1 100 ms). */
    readonly channelIntervalMs?: number
    /** Queue name (tests use a unique one); default `notifier`. */
    readonly service?: string
    readonly prefetch?: number
    readonly retry?: Partial<RetryPolicy>
    readonly probeIntervalMs?: number
  }
}

export interface NotifierReadiness {
  readonly ok: boolean
  readonly checks: { readonly broker: boolean; readonly odoo: boolean; readonly slack: boolean }
}

export interface Notifier {
  start(): Promise<void>
  stop(): Promise<void>
  readiness(): Promise<NotifierReadiness>
  readonly probes: Readonly<Record<string, () => Promise<void>>>
}

/** Deterministic per request, so a redelivered request publishes the same outcome event. */
export const deliveredEventId = (requestId: string): string => `delivered:${requestId}`
export const failedEventId = (requestId: string): string => `failed:${requestId}`

/** Enough deliveries in flight for a burst to one channel to queue here while other channels still move. */
const DEFAULT_PREFETCH = 64

export function createNotifier(deps: NotifierDeps): Notifier {
  const { bus, odoo, slack, log, config } = deps
  const sent = deps.metrics?.counter({ name: 'notifier_messages_sent_total', help: 'Notifications on Slack, by route and whether a redelivery found them already posted', labelNames: ['route', 'already'] })
  const failed = deps.metrics?.counter({ name: 'notifier_messages_failed_total', help: 'Notifications that could not be delivered, by Slack error', labelNames: ['error'] })
  const waits = deps.metrics?.counter({ name: 'notifier_rate_limited_waits_total', help: '429 answers from Slack waited out (no attempt spent)', labelNames: [] })
  const waited = deps.metrics?.counter({ name: 'notifier_rate_limited_wait_seconds_total', help: 'Seconds spent waiting on Slack Retry-After', labelNames: [] })
  const actionsHandled = deps.metrics?.counter({ name: 'notifier_actions_total', help: 'Slack lead buttons handled, by action and outcome', labelNames: ['action', 'outcome'] })

  const health = createHealth({ probes: { [ODOO_DEPENDENCY]: () => odoo.ping(), [SLACK_DEPENDENCY]: () => slack.ping() } })
  const probes = {
    [ODOO_DEPENDENCY]: health.recorded(ODOO_DEPENDENCY, () => odoo.ping()),
    [SLACK_DEPENDENCY]: health.recorded(SLACK_DEPENDENCY, () => slack.ping()),
  }
  const queue = createChannelQueue({
    intervalMs: config.channelIntervalMs ?? 1_100,
    onRateLimited: (channel, waitMs) => {
      waits?.inc()
      waited?.inc(waitMs / 1000)
      log.warn({ channel, wait_ms: waitMs }, 'Slack rate limited the channel: waiting Retry-After')
    },
  })
  const delivery = createDelivery({ slack, queue, routes: deps.routes, defaultChannel: config.defaultChannel })
  const actions = createActions({ odoo, slack })
  let subscription: Subscription | undefined

  const follow = (event: AnyEvent) => ({
    ...(event.correlationid === undefined ? {} : { correlationId: event.correlationid }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  })

  async function onRequested(event: EventOf<'notification.requested.v1'>): Promise<Outcome> {
    const { data } = event
    const lead = data.leadId === undefined ? undefined : await readLead(odoo, data.leadId)
    if (data.leadId !== undefined) health.record(ODOO_DEPENDENCY, true)
    const content = buildMessage({ headline: data.text, extraBlocks: (data.blocks ?? []) as Block[], ...(lead === undefined ? {} : { lead }), odooPublicUrl: config.odooPublicUrl })
    const result = await delivery.deliver(event, lead, content)
    health.record(SLACK_DEPENDENCY, true)
    if (result.kind === 'failed') {
      await bus.publish(createEvent({ type: 'notification.failed.v1', source: SOURCE, id: failedEventId(event.id), ...follow(event), data: { dedupeKey: data.dedupeKey, channel: 'slack', reason: result.reason, requestEventId: event.id } }))
      failed?.inc({ error: result.error })
      log.warn({ event_id: event.id, error: result.error, reason: result.reason }, 'notification not delivered: parked')
      return { kind: 'park', reason: result.reason }
    }
    await bus.publish(createEvent({
      type: 'notification.delivered.v1', source: SOURCE, id: deliveredEventId(event.id), ...follow(event),
      data: { dedupeKey: data.dedupeKey, channel: 'slack', target: result.channel, messageTs: result.ts, requestEventId: event.id },
    }))
    sent?.inc({ route: result.route, already: String(result.already) })
    log.info({ event_id: event.id, route: result.route, channel: result.channel, already_posted: result.already, lead_id: data.leadId }, result.already ? 'notification was already on Slack: not posted again' : 'notification posted to Slack')
    return { kind: 'done' }
  }

  async function onAction(event: EventOf<'inbound.slack.action.v1'>): Promise<Outcome> {
    const { action, leadId } = event.data
    const result = await actions.act(event)
    health.record(ODOO_DEPENDENCY, true)
    actionsHandled?.inc({ action, outcome: result.kind })
    if (result.kind === 'refused') {
      log.warn({ event_id: event.id, action, lead_id: leadId, reason: result.reason }, 'Slack button not acted on: parked')
      return { kind: 'park', reason: result.reason }
    }
    if (result.kind === 'missing_lead') {
      log.info({ event_id: event.id, action, lead_id: leadId }, 'lead no longer exists in Odoo: nothing to do')
      return { kind: 'done' }
    }
    log.info({ event_id: event.id, action, lead_id: leadId, changed: result.changed, message_updated: result.updated }, 'Slack button acted on in Odoo')
    return { kind: 'done' }
  }

  function handle(event: AnyEvent): Promise<Outcome> {
    if (event.type === 'notification.requested.v1') return onRequested(event as EventOf<'notification.requested.v1'>)
    if (event.type === 'inbound.slack.action.v1') return onAction(event as EventOf<'inbound.slack.action.v1'>)
    return Promise.resolve({ kind: 'park', reason: `notifier does not handle ${event.type}` })
  }

  return {
    probes,
    async start() {
      subscription = await bus.subscribe({
        ...HUB_TOPOLOGY[SERVICE],
        service: config.service ?? SERVICE,
        handler: (event) => handle(event),
        probes,
        ...(config.probeIntervalMs === undefined ? {} : { probeIntervalMs: config.probeIntervalMs }),
        ...(deps.metrics === undefined ? {} : { metrics: deps.metrics.registry }),
        prefetch: config.prefetch ?? DEFAULT_PREFETCH,
        ...(config.retry === undefined ? {} : { retry: config.retry }),
      })
      log.info({ service: SERVICE }, 'notifier consuming')
    },
    async stop() {
      await subscription?.cancel()
      subscription = undefined
    },
    async readiness() {
      const checks = { broker: bus.isReady(), odoo: await health.check(ODOO_DEPENDENCY), slack: await health.check(SLACK_DEPENDENCY) }
      return { ok: checks.broker && checks.odoo && checks.slack, checks }
    },
  }
}
