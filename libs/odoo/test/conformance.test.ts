/**
 * Conformance of the Odoo client + server pair for what the hub relies on. Runs against the stand-in by
 * default (XML-RPC on 17.0, and JSON-2 on 19.0), or against a real Odoo when ODOO_URL, ODOO_DB, ODOO_USER
 * and ODOO_PASSWORD are set. Every record it creates carries a unique marker and is deleted at the end.
 */
import t from 'tap';
import { startOdooStandIn, type OdooStandIn } from '@gassistant/sandbox';
import {
  createOdooClient, OdooAccessDeniedError, OdooFaultError, OdooMissingRecordError, OdooValidationError,
  type OdooClient, type OdooClientOptions,
} from '../src/index.js';

const real = process.env['ODOO_URL'] && process.env['ODOO_DB'] && process.env['ODOO_USER'] && process.env['ODOO_PASSWORD'];

interface Target { label: string; options: OdooClientOptions; standIn?: OdooStandIn }

async function targets(): Promise<Target[]> {
  if (real) {
    return [{
      label: `real Odoo at ${process.env['ODOO_URL']} (db ${process.env['ODOO_DB']})`,
      options: { url: process.env['ODOO_URL'] as string, db: process.env['ODOO_DB'] as string, username: process.env['ODOO_USER'] as string, password: process.env['ODOO_PASSWORD'] as string, timeoutMs: 60_000 },
    }];
  }
  // 17.0 with the addon (its unique reference), 19.0 without: both shapes the hub meets.
  const v17 = await startOdooStandIn({ version: '17.0', addonInstalled: true });
  const v19 = await startOdooStandIn({ version: '19.0' });
  return [
    { label: `stand-in Odoo 17.0 over XML-RPC at ${v17.url}`, standIn: v17, options: { url: v17.url, db: v17.db, username: v17.username, password: v17.password, transport: 'auto' } },
    { label: `stand-in Odoo 19.0 over JSON-2 at ${v19.url}`, standIn: v19, options: { url: v19.url, db: v19.db, username: v19.username, password: v19.apiKey, transport: 'auto' } },
  ];
}

