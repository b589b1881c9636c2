/**
 * The Graph stand-in answers lead reads and every error meta-lead-ads.md documents with Graph's bodies,
 * statuses and headers (byte-identical to the fixtures where one exists).
 */
import { createHmac } from 'node:crypto';
import t from 'tap';
import { fixtureText } from '@gassistant/test-support';
import { startGraphStandIn, type GraphLead, type GraphStandIn } from '../src/index.js';

const SECRET = 'test-app-secret';
const PAGE = '104857600112233';
const TOKEN = 'page-token-1';
const proof = (token: string): string => createHmac('sha256', SECRET).update(token).digest('hex');
const FIELDS = 'id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,is_organic,platform,field_data,custom_disclaimer_responses';

async function graph(t: { teardown(fn: () => unknown): void }): Promise<GraphStandIn> {
  const g = await startGraphStandIn({ appSecret: SECRET, pageTokens: { [PAGE]: TOKEN, '999': 'other-page-token' } });
  t.teardown(() => g.close());
  const lead = JSON.parse(fixtureText('meta-lead-graph-response.json')) as Omit<GraphLead, 'page_id'>;
  g.addLead({ ...lead, page_id: PAGE });
  return g;
}

async function get(g: GraphStandIn, path: string, params: Record<string, string>): Promise<{ status: number; text: string; json: GraphJson; headers: Headers }> {
  const u = new URL(`${g.url}${path}`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const res = await fetch(u);
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as GraphJson, headers: res.headers };
}

interface GraphErrorBody { error: { message: string; type: string; code: number; error_subcode?: number; is_transient?: boolean; fbtrace_id: string } }
interface GraphJson extends GraphErrorBody {
  data: { id: string }[];
  paging: { cursors: { before: string; after: string }; next?: string };
  [key: string]: unknown;
}

const auth = (token = TOKEN): Record<string, string> => ({ access_token: token, appsecret_proof: proof(token) });

t.test('GET /v25.0/{leadgen-id} with fields returns the lead exactly as Graph sends it', async (t) => {
  const g = await graph(t);
  t.match(g.url, /^http:\/\/127\.0\.0\.1:\d+\/v25\.0$/);
  const r = await get(g, '/2100000000000001', { fields: FIELDS, ...auth() });
  t.equal(r.status, 200);
  t.equal(r.text, fixtureText('meta-lead-graph-response.json'), 'byte-identical to the fixture (Meta escaping)');
  t.ok(r.headers.get('x-app-usage'), 'usage header');
  t.equal(g.requests.at(-1)?.query['access_token'], TOKEN, 'requests are recorded');
});

t.test('without fields only id, created_time and field_data come back', async (t) => {
  const g = await graph(t);
  const r = await get(g, '/2100000000000001', auth());
  t.same(Object.keys(r.json), ['id', 'created_time', 'field_data']);
});

t.test('appsecret_proof: missing or wrong → code 100', async (t) => {
  const g = await graph(t);
  const missing = await get(g, '/2100000000000001', { access_token: TOKEN });
  t.equal(missing.status, 400);
  t.equal(missing.json['error'].code, 100);
  t.match(missing.json['error'].message, /appsecret_proof/);
  const wrong = await get(g, '/2100000000000001', { access_token: TOKEN, appsecret_proof: proof('another-token') });
  t.equal(wrong.json['error'].code, 100);
  t.match(wrong.json['error'].message, /Invalid appsecret_proof/);
});

t.test('expired token → 190/463 OAuthException until restored', async (t) => {
  const g = await graph(t);
  g.expireToken(PAGE);
  const r = await get(g, '/2100000000000001', auth());
  const expected = JSON.parse(fixtureText('meta-graph-error-expired-token.json')) as GraphErrorBody;
  t.equal(r.status, 400);
  t.same(Object.keys(r.json['error']).sort(), Object.keys(expected['error']).sort(), 'same keys as the fixture');
  t.match(r.json['error'], { type: 'OAuthException', code: 190, error_subcode: 463 });
  t.match(r.json['error'].message, /^Error validating access token: Session has expired/);
  g.restoreToken(PAGE);
  t.equal((await get(g, '/2100000000000001', auth())).status, 200);
});

