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
