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

t.test('GET /{page-id} and its leadgen_forms edge: the page token sees its own page and forms, paged', async (t) => {
  const g = await graph(t);
  g.addForm({ id: '555000000000001', page_id: PAGE, name: 'Archived form', status: 'ARCHIVED' });
  g.addForm({ id: '555000000000002', page_id: '999', name: 'Other page', status: 'ACTIVE' });
  const page = await get(g, `/${PAGE}`, auth());
  t.same(page.json, { id: PAGE, name: `Page ${PAGE}` });
  const first = await get(g, `/${PAGE}/leadgen_forms`, { ...auth(), limit: '1' });
  t.equal(first.json.data.length, 1);
  t.ok(first.json.paging.next, 'a next page');
  const second = await get(g, `/${PAGE}/leadgen_forms`, { ...auth(), limit: '1', after: first.json.paging.cursors.after });
  t.notOk(second.json.paging.next, 'the last page has no next');
  t.same([...first.json.data, ...second.json.data].map((f) => f.id).sort(), ['555000000000001', '987654321098765'], "the lead's form and the declared one, not another page's")
  const foreign = await get(g, '/999/leadgen_forms', auth());
  t.equal(foreign.json.error.code, 100, "another page's forms are not visible to this token")
});

t.test('failNext: matching requests answer 500 / code 2 (transient) once each, others are served', async (t) => {
  const g = await graph(t);
  g.failNext(1, (r) => r.path.endsWith('/leads'));
  const lead = await get(g, '/2100000000000001', auth());
  t.equal(lead.status, 200, 'a request that does not match is served');
  const failed = await get(g, '/987654321098765/leads', auth());
  t.equal(failed.status, 500);
  t.match(failed.json.error, { code: 2, is_transient: true });
  t.equal((await get(g, '/987654321098765/leads', auth())).status, 200, 'served again once the failure is spent');
});

t.test('setAppUsage: X-App-Usage reports the percentage', async (t) => {
  const g = await graph(t);
  g.setAppUsage(85);
  const r = await get(g, '/2100000000000001', auth());
  t.same(JSON.parse(r.headers.get('x-app-usage') ?? '{}'), { call_count: 85, total_cputime: 1, total_time: 1 });
});

t.test('POST /{dataset}/events: accepts valid CRM events, refuses the whole request for one bad event', async (t) => {
  const now = 1_767_868_200;
  const g = await startGraphStandIn({ appSecret: SECRET, pageTokens: { [PAGE]: TOKEN }, datasets: { '777': 'capi-token' }, now: () => now });
  t.teardown(() => g.close());
  const post = async (data: unknown[], token = 'capi-token') => {
    const u = new URL(`${g.url}/777/events`);
    u.searchParams.set('access_token', token);
    u.searchParams.set('appsecret_proof', proof(token));
    const res = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
    return { status: res.status, json: (await res.json()) as GraphJson & { events_received?: number } };
  };
  const good = { event_name: 'Qualified', event_time: now - 60, action_source: 'system_generated', event_id: '2100000000000001:qualified', user_data: { lead_id: '2100000000000001' }, custom_data: { event_source: 'crm', lead_event_source: 'Odoo' } };
  const ok = await post([good])
  t.equal(ok.status, 200);
  t.equal(ok.json.events_received, 1);
  const refusals: [string, Record<string, unknown>][] = [
    ['Event Timestamp Too Old', { event_time: now - 8 * 86_400 }],
    ['Invalid Lead ID', { user_data: { lead_id: '12345' } }],
    ['Invalid Action Source', { action_source: 'crm' }],
    ['Unhashed User Data', { user_data: { lead_id: '2100000000000001', em: ['someone@example.com'] } }],
  ];
  for (const [title, change] of refusals) {
    const r = await post([good, { ...good, ...change }]);
    t.equal(r.status, 400, title);
    t.match(r.json.error, { code: 100, error_user_title: title });
  }
  t.equal((await post([good], 'wrong')).json.error.code, 190, 'a token that is not the dataset\'s → 190');
  t.equal(g.conversions.length, 1, 'only the accepted request\'s event is kept');
  t.equal(g.conversionRequests.length, 6, 'every request is recorded');
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
