// Tells the ops channel once that a page's token expired (Graph error 190): one notification.requested.v1
// per page and token — not one per lead that fails on it — whoever notices first (a leadgen event, the
// reconciliation). Its id and dedupe key name the page and a fingerprint of the token, so redeliveries,
// replicas and restarts ask the notifier for the same notification and it posts once; a new token that
// expires in turn is a new notification. Never carries or logs the token itself.
import { createHash } from 'node:crypto'
import type { Bus } from '@gassistant/bus'
import { createEvent } from '@gassistant/contracts'
import type { Logger } from '@gassistant/runtime'
import type { GraphError } from '../graph/errors.js'

export interface TokenAlertOptions {
  readonly bus: Pick<Bus, 'publish'>
  readonly log: Logger
  /** Page id → page token (the configured ones), to fingerprint the token that expired. */
  readonly pageTokens: () => Readonly<Record<string, string>>
  /** Slack channel of the ops team; unset: the notifier's default channel. */
  readonly channel?: string
}

export interface TokenAlert {
  /** Publishes the page's notification unless this process already did; never throws (logs instead). */
  raise(pageId: string, err: GraphError): Promise<void>
}

const fingerprint = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 12)

export function createTokenAlert(options: TokenAlertOptions): TokenAlert {
  // Per dedupe key, the one request (in flight or done): the leads of a page fail side by side, and all of
  // them must find the first one's, not start their own. A failed request is forgotten so a later lead retries.
  const raised = new Map<string, Promise<void>>()

  async function notify(pageId: string, err: GraphError, dedupeKey: string): Promise<void> {
    const code = `${err.graphCode ?? '?'}${err.graphSubcode === undefined ? '' : `/${err.graphSubcode}`}`
    try {
      await options.bus.publish(createEvent({
        type: 'notification.requested.v1',
        source: '/lead-processor',
        id: `notify:${dedupeKey}`,
        subject: `meta:page:${pageId}`,
        data: {
          dedupeKey,
          channel: 'slack',
          recipient: options.channel === undefined ? {} : { channel: options.channel },
          text: `The access token of Facebook page ${pageId} is expired or invalid (Graph error ${code}): no lead of this page reaches Odoo until a new page token is in META_PAGE_TOKENS and the lead-processor restarted. Then: pnpm hub dead replay lead-processor, and pnpm hub meta tokens to check.`,
        },
      }))
      options.log.warn({ page_id: pageId, graph_code: err.graphCode, dedupe_key: dedupeKey }, 'ops notified: a page token expired')
    } catch (publishErr) {
      raised.delete(dedupeKey)
      // The next lead or run of that page tries again; the lead itself is parked either way.
      options.log.error({ page_id: pageId, err_code: (publishErr as { code?: string }).code }, 'could not request the expired-token notification')
    }
  }

  return {
    raise(pageId, err) {
      const token = options.pageTokens()[pageId]
      const dedupeKey = `meta-token-expired:${pageId}:${token === undefined ? 'none' : fingerprint(token)}`
      let request = raised.get(dedupeKey)
      if (request === undefined) {
        request = notify(pageId, err, dedupeKey)
        raised.set(dedupeKey, request)
      }
      return request
    },
  }
}
