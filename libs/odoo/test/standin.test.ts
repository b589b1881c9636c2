/**
 * Odoo stand-in (libs/sandbox) behaviour, driven through this client beyond the client conformance suite: wire bytes, the addon's unique reference,
 * version differences (16 / 18.2+ / 19), the 17.0 activity_schedule quirk, domains and x2many commands,
 * fault injection and call counting.
 */
import t from 'tap';
import { createOdooClient, OdooFaultError, OdooTransportError, OdooValidationError } from '../src/index.js';
import { startOdooStandIn, type OdooStandIn } from '@gassistant/sandbox';

async function standIn(t: { teardown(fn: () => unknown): void }, opts: Parameters<typeof startOdooStandIn>[0] = {}): Promise<OdooStandIn> {
  const s = await startOdooStandIn(opts);
  t.teardown(() => s.close());
  return s;
}
const clientFor = (t: { teardown(fn: () => unknown): void }, s: OdooStandIn, extra: { transport?: 'xmlrpc' | 'json2' } = {}) => {
  const c = createOdooClient({ url: s.url, db: s.db, username: s.username, password: extra.transport === 'json2' ? s.apiKey : s.password, ...extra });
  t.teardown(() => c.close());
  return c;
};
const xmlCall = (method: string, params: string): string =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;
const str = (v: string): string => `<param><value><string>${v}</string></value></param>`;

t.test('XML-RPC wire: a fault is written as Odoo 17 writes it', async (t) => {
  const s = await standIn(t);
  const body = xmlCall('execute_kw', `${str(s.db)}<param><value><int>2</int></value></param>${str('admin')}${str('crm.lead')}${str('create')}<param><value><array><data><value><struct><member><name>name</name><value><string>x</string></value></member><member><name>x_meta_leadgen_id</name><value><string>1</string></value></member></struct></value></data></array></value></param>`);
  const res = await fetch(`${s.url}/xmlrpc/2/object`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/xml/);
  const text = await res.text();
  t.match(text, /^<\?xml version="1.0"\?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode<\/name>\n<value><int>1<\/int><\/value>/);
  t.match(text, /ValueError: Invalid field 'x_meta_leadgen_id' on model 'crm\.lead'\n<\/string>/);
  t.ok(text.endsWith('</fault>\n\n</methodResponse>\n'), 'empty line before </methodResponse>');
  const auth = await fetch(`${s.url}/xmlrpc/2/common`, { method: 'POST', body: xmlCall('authenticate', `${str(s.db)}${str('admin')}${str('wrong')}<param><value><struct></struct></value></param>`) });
  t.match(await auth.text(), /<value><boolean>0<\/boolean><\/value>/, 'authenticate with a wrong password returns False');
  const login = await fetch(`${s.url}/xmlrpc/2/common`, { method: 'POST', body: xmlCall('login', `${str(s.db)}${str('admin')}${str('admin')}`) });
  t.match(await login.text(), /<value><int>2<\/int><\/value>/, 'login returns the uid');
  const wrongKey = await fetch(`${s.url}/xmlrpc/2/object`, { method: 'POST', body: xmlCall('execute_kw', `${str(s.db)}<param><value><int>2</int></value></param>${str('nope')}${str('crm.lead')}${str('search')}<param><value><array><data><value><array><data></data></array></value></data></array></value></param>`) });
  t.match(await wrongKey.text(), /<value><int>3<\/int><\/value>\n<\/member>\n<member>\n<name>faultString<\/name>\n<value><string>Access Denied<\/string>/);
});

t.test('addon installed: gassistant_* fields, and gassistant_ref is unique when set', async (t) => {
  const s = await standIn(t, { addonInstalled: true });
  const odoo = clientFor(t, s);
  const caps = await odoo.connect();
  t.equal(caps.hasAddon, true);
  for (const f of ['gassistant_ref', 'gassistant_score', 'gassistant_score_breakdown', 'gassistant_flags']) t.ok(caps.leadFields.has(f), f);
  const first = await odoo.create('crm.lead', { name: 'a', gassistant_ref: 'meta:2100000000000001', gassistant_score: 86 });
  const dup = await odoo.create('crm.lead', { name: 'b', gassistant_ref: 'meta:2100000000000001' }).catch((e: unknown) => e);
  t.type(dup, OdooValidationError, 'a second lead with the same reference is refused');
  t.match((dup as Error).message, /^The operation cannot be completed: /);
  await odoo.createMany('crm.lead', [{ name: 'c' }, { name: 'd', gassistant_ref: false }]);
  t.equal(s.records('crm.lead').length, 3, 'empty references do not collide');
  const wr = await odoo.write('crm.lead', [first + 1], { gassistant_ref: 'meta:2100000000000001' }).catch((e: unknown) => e);
  t.type(wr, OdooValidationError, 'also on write');
});

t.test('addon not installed: writing gassistant_ref is fault 1', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  t.equal((await odoo.connect()).hasAddon, false);
  t.type(await odoo.create('crm.lead', { name: 'a', gassistant_ref: 'x' }).catch((e: unknown) => e), OdooFaultError);
});

