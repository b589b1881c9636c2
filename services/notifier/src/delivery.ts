// Delivers one notification.requested.v1 to Slack: picks the routes in order (the salesperson's DM, the sales
// team's channel, the request's channel, SLACK_DEFAULT_CHANNEL), and in the chosen channel's turn looks for a
// message of ours carrying the request's dedupe key before posting one (message metadata, conversations.history
// since shortly before the request was made). So a redelivered request — after a crash between Slack's answer
// and the ack, or after an answer that never came — finds its message instead of posting it again.
// `not_in_channel` tries the next route; other refusals are final. Never logs the message or an email.
import type { EventOf } from '@gassistant/contracts'
import type { ChannelQueue } from './channel-queue.js'
import type { LeadCard } from './lead.js'
import type { SlackMessageContent } from './message.js'
import type { RoutesFile } from './routes-file.js'
import { SlackRefused, type Slack } from './slack.js'

export type RouteKind = 'dm' | 'team' | 'recipient' | 'default'

export type DeliveryResult =
  | { readonly kind: 'delivered'; readonly route: RouteKind; readonly channel: string; readonly ts: string; readonly already: boolean }
  | { readonly kind: 'failed'; readonly error: string; readonly reason: string }

interface Route {
  readonly kind: RouteKind
  /** For reasons and logs: which route, never an email. */
  readonly label: string
  /** The conversation id, or why this route does not apply. */
  resolve(): Promise<{ channel: string } | { skip: string }>
}

/** What an operator should do about a refusal (slack.md, "Errors"). */
const HINTS: Readonly<Record<string, string>> = {
  channel_not_found: 'the channel does not exist or the bot cannot see it: fix SLACK_ROUTES_FILE or SLACK_DEFAULT_CHANNEL',
  not_in_channel: 'invite the bot to the channel',
  is_archived: 'the channel is archived: route the team elsewhere',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid',
  not_authed: 'SLACK_BOT_TOKEN is missing',
  token_revoked: 'SLACK_BOT_TOKEN was revoked',
  account_inactive: 'the bot user was deactivated',
  missing_scope: 'grant the app the scopes listed in the notifier README',
}

/**
 * A redelivery looks this far before the request's time for its message: Slack's clock and ours may differ,
 * and history starts at `oldest`.
 */
const CLOCK_MARGIN_S = 300

export interface DeliveryDeps {
  readonly slack: Slack
  readonly queue: ChannelQueue
  readonly routes: RoutesFile
  readonly defaultChannel: string
  /** Remembered for the life of the process: who is who on Slack rarely changes. */
  readonly cache?: { readonly userIds: Map<string, string>; readonly dms: Map<string, string> }
}

export function createDelivery(deps: DeliveryDeps) {
  const { slack, queue, routes } = deps
  const userIds = deps.cache?.userIds ?? new Map<string, string>()
  const dms = deps.cache?.dms ?? new Map<string, string>()

  async function dmWith(slackUserId: string): Promise<string> {
    const known = dms.get(slackUserId)
    if (known !== undefined) return known
    const channel = await slack.openDm(slackUserId)
    dms.set(slackUserId, channel)
    return channel
  }

  /** The Slack user of an Odoo user: the routing file first (by email, then by Odoo user id), else Slack's look-up by email. */
  async function slackUserOf(email: string | undefined, odooUserId?: number): Promise<string | undefined> {
    const key = email?.toLowerCase()
    const mapped = (key === undefined ? undefined : routes.users[key]) ?? (odooUserId === undefined ? undefined : routes.users[String(odooUserId)])
    if (mapped !== undefined) return mapped
    if (key === undefined) return undefined
    const cached = userIds.get(key)
    if (cached !== undefined) return cached
    const found = await slack.userIdByEmail(key)
    if (found !== undefined) userIds.set(key, found)
    return found
  }

  function routesFor(request: EventOf<'notification.requested.v1'>['data'], lead: LeadCard | undefined): Route[] {
    const { recipient } = request
    const list: Route[] = []
    const dm = (label: string, user: () => Promise<string | undefined>): Route => ({
      kind: 'dm',
      label,
      async resolve() {
        const id = await user()
        return id === undefined ? { skip: `${label}: no Slack user` } : { channel: await dmWith(id) }
      },
    })
    if (recipient.slackUserId !== undefined) list.push(dm('the requested Slack user', async () => recipient.slackUserId))
    if (recipient.userEmail !== undefined) list.push(dm('the requested person', () => slackUserOf(recipient.userEmail)))
    const salesperson = lead?.salesperson
    if (salesperson !== undefined) list.push(dm(`the salesperson (Odoo user ${salesperson.id})`, () => slackUserOf(salesperson.email, salesperson.id)))
    const team = lead?.team
    if (team !== undefined) {
      const channel = routes.teams[String(team.id)] ?? routes.teams[team.name]
      const label = `the channel of sales team ${team.id}`
      list.push({ kind: 'team', label, resolve: async () => (channel === undefined ? { skip: `${label}: none in SLACK_ROUTES_FILE` } : { channel }) })
    }
    if (recipient.channel !== undefined) list.push({ kind: 'recipient', label: `the requested channel ${recipient.channel}`, resolve: async () => ({ channel: recipient.channel as string }) })
    list.push({ kind: 'default', label: `SLACK_DEFAULT_CHANNEL ${deps.defaultChannel}`, resolve: async () => ({ channel: deps.defaultChannel }) })
    return list
  }

  /** Posts `content` once per dedupe key, on the first route that takes it. */
  async function deliver(event: EventOf<'notification.requested.v1'>, lead: LeadCard | undefined, content: SlackMessageContent): Promise<DeliveryResult> {
    const { dedupeKey } = event.data
    const oldest = Math.floor(Date.parse(event.time) / 1000) - CLOCK_MARGIN_S
    const passed: string[] = []
    const seen = new Set<string>()
    let lastError = 'no_route'
    for (const route of routesFor(event.data, lead)) {
      try {
        const target = await route.resolve()
        if ('skip' in target) {
          passed.push(target.skip)
          continue
        }
        if (seen.has(target.channel)) continue
        seen.add(target.channel)
        const posted = await queue.run(target.channel, async () => {
          const existing = await slack.findPosted(target.channel, dedupeKey, oldest)
          if (existing !== undefined) return { channel: target.channel, ts: existing, already: true }
          return { ...(await slack.postMessage({ channel: target.channel, text: content.text, blocks: content.blocks, dedupeKey })), already: false }
        })
        return { kind: 'delivered', route: route.kind, ...posted }
      } catch (error) {
        if (!(error instanceof SlackRefused)) throw error
        const why = `${route.label}: Slack answered ${error.slackError} to ${error.method} (${HINTS[error.slackError] ?? 'see the notifier README'})`
        // Not in the channel, or no DM with that user: the next route may still reach someone.
        if (error.slackError === 'not_in_channel' || error.method !== 'chat.postMessage' && error.method !== 'conversations.history') {
          lastError = error.slackError
          passed.push(why)
          continue
        }
        return { kind: 'failed', error: error.slackError, reason: why }
      }
    }
    return { kind: 'failed', error: lastError, reason: `no route took the notification: ${passed.join('; ')}` }
  }

  return { deliver, slackUserOf }
}

export type Delivery = ReturnType<typeof createDelivery>
