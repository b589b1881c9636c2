/**
 * startSlackStandIn: Slack Web API methods the notifier uses — chat.postMessage, chat.update,
 * conversations.history, users.lookupByEmail, users.info, conversations.open, auth.test — under `/api/`, accepting
 * form-urlencoded (what @slack/web-api sends) and JSON bodies, with bearer-token checks, `ok:false` errors
 * (HTTP 200), HTTP 429 + Retry-After (injected, or chat.postMessage faster than one message per channel per
 * `channelIntervalMs`), and a record of every request. In memory, test/local use only; it does not model
 * channels' membership or Block Kit validation.
 */
import type http from 'node:http';
import { listen, readBody, sendJson } from '../http.js';

export interface SlackRequest {
  method: string;
  /** Parsed arguments (JSON-stringified form fields such as `blocks` are parsed back). */
  args: Record<string, unknown>;
  contentType: string;
  authorization: string | undefined;
  status: number;
  error?: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown;
  thread_ts?: string;
  /** `metadata` as posted (`{ event_type, event_payload }`), returned by conversations.history with include_all_metadata. */
  metadata?: unknown;
  /** When the stand-in accepted it (epoch ms): what rate-limit assertions read. */
  postedAt: number;
  /** chat.update calls applied to it, oldest first. */
  edits: { text: string | undefined; blocks: unknown; at: number }[];
}

export interface SlackStandInOptions {
  token: string;
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** email → user id; default one user. */
  users?: Record<string, string>;
  /** Channel ids that exist (user ids and DM ids always work); default C0GENERAL, C0LEADS. */
  channels?: string[];
  /**
   * chat.postMessage accepts at most one message per channel per this many ms (Slack: "about one per second
   * per channel"); a faster one is answered 429 with Retry-After. Default 1000; 0 turns the limit off.
   */
  channelIntervalMs?: number;
}

export interface SlackStandIn {
  /** e.g. http://127.0.0.1:1234/api/ — for @slack/web-api's slackApiUrl. */
  url: string;
  readonly messages: readonly SlackMessage[];
  readonly requests: readonly SlackRequest[];
  rateLimitNext(n: number, retryAfterSeconds?: number): void;
  /** The next n calls answer `{ok:false, error}` (default error "internal_error"). */
  failNext(n: number, error?: string): void;
  users: Map<string, string>;
  /** Messages of one conversation (a DM is `D` + the user id's tail), oldest first. */
  messagesIn(channel: string): SlackMessage[];
  /**
   * The next chat.postMessage is posted (recorded, visible in history) but its answer waits for release():
   * the moment between Slack posting a message and the client learning it, where a client may crash.
   */
  holdNextPost(): { posted: Promise<SlackMessage>; release(): void };
  close(): Promise<void>;
}

function parseArgs(body: Buffer, contentType: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType.includes('application/json')) {
    try { return JSON.parse(text) as Record<string, unknown>; } catch { return {}; }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    // @slack/web-api JSON-stringifies non-scalar arguments (blocks, attachments, metadata).
    if ((k === 'blocks' || k === 'attachments' || k === 'metadata') && (v.startsWith('[') || v.startsWith('{'))) {
      try { out[k] = JSON.parse(v); continue; } catch { /* keep the raw string */ }
    }
    out[k] = v;
  }
  return out;
}