t.test('version differences', async (t) => {
  const v16 = await standIn(t, { version: '16.0' });
  const c16 = clientFor(t, v16);
  const lead = await c16.create('crm.lead', { name: 'x' });
  const msg = await c16.messagePost('crm.lead', lead, '<p>score <b>86</b></p>', { html: true });
  t.equal(v16.messages('crm.lead', lead)[0]?.['id'], msg);
  t.equal(v16.messages('crm.lead', lead)[0]?.['body'], '<p>score <b>86</b></p>', '16: no body_is_html sent, body kept as HTML');
  const raw16 = await c16.executeKw('crm.lead', 'message_post', [[lead]], { body: 'x', body_is_html: true }).catch((e: unknown) => e);
  t.type(raw16, OdooFaultError, '16 rejects body_is_html');

  const v182 = await standIn(t, { version: 'saas~18.2' });
  const caps182 = await clientFor(t, v182).connect();
  t.equal(caps182.major, 18);
  t.equal(caps182.leadFields.has('mobile'), false, 'mobile removed from saas~18.2');
  const v18 = await standIn(t, { version: '18.0' });
  t.equal((await clientFor(t, v18).connect()).leadFields.has('mobile'), true, '18.0 still has mobile');

  const v17 = await standIn(t, { version: '17.0' });
  const json2on17 = await clientFor(t, v17, { transport: 'json2' }).connect().catch((e: unknown) => e);
  t.type(json2on17, OdooTransportError, 'no JSON-2 before 19');
  t.equal((json2on17 as OdooTransportError).retryable, false);
  const v19 = await standIn(t, { version: '19.0' });
  const caps19 = await clientFor(t, v19, { transport: 'json2' }).connect();
  t.same([caps19.major, caps19.transport, caps19.leadFields.has('mobile')], [19, 'json2', false]);
  const xml19 = createOdooClient({ url: v19.url, db: v19.db, username: 'admin', password: 'admin', transport: 'xmlrpc' });
  t.equal((await xml19.connect()).transport, 'xmlrpc', 'XML-RPC still answers on 19 (deprecated)');
  xml19.close();
});

t.test('activity_schedule over RPC: the activity is created, yet the caller gets a fault (17.0)', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  const lead = await odoo.create('crm.lead', { name: 'x' });
  const err = await odoo.executeKw('crm.lead', 'activity_schedule', [[lead]], { act_type_xmlid: 'mail.mail_activity_data_todo', summary: 's' }).catch((e: unknown) => e);
  t.type(err, OdooFaultError);
  t.match((err as Error).message, /cannot marshal None/);
  t.equal(s.records('mail.activity').length, 1, 'but the activity exists');
});

t.test('mail.activity action_feedback / action_done as 17.0: the done message, the activity gone, a done id faults', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  const lead = await odoo.create('crm.lead', { name: 'x' });
  const first = await odoo.createActivity({ model: 'crm.lead', resId: lead, summary: 'Call <back>', dateDeadline: '2026-12-01', userId: 3 });
  const second = await odoo.createActivity({ model: 'crm.lead', resId: lead, summary: 'second', dateDeadline: '2026-12-01' });
  const messageId = await odoo.executeKw<number>('mail.activity', 'action_feedback', [[first]], { feedback: 'fb <b>x</b>' });
  t.type(messageId, 'number', 'the message id (XML-RPC can carry it)');
  const done = s.messages('crm.lead', lead).find((m) => m['id'] === messageId);
  t.equal(done?.['body'], '<p><span class="fa fa-tasks fa-fw"></span><span>To-Do</span> done (originally assigned to <span>سارة الحربي</span>)<span>: </span><span>Call &lt;back&gt;</span></p><div>fb &lt;b&gt;x&lt;/b&gt;</div>');
  t.match(done, { message_type: 'notification', author_id: 3 }, 'a notification by the calling user');
  t.equal(await odoo.executeKw<number>('mail.activity', 'action_done', [[second]], {}) > messageId, true, 'action_done too');
  t.same(s.records('mail.activity'), [], 'both activities deleted');
  const err = await odoo.executeKw('mail.activity', 'action_feedback', [[first]], {}).catch((e: unknown) => e);
  t.match((err as Error).message, /Record does not exist or has been deleted\.\n\(Record: mail\.activity\(1,\), User: 2\)/);
});