for (const target of await targets()) {
  t.comment(`conformance against ${target.label}`);
  await t.test(target.label, async (t) => {
    const odoo: OdooClient = createOdooClient(target.options);
    const marker = `gaconf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const leadIds: number[] = [];
    t.teardown(async () => {
      if (leadIds.length > 0) await odoo.executeKw('crm.lead', 'unlink', [leadIds]).catch(() => undefined);
      odoo.close();
      await target.standIn?.close();
    });

    const caps = await odoo.connect();

    await t.test('connect authenticates and reads crm.lead fields', async (t) => {
      t.ok(caps.uid > 0, 'a uid');
      t.ok(caps.major >= 16, `server version ${caps.serverVersion}`);
      t.equal(caps.transport, caps.major >= 19 ? 'json2' : 'xmlrpc', 'transport chosen from the version');
      for (const f of ['name', 'type', 'email_from', 'phone', 'description', 'stage_id', 'tag_ids', 'source_id', 'medium_id', 'campaign_id']) {
        t.ok(caps.leadFields.has(f), `crm.lead has ${f}`);
      }
      t.equal(caps.leadFields.has('mobile'), caps.major < 19, 'mobile exists up to 18 only');
      t.equal(caps.hasAddon, caps.leadFields.has('gassistant_ref'));
      t.equal(await odoo.connect(), caps, 'connect is idempotent');
    });

    await t.test('a wrong password is refused with a non-retryable access error', async (t) => {
      const bad = createOdooClient({ ...target.options, password: 'definitely-wrong' });
      const err = await bad.connect().catch((e: unknown) => e);
      bad.close();
      t.type(err, OdooAccessDeniedError);
      t.equal((err as OdooAccessDeniedError).retryable, false);
      t.equal((err as OdooAccessDeniedError).code, 'ODOO_ACCESS_DENIED');
    });

    let leadId = 0;
    await t.test('creates one lead with Arabic text; it reads back unchanged, as an opportunity', async (t) => {
      leadId = await odoo.create('crm.lead', {
        name: `${marker} محمد عبدالله القحطاني`, contact_name: 'محمد عبدالله القحطاني', email_from: `${marker}@example.com`,
        phone: '+966551234567', type: 'opportunity', description: '<p>ميزانية: 10,000 - 50,000 ريال</p>',
      });
      leadIds.push(leadId);
      t.ok(Number.isInteger(leadId) && leadId > 0, 'an id');
      const [lead] = await odoo.read<Record<string, unknown>>('crm.lead', [leadId], ['name', 'contact_name', 'type', 'description', 'user_id', 'stage_id', 'partner_id']);
      t.equal(lead?.['name'], `${marker} محمد عبدالله القحطاني`);
      t.equal(lead?.['contact_name'], 'محمد عبدالله القحطاني');
      t.equal(lead?.['type'], 'opportunity');
      t.equal(lead?.['description'], '<p>ميزانية: 10,000 - 50,000 ريال</p>');
      t.equal(lead?.['partner_id'], false, 'no contact is created or linked');
      const user = lead?.['user_id'] as [number, string];
      t.ok(Array.isArray(user) && user[0] === caps.uid && typeof user[1] === 'string', 'many2one reads back as [id, display name]; defaults to the API user');
      t.ok(Array.isArray(lead?.['stage_id']), 'a stage is set');
    });

    await t.test('a lead created without type is a lead only with the Leads setting; plain-text description is wrapped in <p>', async (t) => {
      const id = await odoo.create('crm.lead', { name: `${marker} default type`, description: 'سطر واحد' });
      leadIds.push(id);
      const [lead] = await odoo.read<Record<string, unknown>>('crm.lead', [id], ['type', 'description']);
      t.equal(lead?.['type'], caps.leadsEnabled ? 'lead' : 'opportunity', `the Leads setting is ${caps.leadsEnabled ? 'on' : 'off'} for the API user`);
      t.equal(lead?.['description'], '<p>سطر واحد</p>');
    });

    let manyIds: number[] = [];
    await t.test('creates many leads in one call, ids in input order', async (t) => {
      const before = target.standIn?.calls.count('crm.lead', 'create');
      manyIds = await odoo.createMany('crm.lead', [
        { name: `${marker} سارة خالد`, email_from: `sara.${marker}@example.com`, type: 'lead', priority: '2' },
        { name: `${marker} Layla Hassan`, email_from: `LAYLA.${marker}@Example.ae`, type: 'lead', priority: '1' },
        { name: `${marker} أحمد علي`, phone: '+201001234567', type: 'opportunity', priority: '0' },
      ]);
      leadIds.push(...manyIds);
      t.equal(manyIds.length, 3);
      t.ok(manyIds.every((id, i) => i === 0 || id > (manyIds[i - 1] as number)), 'ascending ids in input order');
      if (target.standIn && before !== undefined) t.equal(target.standIn.calls.count('crm.lead', 'create') - before, 1, 'one call');
      const rows = await odoo.read<{ id: number; name: string }>('crm.lead', manyIds, ['name']);
      t.same(rows.map((r) => r.name), [`${marker} سارة خالد`, `${marker} Layla Hassan`, `${marker} أحمد علي`]);
    });

    await t.test('search_read honours domains, fields, order, limit and offset', async (t) => {
      const mine: [string, string, unknown] = ['name', 'ilike', marker];
      const all = await odoo.searchRead<{ id: number; name: string }>('crm.lead', [mine], { fields: ['name'], order: 'id asc' });
      t.same(all.map((r) => r.id), [...leadIds].sort((a, b) => a - b), 'ilike on the marker finds exactly ours');
      t.same(Object.keys(all[0] ?? {}).sort(), ['id', 'name'], 'only the asked fields (plus id)');
      const byEmail = await odoo.searchRead<{ id: number }>('crm.lead', [['email_from', '=ilike', `layla.${marker}@example.ae`]], { fields: ['id'] });
      t.same(byEmail.map((r) => r.id), [manyIds[1]], '=ilike is a case-insensitive exact match');
      const wildcard = await odoo.searchRead<{ id: number }>('crm.lead', [['email_from', '=ilike', `layla_${marker}@example.ae`]], { fields: ['id'] });
      t.same(wildcard.map((r) => r.id), [manyIds[1]], "=ilike's `_` matches any one character, as in SQL");
      const literal = await odoo.searchRead<{ id: number }>('crm.lead', [['email_from', '=ilike', `layla\\_${marker}@example.ae`]], { fields: ['id'] });
      t.same(literal, [], 'a backslash makes `_` match only itself');
      const escaped = await odoo.searchRead<{ id: number }>('crm.lead', [['email_from', '=ilike', `layla\\.${marker}@example.ae`]], { fields: ['id'] });
      t.same(escaped.map((r) => r.id), [manyIds[1]], 'an escaped character matches itself');
      const orDomain = await odoo.searchRead<{ id: number }>('crm.lead', [mine, '|', ['phone', '=', '+201001234567'], ['email_from', 'ilike', `sara.${marker}`]], { fields: ['id'], order: 'id asc' });
      t.same(orDomain.map((r) => r.id), [manyIds[0], manyIds[2]], "prefix '|' inside an implicit '&'");
      const notLead = await odoo.searchRead<{ id: number }>('crm.lead', [mine, '!', ['type', '=', 'lead']], { fields: ['id'], order: 'id asc' });
      t.same(notLead.map((r) => r.id), [leadId, leadIds[1], manyIds[2]], "'!' negates");
      const inIds = await odoo.searchRead<{ id: number }>('crm.lead', [['id', 'in', manyIds], ['priority', 'not in', ['0']]], { fields: ['id'], order: 'id desc' });
      t.same(inIds.map((r) => r.id), [manyIds[1], manyIds[0]], 'in / not in, order desc');
      const ranged = await odoo.searchRead<{ id: number }>('crm.lead', [mine, ['id', '>=', manyIds[0]], ['id', '<', manyIds[2]]], { fields: ['id'], order: 'id asc' });
      t.same(ranged.map((r) => r.id), [manyIds[0], manyIds[1]], '>= and <');
      const paged = await odoo.searchRead<{ id: number }>('crm.lead', [mine], { fields: ['id'], order: 'id asc', limit: 2, offset: 1 });
      t.same(paged.map((r) => r.id), [...leadIds].sort((a, b) => a - b).slice(1, 3), 'limit and offset');
      t.equal(await odoo.searchCount('crm.lead', [mine, ['type', '=', 'lead']]), 2, 'search_count');
      const neq = await odoo.searchRead<{ id: number }>('crm.lead', [mine, ['phone', '!=', '+201001234567']], { fields: ['id'] });
      t.equal(neq.length, leadIds.length - 1, "'!=' includes leads without a phone");
    });

    await t.test('probability: unset without scoring history, and the hub\'s "not won" domain finds the lead either way', async (t) => {
      const id = await odoo.create('crm.lead', { name: `${marker} probability`, type: 'lead' });
      leadIds.push(id);
      const mine: [string, string, unknown] = ['id', '=', id];
      const unset = (await odoo.searchCount('crm.lead', [mine, ['probability', '=', false]])) === 1;
      t.comment(unset ? 'probability is NULL: this database has no scoring history' : 'probability is set: this database has scoring history');
      const [lead] = await odoo.read<{ probability: unknown }>('crm.lead', [id], ['probability']);
      if (unset) {
        t.equal(lead?.probability, 0, 'an unset probability reads as 0');
        t.equal(await odoo.searchCount('crm.lead', [mine, ['probability', '<', 100]]), 0, "'<' skips an unset probability (SQL NULL)");
      } else t.ok(typeof lead?.probability === 'number' && lead.probability < 100, 'a computed probability below 100');
      t.equal(await odoo.searchCount('crm.lead', [mine, ['probability', '!=', 100]]), 1, "'!=' matches it, set or not");
    });

    await t.test('write updates values, tags by command lists, and archived leads need active_test false', async (t) => {
      const tagA = await odoo.refs.tag(`${marker}-hot`);
      const tagB = await odoo.refs.tag(`${marker}-meta`);
      t.equal(await odoo.write('crm.lead', [leadId], { priority: '3', tag_ids: [[6, 0, [tagA]]] }), true);
      await odoo.write('crm.lead', [leadId], { tag_ids: [[4, tagB, 0]] });
      let [lead] = await odoo.read<{ priority: string; tag_ids: number[] }>('crm.lead', [leadId], ['priority', 'tag_ids']);
      t.equal(lead?.priority, '3');
      t.same([...(lead?.tag_ids ?? [])].sort((a, b) => a - b), [tagA, tagB].sort((a, b) => a - b), '(6,0,ids) then (4,id)');
      await odoo.write('crm.lead', [leadId], { tag_ids: [[3, tagA, 0]] });
      [lead] = await odoo.read<{ priority: string; tag_ids: number[] }>('crm.lead', [leadId], ['tag_ids']);
      t.same(lead?.tag_ids, [tagB], '(3,id) unlinks');
      const found = await odoo.searchRead<{ id: number }>('crm.lead', [['tag_ids', 'in', [tagB]]], { fields: ['id'] });
      t.same(found.map((r) => r.id), [leadId], 'x2many domain by id');
      await odoo.write('crm.lead', [manyIds[2] as number], { active: false });
      t.equal(await odoo.searchCount('crm.lead', [['id', '=', manyIds[2]]]), 0, 'archived lead hidden by default');
      t.equal(await odoo.searchCount('crm.lead', [['id', '=', manyIds[2]]], { context: { active_test: false } }), 1, 'found with active_test false');
      await odoo.executeKw('crm.tag', 'unlink', [[tagA, tagB]]);
    });

    await t.test('internal notes: text through message_post, HTML in one call for several leads, stored alike', async (t) => {
      const textId = await odoo.messagePost('crm.lead', leadId, 'Lead score 86/100: +30 budget <b>high</b>');
      const htmlId = await odoo.messagePost('crm.lead', leadId, '<p>النتيجة <b>86</b></p>', { html: true });
      const [firstId, secondId] = await odoo.logNotes('crm.lead', [
        { resId: manyIds[0] as number, html: '<p><b>New lead from</b> Meta</p><ul><li>Email: x</li></ul><p>Ref: [meta:1]</p>' },
        { resId: manyIds[1] as number, html: '<p>ملاحظة <i>ثانية</i></p>', recordName: `${marker} Layla Hassan` },
      ]);
      type Msg = { id: number; body: string; message_type: string; subtype_id: [number, string]; model: string; res_id: number; author_id: [number, string] | false; record_name: string | false; email_from: string | false; reply_to: string | false };
      const fields = ['body', 'message_type', 'subtype_id', 'model', 'res_id', 'author_id', 'record_name', 'email_from', 'reply_to'];
      const msgs = await odoo.searchRead<Msg>('mail.message', [['id', 'in', [textId, htmlId, firstId, secondId]]], { fields, order: 'id asc' });
      t.equal(msgs.length, 4);
      const [text, html, first, second] = msgs as [Msg, Msg, Msg, Msg];
      t.equal(text.body, '<p>Lead score 86/100: +30 budget &lt;b&gt;high&lt;/b&gt;</p>', 'a text body is escaped');
      t.equal(html.body, '<p>النتيجة <b>86</b></p>', 'an html body is kept');
      t.equal(first.body, '<p><b>New lead from</b> Meta</p><ul><li>Email: x</li></ul><p>Ref: [meta:1]</p>', 'lists and bold survive');
      t.same([first.res_id, second.res_id], [manyIds[0], manyIds[1]], 'each note on its own lead, ids in input order');
      for (const m of msgs) {
        t.equal(m.model, 'crm.lead');
        t.equal(m.message_type, 'comment');
        t.equal(m.subtype_id[1], 'Note', 'internal note subtype');
        t.same(m.author_id, text.author_id, 'authored by the API user, as message_post does');
        t.equal(m.email_from, text.email_from, 'from the API user\'s address, as message_post does');
        t.ok(m.reply_to, 'a reply-to address');
        t.ok(typeof m.record_name === 'string' && m.record_name.includes(marker), 'names its lead');
      }
      const found = await odoo.searchCount('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', manyIds[0]], ['body', 'ilike', '[meta:1]']]);
      t.equal(found, 1, 'a note is found by its marker');
    });

    await t.test('a lead created with its note (message_ids) holds the note as logNotes posts it, in one call', async (t) => {
      const name = `${marker} with note`;
      const [id] = await odoo.createMany('crm.lead', [{ name, type: 'lead', message_ids: [[0, 0, await odoo.noteValues('crm.lead', '<p><b>New lead</b></p><p>Ref: [meta:2]</p>', name)]] }]);
      leadIds.push(id as number);
      const [posted] = await odoo.logNotes('crm.lead', [{ resId: id as number, html: '<p>second</p>', recordName: name }]);
      type Msg = { id: number; body: string; model: string; res_id: number; message_type: string; subtype_id: [number, string]; author_id: [number, string]; email_from: string; record_name: string };
      const fields = ['body', 'model', 'res_id', 'message_type', 'subtype_id', 'author_id', 'email_from', 'record_name'];
      const notes = await odoo.searchRead<Msg>('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', id], ['message_type', '=', 'comment']], { fields, order: 'id asc' });
      t.equal(notes.length, 2, 'the inline note and the later one');
      const [inline, later] = notes as [Msg, Msg];
      t.equal(inline.body, '<p><b>New lead</b></p><p>Ref: [meta:2]</p>');
      t.equal(later.id, posted);
      for (const key of ['model', 'res_id', 'message_type', 'subtype_id', 'author_id', 'email_from', 'record_name'] as const) t.same(inline[key], later[key], `${key} as logNotes sets it`);
    });

    await t.test('the addon\'s gassistant_create_leads: the leads in input order, with the chatter create gives them', async (t) => {
      if (caps.addonApi < 2) {
        t.equal(caps.addonApi, caps.hasAddon ? 1 : 0, 'an addon before 17.0.1.2 offers its fields only');
        await t.rejects(odoo.executeKw('crm.lead', 'gassistant_create_leads', [], { vals_list: [] }), OdooFaultError, 'and the call does not exist');
        return;
      }
      const lead = async (name: string, ref: string) => ({ name, type: 'lead', gassistant_ref: ref, message_ids: [[0, 0, await odoo.noteValues('crm.lead', `<p>New lead [${ref}]</p>`, name)]] });
      const ids = await odoo.executeKw<number[]>('crm.lead', 'gassistant_create_leads', [], {
        vals_list: [await lead(`${marker} بالإضافة 1`, `${marker}:a1`), await lead(`${marker} addon 2`, `${marker}:a2`)],
      });
      const [plain] = await odoo.createMany('crm.lead', [await lead(`${marker} plain`, `${marker}:p`)]);
      leadIds.push(...ids, plain as number);
      const refs = await odoo.read<{ id: number; gassistant_ref: string }>('crm.lead', ids, ['gassistant_ref']);
      t.same(refs.map((r) => r.gassistant_ref), [`${marker}:a1`, `${marker}:a2`], 'ids in input order');
      type Msg = { res_id: number; body: string; message_type: string; subtype_id: [number, string] | false; author_id: [number, string] };
      const chatter = async (id: number) => (await odoo.searchRead<Msg>('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', id]], { fields: ['body', 'message_type', 'subtype_id', 'author_id'], order: 'id asc' }))
        .map((m) => ({ kind: m.message_type, subtype: m.subtype_id && m.subtype_id[1], author: m.author_id[0], hubNote: m.body.includes('New lead [') }));
      const expected = await chatter(plain as number);
      t.ok(expected.some((m) => m.hubNote), 'the note travels with the lead');
      for (const id of ids) t.same(await chatter(id), expected, `lead ${id}: the same messages as a plain create`);
    });

    await t.test('ping answers while Odoo is reachable', async (t) => {
      await t.resolves(odoo.ping());
    });

    await t.test('creates a follow-up activity on the lead', async (t) => {
      const activityId = await odoo.createActivity({ model: 'crm.lead', resId: leadId, summary: 'اتصل بالعميل', note: '<p>no reply in 24 h</p>', dateDeadline: '2026-01-09', userId: caps.uid });
      const [a] = await odoo.read<Record<string, unknown>>('mail.activity', [activityId], ['res_model', 'res_id', 'activity_type_id', 'summary', 'date_deadline', 'user_id', 'note']);
      t.equal(a?.['res_model'], 'crm.lead');
      t.equal(a?.['res_id'], leadId);
      t.equal(a?.['summary'], 'اتصل بالعميل');
      t.equal(a?.['date_deadline'], '2026-01-09');
      t.same((a?.['activity_type_id'] as [number, string])[0], await odoo.refs.activityTypeTodo(), 'To-Do by default');
      t.equal((a?.['user_id'] as [number, string])[0], caps.uid);
      const [lead] = await odoo.read<{ activity_ids: number[] }>('crm.lead', [leadId], ['activity_ids']);
      t.ok(lead?.activity_ids.includes(activityId), 'the lead lists the activity');
    });

    await t.test('faults: bad field, missing record, required field', async (t) => {
      const bad = await odoo.create('crm.lead', { name: `${marker} bad`, x_meta_leadgen_id: '2100000000000001' }).catch((e: unknown) => e);
      t.type(bad, OdooFaultError);
      t.match((bad as OdooFaultError).message, /Invalid field 'x_meta_leadgen_id' on model 'crm\.lead'/);
      t.notMatch((bad as OdooFaultError).message, /Traceback/, 'the traceback stays out of the message');
      t.match((bad as OdooFaultError).traceback ?? '', /^Traceback \(most recent call last\)/, 'and is kept for the log');
      t.equal((bad as OdooFaultError).retryable, false);
      const missing = await odoo.write('crm.lead', [2_000_000_000], { name: 'x' }).catch((e: unknown) => e);
      t.type(missing, OdooMissingRecordError);
      t.match((missing as Error).message, /^Record does not exist or has been deleted\./);
      const required = await odoo.create('crm.lead', { email_from: `${marker}@example.com` }).catch((e: unknown) => e);
      t.type(required, OdooValidationError);
      t.match((required as Error).message, /mandatory field is not set/);
      const badDomain = await odoo.searchRead('crm.lead', [['x_nope', '=', 1]]).catch((e: unknown) => e);
      t.type(badDomain, OdooFaultError);
      t.match((badDomain as Error).message, /Invalid field crm\.lead\.x_nope/);
      const check = await odoo.create('crm.lead', { name: `${marker} p`, probability: 150 }).catch((e: unknown) => e);
      t.type(check, OdooValidationError, 'an SQL check constraint is a validation error');
    });

    await t.test('the external reference: unique with the addon, an unknown field without it', async (t) => {
      const ref = `${marker}:ref`;
      if (!caps.hasAddon) {
        const unknown = await odoo.create('crm.lead', { name: `${marker} ref`, gassistant_ref: ref }).catch((e: unknown) => e);
        t.type(unknown, OdooFaultError, 'without the addon the field does not exist');
        return;
      }
      leadIds.push(await odoo.create('crm.lead', { name: `${marker} ref`, gassistant_ref: ref }));
      const second = await odoo.create('crm.lead', { name: `${marker} ref again`, gassistant_ref: ref }).catch((e: unknown) => e);
      t.type(second, OdooValidationError, 'a second lead with the same reference is refused');
      t.equal((second as OdooValidationError).retryable, false);
      t.match((second as Error).message, /Another lead already has this G-Assistant reference/);
      t.equal(await odoo.searchCount('crm.lead', [['gassistant_ref', '=', ref]]), 1, 'one lead holds it');
    });

    await t.test('utm find-or-create returns the same id, also when two clients race', async (t) => {
      const name = `${marker}-src`;
      const other = createOdooClient(target.options);
      t.teardown(() => other.close());
      const [a, b] = await Promise.all([odoo.refs.utmSource(name), other.refs.utmSource(name)]);
      t.equal(a, b, 'both replicas converge on one record');
      t.equal(await odoo.refs.utmSource(name), a, 'cached');
      const rows = await odoo.searchRead<{ id: number; name: string }>('utm.source', [['name', '=like', `${name}%`]], { fields: ['name'], order: 'id asc' });
      t.equal(rows[0]?.id, a, 'the oldest record of that name wins');
      const medium = await odoo.refs.utmMedium(`${marker}-medium`);
      const campaign = await odoo.refs.utmCampaign(`${marker} حملة رمضان`);
      const existing = await odoo.refs.utmSource('Facebook');
      t.ok(medium > 0 && campaign > 0 && existing > 0);
      const [again] = await odoo.searchRead<{ id: number }>('utm.source', [['name', '=', 'Facebook']], { fields: ['id'], limit: 1, order: 'id asc' });
      t.equal(existing, again?.id, 'an existing source is found, not duplicated');
      await odoo.write('crm.lead', [leadId], { source_id: a, medium_id: medium, campaign_id: campaign });
      const [lead] = await odoo.read<{ source_id: [number, string]; campaign_id: [number, string] }>('crm.lead', [leadId], ['source_id', 'campaign_id']);
      t.same(lead?.source_id, [a, name]);
      t.same(lead?.campaign_id, [campaign, `${marker} حملة رمضان`]);
      await odoo.executeKw('crm.lead', 'write', [[leadId], { source_id: false, medium_id: false, campaign_id: false }]);
      const ours = rows.map((r) => r.id);
      await odoo.executeKw('utm.source', 'unlink', [ours]).catch(() => undefined);
      await odoo.executeKw('utm.medium', 'unlink', [[medium]]).catch(() => undefined);
      await odoo.executeKw('utm.campaign', 'unlink', [[campaign]]).catch(() => undefined);
    });

    await t.test('stage and model look-ups', async (t) => {
      const stage = await odoo.refs.stageByName('New');
      t.ok(typeof stage === 'number' && stage > 0, 'New stage exists in a fresh database');
      t.equal(await odoo.refs.stageByName(`${marker}-no-such-stage`), undefined);
      t.ok((await odoo.refs.modelId('crm.lead')) > 0);
    });
  });
}