t.test('unknown token → 190/467; no token → 104', async (t) => {
  const g = await graph(t);
  const r = await get(g, '/2100000000000001', auth('garbage'));
  t.match(r.json['error'], { code: 190, error_subcode: 467 });
  const none = await get(g, '/2100000000000001', {});
  t.match(none.json['error'], { code: 104 });
});

t.test('unknown lead, or a lead of another page → 100/33 GraphMethodException', async (t) => {
  const g = await graph(t);
  const expected = JSON.parse(fixtureText('meta-graph-error-object-not-found.json')) as GraphErrorBody;
  const r = await get(g, '/2100000000000099', auth());
  t.equal(r.status, 400);
  t.same(Object.keys(r.json['error']).sort(), Object.keys(expected['error']).sort());
  t.equal(r.json['error'].message, expected['error'].message, 'same wording as Graph');
  t.match(r.json['error'], { type: 'GraphMethodException', code: 100, error_subcode: 33 });
  const foreign = await get(g, '/2100000000000001', auth('other-page-token'));
  t.match(foreign.json['error'], { code: 100, error_subcode: 33 });
});

t.test('an unknown field → code 100', async (t) => {
  const g = await graph(t);
  const r = await get(g, '/2100000000000001', { fields: 'id,favourite_colour', ...auth() });
  t.match(r.json['error'], { code: 100, message: /nonexisting field \(favourite_colour\)/ });
});

t.test('rate limits 4, 17, 32, 613: Graph bodies, 400/403 never 429, usage headers, no Retry-After', async (t) => {
  const g = await graph(t);
  g.rateLimitNext(1, 4);
  g.rateLimitNext(1, 17);
  g.rateLimitNext(1, 32);
  g.rateLimitNext(1, 613);
  const app = await get(g, '/2100000000000001', auth());
  const expected = JSON.parse(fixtureText('meta-graph-error-rate-limit-app.json')) as GraphErrorBody;
  t.equal(app.status, 403);
  t.match(app.json['error'], { code: 4, is_transient: true, type: 'OAuthException', message: expected['error'].message });
  t.same(JSON.parse(app.headers.get('x-app-usage') ?? '{}'), { call_count: 100, total_cputime: 25, total_time: 25 });
  const user = await get(g, '/2100000000000001', auth());
  t.equal(user.status, 400);
  t.match(user.json['error'], { code: 17, is_transient: true });
  t.ok(user.headers.get('x-app-usage'));
  const page = await get(g, '/2100000000000001', auth());
  t.match(page.json['error'], { code: 32 });
  t.ok(page.headers.get('x-page-usage'));
  const buc = await get(g, '/2100000000000001', auth());
  t.match(buc.json['error'], { code: 613 });
  const usage = JSON.parse(buc.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; estimated_time_to_regain_access: number }[]>;
  t.equal(usage[PAGE]?.[0]?.type, 'pages', 'keyed by the page id, value an array');
  t.equal(usage[PAGE]?.[0]?.estimated_time_to_regain_access, 5);
  for (const r of [app, user, page, buc]) t.equal(r.headers.get('retry-after'), null);
  t.equal((await get(g, '/2100000000000001', auth())).status, 200, 'then it answers again');
  t.same(g.requests.slice(0, 4).map((r) => r.errorCode), [4, 17, 32, 613]);
});

