/**
 * Model and field definitions of the Odoo stand-in: the models the hub uses, with the field types, defaults,
 * required flags, default orders and SQL-style constraints of a fresh Odoo 17.0 database. crm.lead's fields
 * are a copy of a real 17.0 fields_get. Data only; the behaviour lives in store.ts.
 */
import crmLeadFields17 from './data/crm-lead-fields-17.0.json' with { type: 'json' };

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'selection' | 'date' | 'datetime'
  | 'many2one' | 'one2many' | 'many2many' | 'many2one_reference' | 'binary' | 'json' | 'properties' | 'properties_definition' | 'reference';

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: field on the comodel pointing back. */
  inverse?: string;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  selection?: [string, string][];
}

export interface Env {
  uid: number;
  context: Record<string, unknown>;
  now: () => Date;
}

export interface ModelDef {
  name: string;
  description: string;
  fields: Record<string, FieldDef>;
  /** Field used for display_name. */
  recName: string;
  order: string;
  defaults?: (env: Env, store: StoreLike) => Record<string, unknown>;
  /** Unique (when set) fields, or comma-joined field tuples: [fields, message shown after "The operation cannot be completed: "]. */
  unique?: [string, string][];
  /** Odoo 16+ utm models rename a duplicate name to "name [2]" instead of failing. */
  uniqueNameRename?: boolean;
  /** SQL CHECK constraints: [predicate on the row, message]. */
  checks?: [(row: Record<string, unknown>) => boolean, string][];
  mailThread?: boolean;
}

export interface StoreLike {
  search(model: string, domain: unknown[], env: Env, opts?: { limit?: number; order?: string }): number[];
  /** `module.name` of a res.groups xml id. */
  userHasGroup(uid: number, groupXmlId: string): boolean;
  /** The user's res.partner id (a message's default author). */
  userPartner(uid: number): number | false;
}

export interface SchemaOptions {
  addonInstalled: boolean;
  major: number;
  minor: number;
  /** Predictive lead scoring has won/lost history (crm_lead_scoring_frequency has rows). */
  scoringHistory: boolean;
}

/** What a real 17.0 computed for a new API lead once its scoring had some won/lost history (a lab database). */
export const SCORED_PROBABILITY = 55.43;

/** crm.group_use_lead: the CRM "Leads" setting (implied for internal users when switched on). */
export const GROUP_USE_LEAD = 'crm.group_use_lead';

const f = (type: FieldType, string: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type, string, store: true, ...extra });
const m2o = (relation: string, string: string, extra: Partial<FieldDef> = {}): FieldDef => f('many2one', string, { relation, ...extra });

const COMMON: Record<string, FieldDef> = {
  id: f('integer', 'ID', { readonly: true }),
  display_name: f('char', 'Display Name', { readonly: true, store: false }),
  create_date: f('datetime', 'Created on', { readonly: true }),
  write_date: f('datetime', 'Last Updated on', { readonly: true }),
  create_uid: m2o('res.users', 'Created by', { readonly: true }),
  write_uid: m2o('res.users', 'Last Updated by', { readonly: true }),
};

function model(def: Omit<ModelDef, 'fields'> & { fields: Record<string, FieldDef> }): ModelDef {
  return { ...def, fields: { ...COMMON, ...def.fields } };
}

const today = (env: Env): string => env.now().toISOString().slice(0, 10);

