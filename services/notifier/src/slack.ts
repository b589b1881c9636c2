// The notifier's Slack client: @slack/web-api pointed at SLACK_API_URL, with the library's own retries and
// its rate-limit sleeping switched off — a retried chat.postMessage whose first answer was lost would post
// twice, and a 429 must pause one channel's queue, not the whole client (channel-queue.ts owns both). Turns the
// client's errors into the notifier's kinds: rate limited (wait, no attempt spent), refused (will not heal:
// park or try the next route), unavailable (Slack or the network: keep the message, pause, ask again).
import { WebAPIPlatformError, WebAPIRateLimitedError, WebClient, LogLevel, type Logger as SlackLogger } from '@slack/web-api'
import type { Logger } from '@gassistant/runtime'

export const SLACK_DEPENDENCY = 'slack'

/**
 * 429: Slack said how long to wait. A channel's queue waits it out itself (channel-queue.ts); anywhere else (a
 * look-up, a click's calls) it reaches the bus as a dependency error with Retry-After: kept, no attempt spent.
 */
export class SlackRateLimited extends Error {
  readonly code = 'SLACK_RATE_LIMITED'
  readonly retryable = true
  readonly dependency = SLACK_DEPENDENCY
  constructor(readonly retryAfterMs: number) {
    super(`Slack rate limited the call; retry after ${retryAfterMs} ms`)
  }
}

/** An `ok:false` answer that will not change by asking again (a channel, a token, a payload problem). */
export class SlackRefused extends Error {
  readonly code = 'SLACK_REFUSED'
  readonly retryable = false
  constructor(readonly slackError: string, readonly method: string) {
    super(`Slack refused ${method}: ${slackError}`)
  }
}

/**
 * Slack or the way to it failed (a 5xx, a timeout, `internal_error`): the call may or may not have taken effect.
 * A dependency error for the bus: the message is kept without spending an attempt while the consumer probes Slack.
 */
export class SlackUnavailable extends Error {
  readonly code = 'SLACK_UNAVAILABLE'
  readonly retryable = true
  readonly dependency = SLACK_DEPENDENCY
  constructor(readonly reason: string, readonly method: string) {
    super(`Slack ${method} failed: ${reason}`)
  }
}

/** `ok:false` codes that say "Slack is having trouble", not "your request is wrong" (reference: slack.md, Errors). */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org', 'rate_limited'])

export function classifySlackError(error: unknown, method: string): Error {
  if (error instanceof WebAPIRateLimitedError) return new SlackRateLimited(Math.max(1, error.retryAfter) * 1000)
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error
    return TRANSIENT.has(code) ? new SlackUnavailable(code, method) : new SlackRefused(code, method)
  }
  const reason = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'unknown error')
  return new SlackUnavailable(reason, method)
}

/** The library's own log lines, at debug on ours: they may quote arguments (channels, emails). */
function quietLogger(log: Logger): SlackLogger {
  const line = (level: 'debug' | 'warn') => (...msgs: unknown[]) => log.debug({ slack_sdk_level: level }, msgs.filter((m) => typeof m === 'string').join(' ').slice(0, 200))
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: line('warn'),
    error: line('warn'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  }
}

export interface SlackOptions {
  readonly token: string
  readonly apiUrl: string
  readonly log: Logger
  /** Per call (default 10 s): a hung call ends as SlackUnavailable. */
  readonly timeoutMs?: number
}

export interface PostedMessage {
  readonly channel: string
  readonly ts: string
}

/** Marks the notifier's messages, so a redelivered request finds the one it already posted (delivery.ts). */
export const METADATA_EVENT_TYPE = 'gassistant_notification'

export interface Slack {
  postMessage(args: { channel: string; text: string; blocks: readonly Record<string, unknown>[]; dedupeKey: string }): Promise<PostedMessage>
  /** The ts of a message of ours carrying `dedupeKey` in `channel` since `oldest` (unix seconds), if any. */
  findPosted(channel: string, dedupeKey: string, oldest: number): Promise<string | undefined>
  update(args: { channel: string; ts: string; text: string; blocks: readonly Record<string, unknown>[] }): Promise<void>
  /** Slack user id by email, or undefined when no such user (users_not_found). */
  userIdByEmail(email: string): Promise<string | undefined>
  emailOf(userId: string): Promise<string | undefined>
  /** The DM conversation with a user (conversations.open). */
  openDm(userId: string): Promise<string>
  /** auth.test: resolves while Slack answers and accepts the token. */
  ping(): Promise<void>
}

/** How far back a redelivery looks for its message: pages of history, newest first. */
const HISTORY_PAGES = 5
const HISTORY_PAGE = 200

export function createSlack({ token, apiUrl, log, timeoutMs = 10_000 }: SlackOptions): Slack {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logger: quietLogger(log),
  })

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw classifySlackError(error, method)
    }
  }

  return {
    async postMessage({ channel, text, blocks, dedupeKey }) {
      const res = await call('chat.postMessage', () => client.chat.postMessage({
        channel,
        text,
        blocks: blocks as never,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { dedupe_key: dedupeKey } },
      }))
      return { channel: res.channel ?? channel, ts: res.ts ?? '' }
    },
    async findPosted(channel, dedupeKey, oldest) {
      let cursor: string | undefined
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const res = await call('conversations.history', () => client.conversations.history({
          channel, oldest: String(oldest), limit: HISTORY_PAGE, include_all_metadata: true, ...(cursor === undefined ? {} : { cursor }),
        }))
        const found = (res.messages ?? []).find((message) => {
          const metadata = message.metadata as { event_type?: string; event_payload?: { dedupe_key?: unknown } } | undefined
          return metadata?.event_type === METADATA_EVENT_TYPE && metadata.event_payload?.dedupe_key === dedupeKey
        })
        if (found?.ts !== undefined) return found.ts
        cursor = res.response_metadata?.next_cursor
        if (!res.has_more || !cursor) return undefined
      }
      return undefined
    },
    async update({ channel, ts, text, blocks }) {
      await call('chat.update', () => client.chat.update({ channel, ts, text, blocks: blocks as never }))
    },
    async userIdByEmail(email) {
      try {
        const res = await call('users.lookupByEmail', () => client.users.lookupByEmail({ email }))
        return res.user?.id
      } catch (error) {
        if (error instanceof SlackRefused && error.slackError === 'users_not_found') return undefined
        throw error
      }
    },
    async emailOf(userId) {
      const res = await call('users.info', () => client.users.info({ user: userId }))
      const email = res.user?.profile?.email
      return typeof email === 'string' && email !== '' ? email : undefined
    },
    async openDm(userId) {
      const res = await call('conversations.open', () => client.conversations.open({ users: userId }))
      const id = res.channel?.id
      if (id === undefined) throw new SlackUnavailable('conversations.open answered without a channel', 'conversations.open')
      return id
    },
    async ping() {
      await call('auth.test', () => client.auth.test())
    },
  }
}
