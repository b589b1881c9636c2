/**
 * The Slack stand-in speaks the Web API as @slack/web-api uses it (form-urlencoded, bearer token) and as a
 * raw JSON client would, with every documented error: ok:false codes (HTTP 200) and 429 + Retry-After.
 */
import t from 'tap';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { fixtureJson as fixture } from '@gassistant/test-support';
import { blockActionsPayload, sendInteraction, slackSignature, startSlackStandIn, type SlackStandIn } from '../src/index.js';

const TOKEN = 'xoxb-test-token';

async function slack(t: { teardown(fn: () => unknown): void }): Promise<{ s: SlackStandIn; client: WebClient }> {
  const s = await startSlackStandIn({ token: TOKEN, channelIntervalMs: 0 });
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

t.test('one message per channel per interval: a faster post is a 429 with Retry-After, other channels are not held up', async (t) => {
  const s = await startSlackStandIn({ token: TOKEN, channelIntervalMs: 1500 });
  t.teardown(() => s.close());
  const client = new WebClient(TOKEN, { slackApiUrl: s.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  await client.chat.postMessage({ channel: 'C0LEADS', text: 'first' });
  const err = (await client.chat.postMessage({ channel: 'C0LEADS', text: 'too soon' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
  t.equal(err.code, ErrorCode.RateLimitedError);
  t.equal(err.retryAfter, 2, 'Retry-After rounds the rest of the interval up to whole seconds');
  await client.chat.postMessage({ channel: 'C0GENERAL', text: 'another channel' });
  await client.chat.postMessage({ channel: 'U0SARA0001', text: 'a DM' });
  t.same(s.messages.map((m) => m.text), ['first', 'another channel', 'a DM'], 'the refused post was not posted');
  t.ok(s.messages.every((m) => typeof m.postedAt === 'number'), 'each message records when it was accepted');
});

t.test('metadata is kept and returned by conversations.history (newest first, paged, within oldest); chat.update edits', async (t) => {
  const { s, client } = await slack(t);
  for (const key of ['a', 'b', 'c']) await client.chat.postMessage({ channel: 'C0LEADS', text: key, metadata: { event_type: 'gassistant_notification', event_payload: { dedupe_key: key } } });
  await client.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' });
  const page1 = await client.conversations.history({ channel: 'C0LEADS', limit: 2, include_all_metadata: true });
  t.same(page1.messages?.map((m) => [m.text, (m.metadata as { event_payload: { dedupe_key: string } }).event_payload.dedupe_key]), [['c', 'c'], ['b', 'b']]);
  t.equal(page1.has_more, true);
  const page2 = await client.conversations.history({ channel: 'C0LEADS', limit: 2, include_all_metadata: true, cursor: page1.response_metadata?.next_cursor ?? '' });
  t.same(page2.messages?.map((m) => m.text), ['a']);
  t.equal(page2.has_more, false);
  const bare = await client.conversations.history({ channel: 'C0LEADS' });
  t.notOk(bare.messages?.some((m) => m.metadata !== undefined), 'metadata only with include_all_metadata');
  const later = await client.conversations.history({ channel: 'C0LEADS', oldest: String(Number(s.messages[2]?.ts)) });
  t.same(later.messages?.map((m) => m.text), ['c'], 'oldest bounds the answer');
  const missing = (await client.conversations.history({ channel: 'C0NOPE' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(missing.data.error, 'channel_not_found');

  const first = s.messages[0]!;
  await client.chat.update({ channel: 'C0LEADS', ts: first.ts, text: 'edited', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'edited' } }] });
  t.equal(first.text, 'edited');
  t.equal(first.edits.length, 1);
  const notFound = (await client.chat.update({ channel: 'C0LEADS', ts: '1.000001', text: 'x' }).catch((e: unknown) => e)) as WebAPIPlatformError;
  t.equal(notFound.data.error, 'message_not_found');
});

t.test('users.info, auth.test, and a post held between Slack posting it and answering', async (t) => {
  const { s, client } = await slack(t);
  t.equal((await client.users.info({ user: 'U0SARA0001' })).user?.profile?.email, 'sara@example.com');
  t.equal(((await client.users.info({ user: 'U0NOBODY' }).catch((e: unknown) => e)) as WebAPIPlatformError).data.error, 'user_not_found');
  t.equal((await client.auth.test()).ok, true);
  const held = s.holdNextPost();
  const answer = client.chat.postMessage({ channel: 'C0LEADS', text: 'held' });
  const posted = await held.posted;
  t.equal(posted.text, 'held');
  t.equal(s.messages.length, 1, 'posted before the answer');
  held.release();
  t.equal((await answer).ts, posted.ts, 'then answered');
});

t.test("interaction posts: Slack's published signature example, and a click signed as Slack signs it", async (t) => {
  // https://api.slack.com/authentication/verifying-requests-from-slack
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  t.equal(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');

  const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server = (await import('node:http')).createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => { seen.push({ headers: req.headers, body: text }); res.end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const { port } = server.address() as { port: number };
  const payload = blockActionsPayload({ userId: 'U0SARA0001', channel: 'D0SARA0001', messageTs: '1767868200.000100', actionId: 'lead_contacted', value: '42', actionTs: '1767868260.000001' });
  const res = await sendInteraction(`http://127.0.0.1:${port}/`, payload, { signingSecret: 'secret', timestamp: 1767868261 });
  t.equal(res.status, 200);
  const got = seen[0]!;
  t.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
  t.equal(got.headers['x-slack-request-timestamp'], '1767868261');
  t.equal(got.headers['x-slack-signature'], slackSignature('secret', 1767868261, got.body), 'signed over the exact bytes sent');
  t.match(JSON.parse(new URLSearchParams(got.body).get('payload') ?? '{}'), { type: 'block_actions', user: { id: 'U0SARA0001' }, container: { message_ts: '1767868200.000100', channel_id: 'D0SARA0001' }, actions: [{ action_id: 'lead_contacted', value: '42', action_ts: '1767868260.000001' }] });
  await sendInteraction(`http://127.0.0.1:${port}/`, payload, { signingSecret: 'secret', timestamp: 1767868261, tamper: (b) => `${b}x` });
  t.not(seen[1]?.headers['x-slack-signature'], slackSignature('secret', 1767868261, seen[1]?.body ?? ''), 'a tampered body no longer matches its signature');
});