export function buildSchema(opts: SchemaOptions): Map<string, ModelDef> {
  const hasMobile = opts.major < 18 || (opts.major === 18 && opts.minor < 2);
  const leadFields: Record<string, FieldDef> = {};
  for (const [name, raw] of Object.entries(crmLeadFields17 as unknown as Record<string, FieldDef>)) {
    if (name === 'mobile' && !hasMobile) continue;
    leadFields[name] = { ...raw };
  }
  leadFields['message_ids'] = { ...(leadFields['message_ids'] as FieldDef), inverse: 'res_id' };
  leadFields['activity_ids'] = { ...(leadFields['activity_ids'] as FieldDef), inverse: 'res_id' };
  if (opts.addonInstalled) {
    leadFields['gassistant_ref'] = f('char', 'G-Assistant Reference');
    leadFields['gassistant_score'] = f('integer', 'G-Assistant Score');
    leadFields['gassistant_score_breakdown'] = f('text', 'G-Assistant Score Breakdown');
    leadFields['gassistant_flags'] = f('char', 'G-Assistant Flags');
  }

  const defs: ModelDef[] = [
    {
      name: 'crm.lead', description: 'Lead/Opportunity', recName: 'name', order: 'priority desc, id desc', mailThread: true,
      fields: { ...COMMON, ...leadFields },
      checks: [[(r) => typeof r['probability'] !== 'number' || (r['probability'] >= 0 && r['probability'] <= 100), 'The probability of closing the deal should be between 0% and 100%!']],
      unique: opts.addonInstalled ? [['gassistant_ref', 'Another lead already has this G-Assistant reference.']] : [],
      defaults: (env, store) => ({
        // 17.0: 'opportunity' unless the calling user has the "Leads" setting's group (off in a new database).
        type: store.userHasGroup(env.uid, GROUP_USE_LEAD) ? 'lead' : 'opportunity',
        active: true, priority: '0', user_id: env.uid, company_id: 1,
        // Predictive scoring sets nothing until it has won/lost history: the columns stay NULL (read as 0,
        // yet SQL `probability < 100` skips it), as on every new 17.0 database. With history, the computed
        // automated_probability (never exactly 0 for a lead in a stage) is also the probability.
        ...(opts.scoringHistory ? { probability: SCORED_PROBABILITY, automated_probability: SCORED_PROBABILITY } : {}),
        team_id: store.search('crm.team', [], env, { limit: 1 })[0] ?? false,
        stage_id: store.search('crm.stage', [['fold', '=', false]], env, { limit: 1, order: 'sequence, id' })[0] ?? false,
      }),
    },
    model({
      name: 'res.partner', description: 'Contact', recName: 'name', order: 'complete_name asc, id desc', mailThread: true,
      fields: {
        name: f('char', 'Name'), complete_name: f('char', 'Complete Name'), email: f('char', 'Email'), phone: f('char', 'Phone'),
        ...(hasMobile ? { mobile: f('char', 'Mobile') } : {}),
        active: f('boolean', 'Active'), is_company: f('boolean', 'Is a Company'), company_name: f('char', 'Company Name'),
        street: f('char', 'Street'), city: f('char', 'City'), zip: f('char', 'Zip'), country_id: m2o('res.country', 'Country'),
        lang: f('char', 'Language'), comment: f('html', 'Notes'), user_id: m2o('res.users', 'Salesperson'), website: f('char', 'Website'),
        parent_id: m2o('res.partner', 'Related Company'), company_id: m2o('res.company', 'Company'),
        user_ids: f('one2many', 'Users', { relation: 'res.users', inverse: 'partner_id' }),
        email_formatted: f('char', 'Formatted Email', { readonly: true, store: false }),
        email_normalized: f('char', 'Normalized Email', { readonly: true }),
      },
      defaults: () => ({ active: true, is_company: false }),
    }),
    model({ name: 'res.company', description: 'Companies', recName: 'name', order: 'sequence, name', fields: { name: f('char', 'Company Name', { required: true }), sequence: f('integer', 'Sequence'), resource_calendar_id: m2o('resource.calendar', 'Default Working Hours') } }),
    model({ name: 'res.country', description: 'Country', recName: 'name', order: 'name', fields: { name: f('char', 'Country Name', { required: true }), code: f('char', 'Country Code'), phone_code: f('integer', 'Country Calling Code') } }),
    model({ name: 'res.lang', description: 'Languages', recName: 'name', order: 'active desc, name', fields: { name: f('char', 'Name', { required: true }), code: f('char', 'Locale Code', { required: true }), active: f('boolean', 'Active') } }),
    model({
      name: 'res.users', description: 'User', recName: 'name', order: 'name, login',
      fields: {
        name: f('char', 'Name', { required: true }), login: f('char', 'Login', { required: true }), email: f('char', 'Email'),
        partner_id: m2o('res.partner', 'Related Partner', { required: true }), active: f('boolean', 'Active'),
        company_id: m2o('res.company', 'Company'), share: f('boolean', 'Share User'),
        groups_id: f('many2many', 'Groups', { relation: 'res.groups' }),
        // Presence (bus) or time off (hr_holidays: leave_online, leave_away, …); computed in Odoo, set by seed here.
        im_status: f('char', 'IM Status', { readonly: true, store: false }),
      },
      unique: [['login', 'You can not have two users with the same login!']],
      defaults: () => ({ active: true, company_id: 1, share: false, im_status: 'offline' }),
    }),
    model({ name: 'res.groups', description: 'Access Groups', recName: 'name', order: 'name', fields: { name: f('char', 'Name', { required: true }) } }),
    model({ name: 'utm.source', description: 'UTM Source', recName: 'name', order: 'id', uniqueNameRename: true, fields: { name: f('char', 'Source Name', { required: true }) } }),
    model({ name: 'utm.medium', description: 'UTM Medium', recName: 'name', order: 'name', uniqueNameRename: true, fields: { name: f('char', 'Medium Name', { required: true }), active: f('boolean', 'Active') }, defaults: () => ({ active: true }) }),
    model({
      name: 'utm.campaign', description: 'UTM Campaign', recName: 'name', order: 'id', uniqueNameRename: true,
      fields: { name: f('char', 'Campaign Identifier', { required: true }), title: f('char', 'Campaign Name'), active: f('boolean', 'Active'), user_id: m2o('res.users', 'Responsible') },
      defaults: (env) => ({ active: true, user_id: env.uid }),
    }),
    model({ name: 'crm.tag', description: 'CRM Tag', recName: 'name', order: 'name', fields: { name: f('char', 'Tag Name', { required: true }), color: f('integer', 'Color') }, unique: [['name', 'Tag name already exists!']] }),
    model({
      name: 'crm.stage', description: 'CRM Stages', recName: 'name', order: 'sequence, name, id',
      fields: { name: f('char', 'Stage Name', { required: true }), sequence: f('integer', 'Sequence'), fold: f('boolean', 'Folded in Pipeline'), is_won: f('boolean', 'Is Won Stage?'), team_id: m2o('crm.team', 'Sales Team') },
      defaults: () => ({ sequence: 1, fold: false, is_won: false }),
    }),
    model({
      name: 'crm.team', description: 'Sales Team', recName: 'name', order: 'sequence ASC, create_date DESC, id DESC',
      fields: { name: f('char', 'Sales Team', { required: true }), sequence: f('integer', 'Sequence'), active: f('boolean', 'Active'), user_id: m2o('res.users', 'Team Leader'), member_ids: f('many2many', 'Salespersons', { relation: 'res.users' }), company_id: m2o('res.company', 'Company') },
      defaults: () => ({ active: true, sequence: 10 }),
    }),
    model({
      name: 'mail.activity.type', description: 'Activity Type', recName: 'name', order: 'sequence, id',
      fields: { name: f('char', 'Name', { required: true }), sequence: f('integer', 'Sequence'), category: f('selection', 'Action', { selection: [['default', 'None'], ['upload_file', 'Upload Document'], ['phonecall', 'Phonecall']] }), res_model: f('char', 'Model'), active: f('boolean', 'Active'), delay_count: f('integer', 'Schedule') },
      defaults: () => ({ active: true, category: 'default', sequence: 10 }),
    }),
    model({
      name: 'mail.activity', description: 'Activity', recName: 'summary', order: 'date_deadline ASC, id ASC',
      fields: {
        res_model_id: m2o('ir.model', 'Document Model', { required: true }), res_model: f('char', 'Related Document Model', { readonly: true }),
        res_id: f('many2one_reference', 'Related Document ID', { required: true }), res_name: f('char', 'Document Name', { readonly: true }),
        activity_type_id: m2o('mail.activity.type', 'Activity Type'), summary: f('char', 'Summary'), note: f('html', 'Note'),
        date_deadline: f('date', 'Due Date', { required: true }), user_id: m2o('res.users', 'Assigned to'), automated: f('boolean', 'Automated activity'),
      },
      defaults: (env) => ({ date_deadline: today(env), user_id: env.uid, automated: false }),
    }),
    model({
      name: 'mail.message', description: 'Message', recName: 'record_name', order: 'id desc',
      fields: {
        model: f('char', 'Related Document Model'), res_id: f('many2one_reference', 'Related Document ID'), record_name: f('char', 'Message Record Name'),
        body: f('html', 'Contents'), subject: f('char', 'Subject'),
        message_type: f('selection', 'Type', { selection: [['email', 'Incoming Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']] }),
        subtype_id: m2o('mail.message.subtype', 'Subtype'), author_id: m2o('res.partner', 'Author'), date: f('datetime', 'Date'),
        email_from: f('char', 'From'), reply_to: f('char', 'Reply-To'),
      },
      defaults: (env, store) => ({ message_type: 'comment', author_id: store.userPartner(env.uid), date: env.now().toISOString().slice(0, 19).replace('T', ' ') }),
    }),
    model({ name: 'mail.message.subtype', description: 'Message subtypes', recName: 'name', order: 'sequence, id', fields: { name: f('char', 'Message Type', { required: true }), internal: f('boolean', 'Internal Only'), sequence: f('integer', 'Sequence') } }),
    // System parameters (Settings › Technical): where the hub keeps the Meta reconciliation checkpoints.
    model({ name: 'ir.config_parameter', description: 'System Parameter', recName: 'key', order: 'key', unique: [['key', 'Key must be unique.']], fields: { key: f('char', 'Key', { required: true }), value: f('text', 'Value', { required: true }) } }),
    model({ name: 'ir.model', description: 'Models', recName: 'name', order: 'model', fields: { name: f('char', 'Model Description', { required: true }), model: f('char', 'Model', { required: true }) } }),
    model({
      name: 'ir.model.data', description: 'Model Data', recName: 'name', order: 'module, model, name',
      fields: { name: f('char', 'External Identifier', { required: true }), module: f('char', 'Module', { required: true }), model: f('char', 'Model Name', { required: true }), res_id: f('many2one_reference', 'Record ID'), noupdate: f('boolean', 'Non Updatable') },
      // A unique index on (module, name), not an SQL constraint: the IntegrityError reaches the caller as fault 2.
      unique: [['module,name', 'duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"']],
      defaults: () => ({ noupdate: false }),
    }),
    model({
      name: 'sale.order', description: 'Sales Order', recName: 'name', order: 'date_order desc, id desc', mailThread: true,
      fields: {
        name: f('char', 'Order Reference', { required: true }), partner_id: m2o('res.partner', 'Customer', { required: true }),
        state: f('selection', 'Status', { selection: [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']] }),
        amount_total: f('monetary', 'Total'), opportunity_id: m2o('crm.lead', 'Opportunity'), user_id: m2o('res.users', 'Salesperson'), team_id: m2o('crm.team', 'Sales Team'),
        validity_date: f('date', 'Expiration'), date_order: f('datetime', 'Order Date'), company_id: m2o('res.company', 'Company'),
      },
      defaults: (env) => ({ state: 'draft', user_id: env.uid, company_id: 1, amount_total: 0, date_order: env.now().toISOString().slice(0, 19).replace('T', ' ') }),
    }),
    // The company's working calendar (resource module, installed with crm's dependencies).
    model({
      name: 'resource.calendar', description: 'Resource Working Time', recName: 'name', order: 'id',
      fields: {
        name: f('char', 'Name', { required: true }), tz: f('char', 'Timezone'), company_id: m2o('res.company', 'Company'), active: f('boolean', 'Active'),
        attendance_ids: f('one2many', 'Working Time', { relation: 'resource.calendar.attendance', inverse: 'calendar_id' }),
        leave_ids: f('one2many', 'Time Off', { relation: 'resource.calendar.leaves', inverse: 'calendar_id' }),
      },
      defaults: () => ({ active: true, tz: 'UTC' }),
    }),
    model({
      name: 'resource.calendar.attendance', description: 'Work Detail', recName: 'name', order: 'week_type, dayofweek, hour_from',
      fields: {
        name: f('char', 'Name', { required: true }), calendar_id: m2o('resource.calendar', "Resource's Calendar", { required: true }),
        dayofweek: f('selection', 'Day of Week', { required: true, selection: [['0', 'Monday'], ['1', 'Tuesday'], ['2', 'Wednesday'], ['3', 'Thursday'], ['4', 'Friday'], ['5', 'Saturday'], ['6', 'Sunday']] }),
        hour_from: f('float', 'Work from', { required: true }), hour_to: f('float', 'Work to', { required: true }),
        day_period: f('selection', 'Day Period', { required: true, selection: [['morning', 'Morning'], ['lunch', 'Break'], ['afternoon', 'Afternoon']] }),
        week_type: f('selection', 'Week Number', { selection: [['1', 'Second'], ['0', 'First']] }),
        display_type: f('selection', 'Display Type', { selection: [['line_section', 'Section']] }),
      },
      defaults: () => ({ day_period: 'morning' }),
    }),
    model({
      name: 'resource.calendar.leaves', description: 'Resource Time Off Detail', recName: 'name', order: 'date_from',
      fields: {
        name: f('char', 'Reason'), company_id: m2o('res.company', 'Company'), calendar_id: m2o('resource.calendar', 'Working Hours'),
        date_from: f('datetime', 'Start Date', { required: true }), date_to: f('datetime', 'End Date', { required: true }),
        resource_id: m2o('resource.resource', 'Resource'), time_type: f('selection', 'Kind of Time Off', { selection: [['leave', 'Time Off'], ['other', 'Other']] }),
      },
      defaults: () => ({ time_type: 'leave', company_id: 1 }),
    }),
  ];
  return new Map(defs.map((d) => [d.name, d]));
}
