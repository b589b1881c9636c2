/**
 * The Slack stand-in speaks the Web API as @slack/web-api uses it (form-urlencoded, bearer token) and as a
 * raw JSON client would, with every documented error: ok:false codes (HTTP 200) and 429 + Retry-After.
 */
import t from 'tap';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { fixtureJson as fixture } from '@gassistant/test-support';
import { startSlackStandIn, type SlackStandIn } from '../src/index.js';

const TOKEN = 'xoxb-test-token';

async function slack(t: { teardown(fn: () => unknown): void }): Promise<{ s: SlackStandIn; client: WebClient }> {
  const s = await startSlackStandIn({ token: TOKEN });
  t.teardown(() => s.close());
  const client = new WebClient(TOKEN, { slackApiUrl: s.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 5000 });
  return { s, client };
}

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: '🔥 New hot lead (86/100)' } },
  { type: 'section', fields: [{ type: 'mrkdwn', text: '*Name*\nمحمد عبدالله القحطاني' }] },
];

t.test('chat.postMessage through @slack/web-api posts and returns channel + ts', async (t) => {
  const { s, client } = await slack(t);
  const res = await client.chat.postMessage({ channel: 'C0LEADS', text: 'New hot lead: محمد عبدالله القحطاني (86/100)', blocks });
  t.equal(res.ok, true);
  t.equal(res.channel, 'C0LEADS');
  t.match(res.ts, /^\d{10}\.\d{6}$/);
  t.equal(s.messages.length, 1);
  t.equal(s.messages[0]?.text, 'New hot lead: محمد عبدالله القحطاني (86/100)');
  t.same(s.messages[0]?.blocks, blocks, 'blocks parsed back from the form field');
  const req = s.requests[0];
  t.equal(req?.method, 'chat.postMessage');
  t.match(req?.contentType, /application\/x-www-form-urlencoded/, 'the SDK sends a form');
  t.equal(req?.authorization, `Bearer ${TOKEN}`);
  const okShape = fixture('slack-chat-postmessage-response-ok.json') as Record<string, unknown>;
  t.same(Object.keys(res).filter((k) => k in okShape).sort(), ['channel', 'message', 'ok', 'ts'], 'same top-level keys as Slack');
});

t.test('a user id as channel posts in the app DM; a raw JSON call works too', async (t) => {
  const { s } = await slack(t);
  const r = await fetch(`${s.url}chat.postMessage`, {
    method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel: 'U0SARA0001', text: 'hi', thread_ts: '1767868200.000100' }),
  });
  const body = (await r.json()) as { ok: boolean; channel: string };
  t.equal(body.ok, true);
  t.equal(body.channel, 'D0SARA0001');
  t.equal(s.messages[0]?.thread_ts, '1767868200.000100');
});

t.test('users.lookupByEmail and conversations.open', async (t) => {
  const { client } = await slack(t);
  const u = await client.users.lookupByEmail({ email: 'Sara@Example.com' });
  t.equal(u.user?.id, 'U0SARA0001');
  const err = (await client.users.lookupByEmail({ email: 'nobody@example.com' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(err.code, ErrorCode.PlatformError);
  t.equal(err.data.error, 'users_not_found');
  const dm = await client.conversations.open({ users: 'U0SARA0001' });
  t.equal(dm.channel?.id, 'D0SARA0001');
  const bad = (await client.conversations.open({ users: 'U0NOBODY' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(bad.data.error, 'user_not_found');
});

t.test('ok:false errors arrive with HTTP 200 and the documented codes', async (t) => {
  const { s, client } = await slack(t);
  const notFound = (await client.chat.postMessage({ channel: 'C0DELETED', text: 'x' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(notFound.code, ErrorCode.PlatformError);
  t.same(notFound.data, { ...(fixture('slack-error-channel-not-found.json') as object), response_metadata: notFound.data.response_metadata }, 'body as the fixture');
  t.equal(s.requests.at(-1)?.status, 200);
  const noText = (await client.chat.postMessage({ channel: 'C0LEADS', text: '' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(noText.data.error, 'no_text');
  const wrongToken = new WebClient('xoxb-wrong', { slackApiUrl: s.url, retryConfig: { retries: 0 } });
  const invalid = (await wrongToken.chat.postMessage({ channel: 'C0LEADS', text: 'x' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(invalid.data.error, 'invalid_auth');
  const raw = await fetch(`${s.url}chat.postMessage`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"channel":"C0LEADS","text":"x"}' });
  t.same(await raw.json(), { ok: false, error: 'not_authed' });
  for (const code of ['not_in_channel', 'is_archived', 'msg_too_long', 'invalid_blocks', 'restricted_action', 'token_revoked', 'missing_scope', 'rate_limited', 'internal_error', 'service_unavailable', 'fatal_error']) {
    s.failNext(1, code);
    const e = (await client.chat.postMessage({ channel: 'C0LEADS', text: 'x' }).catch((x: unknown) => x)) as WebAPIPlatformError;
    t.equal(e.data?.error, code, `failNext(${code})`);
  }
  t.equal(s.messages.length, 0, 'nothing was posted');
});

t.test('HTTP 429 with Retry-After, then accepted again', async (t) => {
  const { s, client } = await slack(t);
  s.rateLimitNext(1, 3);
  const err = (await client.chat.postMessage({ channel: 'C0LEADS', text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
  t.equal(err.code, ErrorCode.RateLimitedError);
  t.equal(err.retryAfter, 3);
  t.equal(s.requests[0]?.status, 429);
  s.rateLimitNext(1, 1);
  const raw = await fetch(`${s.url}chat.postMessage`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: '{"channel":"C0LEADS","text":"x"}' });
  t.equal(raw.status, 429);
  t.equal(raw.headers.get('retry-after'), '1');
  t.same(await raw.json(), fixture('slack-error-rate-limited.json'));
  const ok = await client.chat.postMessage({ channel: 'C0LEADS', text: 'x' });
  t.equal(ok.ok, true);
  t.equal(s.messages.length, 1);
});
