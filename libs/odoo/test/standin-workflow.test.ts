/**
 * What the workflow rules need of the Odoo stand-in, as a real 17.0 answered it (lab, 2026-11-29, crm_lab and
 * crm_fresh): ir.model.data's unique (module, name) index refusing a second claim with fault 2; the company's
 * "Standard 40 hours/week" calendar (UTC, Monday–Friday with lunch lines); res.users.im_status.
 */
import t from 'tap';
import { createOdooClient, OdooValidationError } from '../src/index.js';
import { startOdooStandIn } from '@gassistant/sandbox';

t.test('ir.model.data: (module, name) is unique, as its index in Odoo', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const c = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password });
  t.teardown(() => c.close());
  const values = { module: 'gassistant_rules', name: 'hot-lead.l7', model: 'crm.lead', res_id: 7 };
  const id = await c.create('ir.model.data', values);
  const [row] = await c.read<{ noupdate: boolean; create_date: string }>('ir.model.data', [id], ['noupdate', 'create_date']);
  t.equal(row?.noupdate, false, 'noupdate defaults to false');
  t.match(row?.create_date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await t.rejects(c.create('ir.model.data', values), OdooValidationError, 'the same (module, name) again: fault 2');
  await t.rejects(c.create('ir.model.data', values), { message: /duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"/ });
  t.ok(await c.create('ir.model.data', { ...values, module: 'other' }), 'the same name in another module is fine');
  await c.write('ir.model.data', [id], { noupdate: true });
  t.equal(await c.searchCount('ir.model.data', [['module', '=', 'gassistant_rules'], ['noupdate', '=', false]]), 0);
});

t.test('the company working calendar and user presence', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const c = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password });
  t.teardown(() => c.close());
  const [company] = await c.read<{ resource_calendar_id: [number, string] }>('res.company', [1], ['resource_calendar_id']);
  t.same(company?.resource_calendar_id, [1, 'Standard 40 hours/week']);
  const [calendar] = await c.read<{ tz: string }>('resource.calendar', [1], ['tz']);
  t.equal(calendar?.tz, 'UTC');
  const monday = await c.searchRead('resource.calendar.attendance', [['calendar_id', '=', 1], ['dayofweek', '=', '0']], { fields: ['hour_from', 'hour_to', 'day_period', 'display_type'] });
  t.same(monday.map((row) => [row['hour_from'], row['hour_to'], row['day_period'], row['display_type']]), [[8, 12, 'morning', false], [12, 13, 'lunch', false], [13, 17, 'afternoon', false]]);
  t.equal(await c.searchCount('resource.calendar.attendance', [['calendar_id', '=', 1]]), 15, 'Monday to Friday, three lines a day');
  t.same(await c.searchRead('resource.calendar.leaves', [['resource_id', '=', false]], { fields: ['date_from'] }), [], 'no company leaves in a new database');
  const [admin] = await c.read<{ im_status: string | false }>('res.users', [2], ['im_status']);
  t.equal(admin?.im_status, 'offline', "a user not connected is 'offline'");
});