t.test('domains and x2many commands', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  const a = await odoo.create('crm.lead', { name: 'Alpha Lead', email_from: 'ALPHA@example.com', tag_ids: [[0, 0, { name: 'vip' }], [0, 0, { name: 'meta' }]] });
  const b = await odoo.create('crm.lead', { name: 'Beta', stage_id: 2 });
  const ids = async (domain: Parameters<typeof odoo.searchRead>[1]): Promise<number[]> =>
    (await odoo.searchRead<{ id: number }>('crm.lead', domain, { fields: ['id'], order: 'id asc' })).map((r) => r.id);
  t.same(await ids([['name', '=like', 'Alpha%']]), [a], '=like is case-sensitive with wildcards');
  t.same(await ids([['name', '=like', 'alpha%']]), []);
  t.same(await ids([['name', 'not ilike', 'alpha']]), [b]);
  t.same(await ids([['stage_id.name', '=', 'Qualified']]), [b], 'dotted path through a many2one');
  t.same(await ids([['stage_id', '=', 'New']]), [a], 'many2one compared by name');
  t.same(await ids([['tag_ids.name', '=', 'vip']]), [a]);
  t.same(await ids([['email_from', '=', false]]), [b]);
  t.same(await ids(['|', ['id', '=', a], '&', ['id', '=', b], ['name', '=', 'nope']]), [a]);
  const [tags] = await odoo.read<{ tag_ids: number[] }>('crm.lead', [a], ['tag_ids']);
  t.equal(tags?.tag_ids.length, 2, '(0,0,vals) creates and links');
  await odoo.write('crm.lead', [a], { tag_ids: [[2, tags?.tag_ids[0] as number, 0]] });
  t.equal(s.records('crm.tag').length, 1, '(2,id) deletes the record');
  await odoo.write('crm.lead', [a], { tag_ids: [[5, 0, 0]] });
  t.same((await odoo.read<{ tag_ids: number[] }>('crm.lead', [a], ['tag_ids']))[0]?.tag_ids, [], '(5) unlinks all');
  const bad = await odoo.write('crm.lead', [a], { tag_ids: [[4, 999, 0]] }).catch((e: unknown) => e);
  t.ok(bad instanceof Error, 'linking a missing record fails');
});

t.test('fault injection, call counting, inspection and reset', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  await odoo.connect();
  s.calls.reset();
  const id = await odoo.create('crm.lead', { name: 'x' });
  await odoo.messagePost('crm.lead', id, 'note');
  t.same(s.calls.byKey(), { 'crm.lead.create': 1, 'crm.lead.message_post': 1 });
  t.equal(s.calls.count('crm.lead'), 2);
  t.equal(s.calls.count(undefined, 'create'), 1);
  t.equal(s.calls.total, 2);
  t.equal(s.messages('crm.lead', id)[0]?.['body'], '<p>note</p>');
  const partner = s.seed('res.partner', { name: 'عميل', email: 'c@example.com' });
  t.same((await odoo.read<{ name: string }>('res.partner', [partner], ['name']))[0]?.name, 'عميل', 'seeded records are visible over RPC');
  s.reset();
  t.same(s.records('crm.lead'), [], 'reset empties the database');
  t.equal(s.calls.total, 0);
  t.ok(s.records('utm.source').some((r) => r['name'] === 'Facebook'), 'and restores the fresh-database records');
});

t.test('probability: unset on a new database (reads as 0, skipped by <), computed once scoring has history', async (t) => {
  for (const scoringHistory of [false, true]) {
    const s = await standIn(t, { scoringHistory });
    const odoo = clientFor(t, s);
    const id = await odoo.create('crm.lead', { name: 'x', type: 'lead' });
    t.equal(s.records('crm.lead')[0]?.['probability'], scoringHistory ? 55.43 : undefined, `stored (history: ${scoringHistory})`);
    const [lead] = await odoo.read<{ probability: number }>('crm.lead', [id], ['probability']);
    t.equal(lead?.probability, scoringHistory ? 55.43 : 0, 'as read');
    t.equal(await odoo.searchCount('crm.lead', [['probability', '<', 100]]), scoringHistory ? 1 : 0, "'<' as SQL does");
    t.equal(await odoo.searchCount('crm.lead', [['probability', '!=', 100]]), 1, "'!=' matches either way");
    t.equal(await odoo.searchCount('crm.lead', [['probability', '=', false]]), scoringHistory ? 0 : 1);
  }
});

t.test('HTML notes: message_post with body_is_html logs 17.0\'s warning, logNotes does not', async (t) => {
  const s = await standIn(t);
  const odoo = clientFor(t, s);
  const id = await odoo.create('crm.lead', { name: 'x' });
  await odoo.logNotes('crm.lead', [{ resId: id, html: '<p><b>a</b></p>' }]);
  await odoo.messagePost('crm.lead', id, '<p>b</p>', { html: true });
  t.same(s.serverLog(), [], 'a clean log');
  t.same(s.messages('crm.lead', id).map((m) => [m['body'], m['subtype_id'], m['author_id'], m['record_name']]), [['<p><b>a</b></p>', 2, 3, 'x'], ['<p>b</p>', 2, 3, 'x']], 'note subtype, the API user as author, the lead named');
  await odoo.executeKw('crm.lead', 'message_post', [[id]], { body: '<p>c</p>', body_is_html: true, message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
  t.match(s.serverLog(), [{ level: 'WARNING', message: /^Posting HTML message using body_is_html=True, use a Markup object instead/ }]);
});
