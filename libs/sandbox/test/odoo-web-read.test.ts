/**
 * The Odoo stand-in's web_search_read / web_read (17.0's web module), over XML-RPC as a client sends them:
 * a many2one is its id unless its spec asks for fields, an x2many with `fields` is a list of dicts (in the
 * spec's order, its limit), the answer is `{ length, records }`. And predictive scoring's probabilities:
 * unset (read as 0) on a new database, computed once scoring has history.
 */
import t from 'tap';
import xmlrpc from 'xmlrpc';
import { startOdooStandIn, type OdooStandIn } from '../src/index.js';

function objectCall(s: OdooStandIn, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
  const client = xmlrpc.createClient({ url: `${s.url}/xmlrpc/2/object` });
  return new Promise((resolve, reject) => {
    client.methodCall('execute_kw', [s.db, 2, s.password, model, method, args, kwargs], (error, value) => (error ? reject(error) : resolve(value)));
  });
}

t.test('web_search_read: nested specifications as 17.0 answers them', async (t) => {
  const s = await startOdooStandIn({ addonInstalled: true });
  t.teardown(() => s.close());
  const tag = (await objectCall(s, 'crm.tag', 'create', [{ name: 'WhatsApp' }])) as number;
  const lead = (await objectCall(s, 'crm.lead', 'create', [{ name: 'عرض', contact_name: 'محمد', tag_ids: [[6, 0, [tag]]] }])) as number;
  for (const body of ['<p>one</p>', '<p>two</p>']) {
    await objectCall(s, 'mail.message', 'create', [{ model: 'crm.lead', res_id: lead, body, message_type: 'comment', date: '2026-11-29 10:00:00' }]);
  }
  const spec = {
    contact_name: {},
    user_id: {},
    stage_id: { fields: { display_name: {} } },
    tag_ids: { fields: { display_name: {} } },
    message_ids: { fields: { body: {}, date: {} }, order: 'id asc', limit: 1 },
  };
  const answer = (await objectCall(s, 'crm.lead', 'web_search_read', [[['id', '=', lead]], spec], { limit: 1 })) as { length: number; records: Record<string, unknown>[] };
  t.equal(answer.length, 1);
  const [row] = answer.records;
  t.equal(row?.['contact_name'], 'محمد', 'Arabic intact');
  t.equal(row?.['user_id'], 2, 'a many2one without fields is its id');
  t.same(row?.['stage_id'], { id: 1, display_name: 'New' }, 'with fields: a dict');
  t.same(row?.['tag_ids'], [{ id: tag, display_name: 'WhatsApp' }]);
  t.match(row?.['message_ids'], [{ body: '<p>one</p>', date: '2026-11-29 10:00:00' }], 'ordered, limited');
  t.equal((row?.['message_ids'] as unknown[]).length, 1);

  const none = await objectCall(s, 'crm.lead', 'web_search_read', [[['id', '=', 999]], { name: {} }]);
  t.same(none, { length: 0, records: [] });
  const read = (await objectCall(s, 'crm.lead', 'web_read', [[lead], { tag_ids: {} }])) as Record<string, unknown>[];
  t.same(read, [{ id: lead, tag_ids: [tag] }], 'web_read; an x2many without fields: its ids');
  await t.rejects(objectCall(s, 'crm.lead', 'web_search_read', [[], { name: {} }], { fields: ['name'] }), /unexpected keyword argument 'fields'/);
});

t.test('predictive probability: unset (reads as 0) on a new database, computed with history', async (t) => {
  for (const scoringHistory of [false, true]) {
    const s = await startOdooStandIn({ scoringHistory });
    t.teardown(() => s.close());
    const lead = (await objectCall(s, 'crm.lead', 'create', [{ name: 'x' }])) as number;
    const [row] = (await objectCall(s, 'crm.lead', 'read', [[lead], ['probability', 'automated_probability']])) as Record<string, unknown>[];
    t.same(row, { id: lead, probability: scoringHistory ? 55.43 : 0, automated_probability: scoringHistory ? 55.43 : 0 }, `history: ${scoringHistory}`);
  }
});
