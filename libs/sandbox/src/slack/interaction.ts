/**
 * What Slack sends an app's Interactivity Request URL when someone clicks a button: a `block_actions` payload,
 * form-encoded as one `payload` field, signed with the app's signing secret (`X-Slack-Signature: v0=<hex
 * HMAC-SHA256(secret, "v0:<ts>:<raw body>")>`, `X-Slack-Request-Timestamp`). For tests and local trials; a
 * tampered body or an old timestamp can be asked for, to see them refused.
 */
import { createHmac } from 'node:crypto';

export interface BlockActionClick {
  userId: string;
  teamId?: string;
  /** The conversation and message the button is in. */
  channel: string;
  messageTs: string;
  actionId: string;
  value?: string;
  blockId?: string;
  /** Slack's `action_ts` of the click (default: now, with microseconds). */
  actionTs?: string;
  /** The message's blocks as Slack returns them in the payload. */
  messageBlocks?: unknown[];
  messageText?: string;
}

/** The `block_actions` payload of one click, shaped as Slack documents it (api.slack.com/reference/interaction-payloads/block-actions). */
export function blockActionsPayload(click: BlockActionClick): Record<string, unknown> {
  const teamId = click.teamId ?? 'T0STANDIN1';
  const actionTs = click.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(3, '0')}123`;
  return {
    type: 'block_actions',
    user: { id: click.userId, username: click.userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0STANDIN1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.standin`,
    team: { id: teamId, domain: 'standin' },
    channel: { id: click.channel, name: 'directmessage' },
    message: { type: 'message', ts: click.messageTs, text: click.messageText ?? '', bot_id: 'B0STANDIN1', blocks: click.messageBlocks ?? [] },
    response_url: `https://hooks.slack.com/actions/${teamId}/1/standin`,
    actions: [{
      type: 'button', action_id: click.actionId, block_id: click.blockId ?? 'lead_actions', value: click.value ?? '',
      text: { type: 'plain_text', text: click.actionId, emoji: true }, action_ts: actionTs,
    }],
  };
}

/** `v0=<hex>` over `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number, body: string | Buffer): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export interface SendInteractionOptions {
  signingSecret: string;
  /** Unix seconds of X-Slack-Request-Timestamp (default now): an old one is a replay. */
  timestamp?: number;
  /** Change the body after signing it (as an attacker would). */
  tamper?: (body: string) => string;
}

/** POSTs the click to `url` as Slack does (form-encoded `payload`, signed); resolves with the answer. */
export async function sendInteraction(url: string, payload: Record<string, unknown>, options: SendInteractionOptions): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const body = options.tamper ? options.tamper(signed) : signed;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(options.signingSecret, timestamp, signed),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}