t.test('GET /{form-id}/leads pages with cursors and filters on time_created', async (t) => {
  const g = await graph(t);
  for (let i = 2; i <= 6; i++) {
    g.addLead({ id: `210000000000000${i}`, page_id: PAGE, form_id: '987654321098765', created_time: `2026-01-0${i}T10:00:00+0000`, field_data: [{ name: 'full_name', values: [`Lead ${i}`] }] });
  }
  const base = { fields: 'id,created_time', limit: '2', ...auth() };
  const first = await get(g, '/987654321098765/leads', base);
  t.equal(first.status, 200);
  t.same(first.json['data'].map((l: { id: string }) => l.id), ['2100000000000001', '2100000000000006'], 'newest first');
  t.ok(first.json['paging'].cursors.after);
  t.match(first.json['paging'].next, /^http:\/\/127\.0\.0\.1:\d+\/v25\.0\/987654321098765\/leads\?/);
  const ids: string[] = first.json['data'].map((l: { id: string }) => l.id);
  let next: string | undefined = first.json['paging'].next;
  while (next) {
    const page = (await (await fetch(next)).json()) as { data: { id: string }[]; paging?: { next?: string } };
    ids.push(...page.data.map((l) => l.id));
    next = page.paging?.next;
  }
  t.equal(ids.length, 6, 'following next walks every lead once');
  const after = await get(g, '/987654321098765/leads', { ...base, limit: '10', after: first.json['paging'].cursors.after });
  t.equal(after.json['data'].length, 4, 'after=<cursor> continues');
  const since = Math.floor(Date.parse('2026-01-04T00:00:00Z') / 1000);
  const until = Math.floor(Date.parse('2026-01-06T00:00:00Z') / 1000);
  const window = await get(g, '/987654321098765/leads', {
    ...base, limit: '10',
    filtering: JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: since }, { field: 'time_created', operator: 'LESS_THAN', value: until }]),
  });
  t.same(window.json['data'].map((l: { id: string }) => l.id), ['2100000000000005', '2100000000000004']);
  const badFilter = await get(g, '/987654321098765/leads', { ...base, filtering: JSON.stringify([{ field: 'name', operator: 'EQUAL', value: 1 }]) });
  t.match(badFilter.json['error'], { code: 100 });
  const unknownForm = await get(g, '/111/leads', base);
  t.match(unknownForm.json['error'], { code: 100, error_subcode: 33 });
});

t.test('ads insights: campaign spend of an ad account, read with its own token, paged by cursor', async (t) => {
  const ADS_TOKEN = 'system-user-ads-token';
  const g = await startGraphStandIn({
    appSecret: SECRET,
    pageTokens: { [PAGE]: TOKEN },
    adAccounts: { '1234567890': { token: ADS_TOKEN, campaigns: [{ campaign_id: '1', campaign_name: 'حملة رمضان', spend: 400 }, { campaign_id: '2', campaign_name: 'brand-en', spend: 12.5 }] } },
  });
  t.teardown(() => g.close());
  const first = await get(g, '/act_1234567890/insights', { level: 'campaign', fields: 'campaign_name,spend', limit: '1', access_token: ADS_TOKEN, appsecret_proof: proof(ADS_TOKEN) });
  t.equal(first.status, 200);
  t.match(first.json, { data: [{ campaign_name: 'حملة رمضان', spend: '400.00' }], paging: { next: /after=/ } });
  const next = new URL((first.json as { paging: { next: string } }).paging.next);
  const second = await fetch(next).then((res) => res.json() as Promise<GraphJson>);
  t.match(second, { data: [{ campaign_name: 'brand-en', spend: '12.50' }] });
  t.notOk((second as { paging?: { next?: string } }).paging?.next, 'the last page has no next');
  const pageToken = await get(g, '/act_1234567890/insights', { access_token: TOKEN, appsecret_proof: proof(TOKEN) });
  t.equal(pageToken.status, 400);
  t.match(pageToken.json, { error: { code: 190 } }, "a page token cannot read the ad account");
  const unknown = await get(g, '/act_42/insights', { access_token: ADS_TOKEN, appsecret_proof: proof(ADS_TOKEN) });
  t.match(unknown.json, { error: { code: 100, error_subcode: 33 } });
  const noProof = await get(g, '/act_1234567890/insights', { access_token: ADS_TOKEN });
  t.match(noProof.json, { error: { code: 100, message: /appsecret_proof/ } });
});
