// Tells the Odoo addon that the hub is ready: one signed POST of {"event":"hub.ready"} to its
// /gassistant/hub-ready route (odoo-addon/g_assistant_connector, "Hub ready"), so the webhooks it kept
// during an outage leave at once instead of at its cron's next poll, up to a minute later. A webhook-style
// wake-up, like the addon's own webhooks the other way: no data in or out, never a call of Odoo's API.
// Must never: reject, block or fail the ingress's start, log the URL beyond its host, the secret or the
// signature.
import { setTimeout as pause } from 'node:timers/promises'
import { GASSISTANT_SIGNATURE_HEADER, signGAssistant } from '@gassistant/contracts'
import type { Logger } from '@gassistant/runtime'

export const HUB_READY_BODY = '{"event":"hub.ready"}'

/** How patient the call is; tests shorten it. */
export interface HubReadyTiming {
  /** Per attempt (5 000). */
  timeoutMs?: number
  /** Attempts in all, the first included (3). */
  attempts?: number
  /** Pause after the first failed attempt, doubled after each next one (500). */
  backoffMs?: number
}

export interface HubReadyOptions extends HubReadyTiming {
  url: string
  secret: string
  log: Logger
  /** Aborted when the ingress stops: the call, or its pause between attempts, ends at once, quietly. */
  signal: AbortSignal
  clock?: () => Date
}

/** Why the addon refused, from its README's table of answers; a retry would get the same answer. */
const REFUSALS: Record<number, string> = {
  400: 'Odoo refused the body',
  401: "Odoo refused the signature: ODOO_WEBHOOK_SECRET differs from the addon's secret, or the clocks are over 5 minutes apart",
  404: 'no such route: is the addon installed and up to date, and does the URL end in /gassistant/hub-ready?',
  409: 'the G-Assistant connector is not enabled in Odoo',
  413: 'Odoo refused the body as too large',
}

function whyRefused(status: number): string {
  if (status >= 300 && status < 400) return `answered ${status}: redirects are not followed, set the final URL`
  return REFUSALS[status] ?? `answered ${status}`
}

function whyFailed(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error)
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  // fetch reports a network failure as "fetch failed" with the system error (ECONNREFUSED, ENOTFOUND…) as cause.
  const code = (error.cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? `not reachable (${code})` : error.message
}

/** One POST, freshly signed; resolves with the status. */
async function callOnce(options: HubReadyOptions, timeoutMs: number): Promise<number> {
  const { url, secret, signal, clock = () => new Date() } = options
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [GASSISTANT_SIGNATURE_HEADER]: signGAssistant(secret, Math.floor(clock().getTime() / 1000), HUB_READY_BODY) },
    body: HUB_READY_BODY,
    redirect: 'manual',
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  })
  // Only the status matters; reading the body to its end frees the connection.
  await response.arrayBuffer()
  return response.status
}

/**
 * Sends the wake-up, retrying a 5xx, a timeout or a network failure with a doubling pause (a hand-written
 * loop: the pause must end when the ingress stops); logs one line with the outcome. Never rejects.
 */
export async function announceHubReady(options: HubReadyOptions): Promise<void> {
  const { log, signal, timeoutMs = 5_000, attempts = 3, backoffMs = 500 } = options
  const host = new URL(options.url).host
  let outcome: { status: number } | { error: unknown } = { error: undefined }
  let attempt = 0
  try {
    while (attempt < attempts) {
      if (attempt > 0) await pause(backoffMs * 2 ** (attempt - 1), undefined, { signal, ref: false })
      attempt++
      try {
        outcome = { status: await callOnce(options, timeoutMs) }
        if (outcome.status < 500) break
      } catch (error) {
        if (signal.aborted) throw error
        outcome = { error }
      }
    }
  } catch {
    return log.debug({ host }, 'hub-ready call dropped: the ingress is stopping')
  }
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
    return log.info({ host, status: outcome.status, attempts: attempt }, 'told Odoo the hub is ready, its backlog follows')
  }
  const facts = 'status' in outcome
    ? { host, status: outcome.status, attempts: attempt, reason: whyRefused(outcome.status) }
    : { host, attempts: attempt, reason: whyFailed(outcome.error, timeoutMs) }
  log.warn(facts, "could not tell Odoo the hub is ready: its backlog follows at Odoo's next check, within a minute")
}