export async function startSlackStandIn(opts: SlackStandInOptions): Promise<SlackStandIn> {
  const users = new Map(Object.entries(opts.users ?? { 'sara@example.com': 'U0SARA0001' }));
  const channelIntervalMs = opts.channelIntervalMs ?? 1000;
  const lastPost = new Map<string, number>();
  const channels = new Set(opts.channels ?? ['C0GENERAL', 'C0LEADS']);
  const messages: SlackMessage[] = [];
  const requests: SlackRequest[] = [];
  let rateLimited: number[] = [];
  let failures: string[] = [];
  let tsCounter = 0;
  let held: { posted: (m: SlackMessage) => void; released: Promise<void> } | undefined;
  const nextTs = (): string => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = u.pathname.replace(/^\/api\//, '');
    const contentType = req.headers['content-type'] ?? '';
    const args = { ...Object.fromEntries(u.searchParams), ...parseArgs(body, contentType) };
    const authorization = req.headers.authorization;
    const entry: SlackRequest = { method, args, contentType, authorization, status: 200 };
    requests.push(entry);
    const answer = (payload: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): void => {
      entry.status = status;
      if (payload['ok'] === false) entry.error = payload['error'] as string;
      sendJson(res, status, payload, headers);
    };
    const retryAfter = rateLimited.shift();
    if (retryAfter !== undefined) return answer({ ok: false, error: 'ratelimited' }, 429, { 'Retry-After': String(retryAfter) });
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? (typeof args['token'] === 'string' ? args['token'] : undefined);
    if (!bearer) return answer({ ok: false, error: 'not_authed' });
    if (bearer !== opts.token) return answer({ ok: false, error: 'invalid_auth' });
    const injected = failures.shift();
    if (injected) return answer({ ok: false, error: injected });
    const isUser = (c: string): boolean => /^[UW][A-Z0-9]+$/.test(c) && [...users.values()].includes(c);
    const str = (name: string): string => (typeof args[name] === 'string' ? (args[name] as string) : '');
    /** A user id posts in the app's DM with that user (D + the id's tail), as Slack answers. */
    const conversation = (c: string): string | undefined => (channels.has(c) || c.startsWith('D') ? c : isUser(c) ? `D${c.slice(1)}` : undefined);

    switch (method) {
      case 'chat.postMessage': {
        const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
        const text = typeof args['text'] === 'string' ? args['text'] : undefined;
        const blocks = args['blocks'];
        if (!channel) return answer({ ok: false, error: 'channel_not_found' });
        const resolved = conversation(channel);
        if (resolved === undefined) return answer({ ok: false, error: 'channel_not_found' });
        if (!text && !(Array.isArray(blocks) && blocks.length > 0)) return answer({ ok: false, error: 'no_text' });
        if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50)) return answer({ ok: false, error: 'invalid_blocks' });
        if (text && text.length > 40000) return answer({ ok: false, error: 'msg_too_long' });
        const now = Date.now();
        const last = lastPost.get(resolved);
        if (channelIntervalMs > 0 && last !== undefined && now - last < channelIntervalMs) {
          return answer({ ok: false, error: 'ratelimited' }, 429, { 'Retry-After': String(Math.max(1, Math.ceil((last + channelIntervalMs - now) / 1000))) });
        }
        lastPost.set(resolved, now);
        const ts = nextTs();
        const msg: SlackMessage = {
          channel: resolved, ts, text, blocks, postedAt: now, edits: [],
          ...(typeof args['thread_ts'] === 'string' ? { thread_ts: args['thread_ts'] } : {}),
          ...(args['metadata'] !== undefined ? { metadata: args['metadata'] } : {}),
        };
        messages.push(msg);
        const hold = held;
        held = undefined;
        if (hold) {
          hold.posted(msg);
          await hold.released;
        }
        return answer({ ok: true, channel: resolved, ts, message: { type: 'message', subtype: 'bot_message', text: text ?? '', ts, bot_id: 'B0STANDIN1', ...(Array.isArray(blocks) ? { blocks } : {}) } });
      }
      case 'chat.update': {
        const resolved = conversation(str('channel'));
        if (resolved === undefined) return answer({ ok: false, error: 'channel_not_found' });
        const msg = messages.find((m) => m.channel === resolved && m.ts === str('ts'));
        if (!msg) return answer({ ok: false, error: 'message_not_found' });
        const text = typeof args['text'] === 'string' ? args['text'] : undefined;
        const blocks = args['blocks'];
        if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50)) return answer({ ok: false, error: 'invalid_blocks' });
        if (text !== undefined) msg.text = text;
        if (blocks !== undefined) msg.blocks = blocks;
        msg.edits.push({ text, blocks, at: Date.now() });
        return answer({ ok: true, channel: resolved, ts: msg.ts, text: msg.text ?? '', message: { type: 'message', text: msg.text ?? '', ...(Array.isArray(msg.blocks) ? { blocks: msg.blocks } : {}) } });
      }
      case 'conversations.history': {
        // Newest first, within [oldest, latest]; `cursor` is an offset here (opaque to clients, as Slack's is).
        const resolved = conversation(str('channel'));
        if (resolved === undefined) return answer({ ok: false, error: 'channel_not_found' });
        const oldest = Number(str('oldest') || 0);
        const latest = str('latest') === '' ? Infinity : Number(str('latest'));
        const limit = Math.min(Math.max(Number(str('limit') || 100), 1), 999);
        const offset = Number(str('cursor') || 0);
        const withMetadata = args['include_all_metadata'] === true || str('include_all_metadata') === 'true';
        const found = messages.filter((m) => m.channel === resolved && Number(m.ts) >= oldest && Number(m.ts) <= latest).reverse();
        const page = found.slice(offset, offset + limit);
        const more = offset + limit < found.length;
        return answer({
          ok: true,
          messages: page.map((m) => ({
            type: 'message', subtype: 'bot_message', bot_id: 'B0STANDIN1', ts: m.ts, text: m.text ?? '',
            ...(Array.isArray(m.blocks) ? { blocks: m.blocks } : {}), ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
          })),
          has_more: more,
          response_metadata: { next_cursor: more ? String(offset + limit) : '' },
        });
      }
      case 'auth.test':
        return answer({ ok: true, url: 'https://standin.slack.com/', team: 'Stand-in', user: 'gassistant', team_id: 'T0STANDIN1', user_id: 'U0BOT00001', bot_id: 'B0STANDIN1' });
      case 'users.info': {
        const id = str('user');
        const email = [...users.entries()].find(([, uid]) => uid === id)?.[0];
        if (email === undefined) return answer({ ok: false, error: 'user_not_found' });
        return answer({ ok: true, user: { id, name: email.split('@')[0], profile: { email }, deleted: false, is_bot: false } });
      }
      case 'users.lookupByEmail': {
        const email = typeof args['email'] === 'string' ? args['email'].toLowerCase() : '';
        const id = users.get(email);
        if (!id) return answer({ ok: false, error: 'users_not_found' });
        return answer({ ok: true, user: { id, name: email.split('@')[0], profile: { email }, deleted: false, is_bot: false } });
      }
      case 'conversations.open': {
        const ids = typeof args['users'] === 'string' ? args['users'].split(',') : [];
        if (ids.length === 0 || !ids.every(isUser)) return answer({ ok: false, error: 'user_not_found' });
        return answer({ ok: true, channel: { id: `D${(ids[0] as string).slice(1)}` } });
      }
      default:
        return answer({ ok: false, error: 'unknown_method' }, 404);
    }
  }

  const server = await listen((req, res) => {
    handle(req, res).catch(() => { res.writeHead(500); res.end(); });
  }, opts.port ?? 0, opts.host);
  return {
    url: `http://127.0.0.1:${server.port}/api/`,
    get messages() { return messages; },
    get requests() { return requests; },
    rateLimitNext: (n, retryAfterSeconds = 1) => { for (let i = 0; i < n; i++) rateLimited.push(retryAfterSeconds); },
    failNext: (n, error = 'internal_error') => { for (let i = 0; i < n; i++) failures.push(error); },
    users,
    messagesIn: (channel) => messages.filter((m) => m.channel === channel),
    holdNextPost: () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => { release = resolve; });
      const posted = new Promise<SlackMessage>((resolve) => { held = { posted: resolve, released }; });
      return { posted, release };
    },
    close: () => { rateLimited = []; failures = []; return server.close(); },
  };
}
