/**
 * Client behaviour that consumers rely on for cost and safety: one connect for concurrent callers, cached
 * look-ups (no second RPC), look-up misses not cached, and no credentials in errors or logs.
 */
import t from 'tap';
import { startOdooStandIn } from '@gassistant/sandbox';
import { createOdooClient, OdooError } from '../src/index.js';

t.test('concurrent connect() calls share one connection handshake', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password });
  t.teardown(() => odoo.close());
  t.throws(() => odoo.capabilities, OdooError, 'capabilities before connect throws');
  const [a, b] = await Promise.all([odoo.connect(), odoo.connect()]);
  t.equal(a, b);
  t.equal(s.calls.count('crm.lead', 'fields_get'), 1);
  t.equal(odoo.capabilities.uid, 2);
});

t.test('cached look-ups cost one RPC; misses are retried', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password });
  t.teardown(() => odoo.close());
  await odoo.connect();
  s.calls.reset();
  const first = await Promise.all([odoo.refs.tag('VIP'), odoo.refs.tag('VIP')]);
  t.equal(first[0], first[1]);
  const afterFirst = s.calls.total;
  t.equal(await odoo.refs.tag('VIP'), first[0]);
  t.equal(await odoo.refs.activityTypeTodo(), 4);
  await odoo.refs.activityTypeTodo();
  await odoo.refs.modelId('crm.lead');
  await odoo.refs.modelId('crm.lead');
  t.equal(s.calls.total - afterFirst, 2, 'only the first todo and model look-ups reached Odoo');
  t.equal(await odoo.refs.stageByName('Negotiation'), undefined);
  s.seed('crm.stage', { name: 'Negotiation', sequence: 4 });
  t.type(await odoo.refs.stageByName('Negotiation'), 'number', 'a miss is not cached');
  odoo.refs.clear();
  const before = s.calls.total;
  await odoo.refs.tag('VIP');
  t.equal(s.calls.total - before, 1, 'clear() forgets');
});

t.test('errors and debug logs never carry the password or call arguments', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const lines: string[] = [];
  const log = { debug: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')), warn: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')) };
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password, log });
  t.teardown(() => odoo.close());
  await odoo.create('crm.lead', { name: 'Secret Person', email_from: 'secret@example.com' });
  s.faults.failNext(1, 'access');
  await odoo.searchCount('crm.lead', []);
  const joined = lines.join('\n');
  t.ok(lines.some((l) => l.includes('"method":"create"') && l.includes('duration_ms')), 'calls are logged with model, method, duration');
  t.ok(lines.some((l) => l.includes('re-authenticating')), 're-authentication is logged');
  t.notMatch(joined, /secret@example\.com|Secret Person/, 'no arguments');
  t.notMatch(joined, /"admin"|password/, 'no credentials');
});

t.test('onCall sees every call settle, with its duration and any error, never its arguments', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const calls: { model: string; method: string; durationMs: number; error?: unknown }[] = [];
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password, onCall: (c) => calls.push(c) });
  t.teardown(() => odoo.close());
  await odoo.create('crm.lead', { name: 'Secret Person' });
  s.faults.failNext(1, 'transport');
  await odoo.ping().catch(() => undefined);
  await odoo.ping();
  t.same(calls.map((c) => `${c.model}.${c.method}`), ['crm.lead.create', 'res.users.context_get', 'res.users.context_get'], 'the calls of connect() itself are not reported');
  t.ok(calls.every((c) => c.durationMs >= 0));
  t.same(calls.map((c) => c.error === undefined), [true, false, true], 'the failed ping carries its error');
  s.faults.down();
  const unreachable = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password, onCall: (c) => calls.push(c) });
  t.teardown(() => unreachable.close());
  await unreachable.ping().catch(() => undefined);
  t.match(calls.at(-1), { model: 'res.users', method: 'context_get', error: { code: 'ODOO_TRANSPORT' } }, 'a connect that fails is reported as the call it was for');
  t.notMatch(JSON.stringify(calls), /Secret Person/);
});

t.test('connect tells whether the Leads setting is on for the API user', async (t) => {
  for (const leadsSetting of [false, true]) {
    const s = await startOdooStandIn({ leadsSetting });
    t.teardown(() => s.close());
    const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password });
    t.teardown(() => odoo.close());
    t.equal((await odoo.connect()).leadsEnabled, leadsSetting);
    const id = await odoo.create('crm.lead', { name: 'x' });
    t.same((await odoo.read<{ type: string }>('crm.lead', [id], ['type']))[0]?.type, leadsSetting ? 'lead' : 'opportunity', 'and what a new lead defaults to');
  }
});
