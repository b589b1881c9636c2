// Finds the one Odoo lead an enquiry belongs to and creates or updates it, under the person's lock:
//   1. the external reference (gassistant_ref with the addon, unique there; else the hub-owned
//      `referred` field) → the event was handled before: finish what may be missing, change nothing;
//   2. an open lead (active, not won: probability != 100, which also matches an unset one) of the same person (email or E.164 phone) created within
//      the repeat window → fill its empty fields, add REPEAT_ENQUIRY, post "new enquiry from …";
//      for WhatsApp any open lead of the number → the message goes to its chatter;
//   3. otherwise create the lead, linked to a partner with the same email or phone when there is one.
// Every note carries a marker, so a redelivered event never posts twice. Never overwrites a value a
// salesperson entered. Never called without the person's lock (see README "Dedupe").
import type { OdooClient } from '@gassistant/odoo'
import { OdooValidationError } from '@gassistant/odoo'
import type { Flag, LeadDraft } from '../draft.js'
import type { CreateBatcher } from './batcher.js'
import { descriptionHtml, leadTitle, noteHtml, refMarker } from './html.js'

export interface UpsertConfig {
  /** crm.lead `type` to create: 'lead' or 'opportunity' (Odoo 17 defaults to opportunity: always sent). */
  readonly leadType: 'lead' | 'opportunity'
  /** Salesperson of new leads; undefined → none (else Odoo makes the API user the salesperson). */
  readonly userId: number | undefined
  /** How far back an open lead of the same person absorbs a new enquiry. */
  readonly repeatWindowMs: number
}

export interface UpsertDeps {
  readonly odoo: OdooClient
  readonly creates: CreateBatcher
  readonly config: UpsertConfig
  readonly now: () => Date
  readonly countryId: (code: string) => Promise<number | undefined>
}

export interface UpsertResult {
  readonly outcome: 'created' | 'updated' | 'merged'
  readonly leadId: number
  readonly partnerId: number | undefined
  readonly flags: Flag[]
  /** The lead as it now is in Odoo (after our write), for lead.synced.v1. */
  readonly lead: Readonly<Record<string, unknown>>
  /** True when nothing was written because this event had been handled already. */
  readonly replay: boolean
}

type Row = Record<string, unknown> & { id: number }

const READ_FIELDS = [
  'name', 'contact_name', 'email_from', 'phone', 'partner_id', 'user_id', 'team_id', 'city', 'partner_name',
  'function', 'street', 'zip', 'website', 'country_id', 'source_id', 'medium_id', 'campaign_id', 'description',
  'tag_ids', 'probability', 'active', 'type', 'referred', 'gassistant_ref', 'gassistant_flags', 'create_date',
]

const isEmpty = (v: unknown): boolean => v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
const m2oId = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined)
/** `=ilike` hands its value to SQL ILIKE as a pattern: `_` and `%` (common in emails) must match themselves. */
const ilikeLiteral = (value: string): string => value.replace(/[\\%_]/g, '\\$&')
const odooDate = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ')

function refField(odoo: OdooClient): 'gassistant_ref' | 'referred' {
  return odoo.capabilities.hasAddon ? 'gassistant_ref' : 'referred'
}

/** Lock keys of an enquiry: its reference and every identity it carries. Test leads: the reference only. */
export function personKeys(draft: LeadDraft): string[] {
  const keys = [`ref:${draft.externalRef}`]
  if (draft.isTestLead) return keys
  if (draft.email) keys.push(`email:${draft.email}`)
  if (draft.phone) keys.push(`phone:${draft.phone}`)
  return keys
}

function personDomain(draft: LeadDraft, fields: ReadonlySet<string>): unknown[] | undefined {
  const leaves: unknown[][] = []
  if (draft.email) leaves.push(['email_from', '=ilike', ilikeLiteral(draft.email)])
  if (draft.phone) {
    leaves.push(['phone', '=', draft.phone])
    // Leads typed by people hold formatted numbers; Odoo keeps an E.164 copy in phone_sanitized.
    if (fields.has('phone_sanitized')) leaves.push(['phone_sanitized', '=', draft.phone])
  }
  if (leaves.length === 0) return undefined
  return [...Array<string>(leaves.length - 1).fill('|'), ...leaves]
}

export async function upsertLead(draft: LeadDraft, flags: readonly Flag[], deps: UpsertDeps): Promise<UpsertResult> {
  const { odoo, config } = deps
  const caps = odoo.capabilities
  const ref = refField(odoo)
  const readFields = READ_FIELDS.filter((f) => caps.leadFields.has(f))
  const person = draft.isTestLead ? undefined : personDomain(draft, caps.leadFields)
  // WhatsApp: any open lead of the number takes the message; forms and ads: within the repeat window.
  // Not won. `!=` is NULL-safe in Odoo's SQL (`probability != 100 OR probability IS NULL`); `<` is not, and
  // a new database's predictive scoring leaves probability NULL on API-created leads (see README "Dedupe").
  const open: unknown[] = [['active', '=', true], ['probability', '!=', 100]]
  if (draft.channel !== 'whatsapp') open.push(['create_date', '>=', odooDate(new Date(deps.now().getTime() - config.repeatWindowMs))])
  const domain = person === undefined
    ? [[ref, '=', draft.externalRef]]
    : ['|', [ref, '=', draft.externalRef], ...Array<string>(open.length).fill('&'), ...open, ...person]
  // One search answers both "handled before?" and "open lead of this person?"; oldest first.
  const rows = await odoo.searchRead<Row>('crm.lead', domain as never, {
    fields: readFields, order: 'id asc', limit: 10, context: { active_test: false },
  })
  const byRef = rows.find((r) => r[ref] === draft.externalRef)
  if (draft.channel === 'whatsapp') {
    // A chat: the number's open lead (its own or any other) takes every message.
    const openLead = rows.find((r) => r['active'] !== false && r['probability'] !== 100)
    if (openLead !== undefined) return absorb(openLead, draft, flags, deps)
    // Its earlier lead is won or lost: a new conversation is a new lead, under a reference of its own.
    if (byRef !== undefined) return create({ ...draft, externalRef: `${draft.externalRef}:${draft.messageId ?? ''}` }, flags, deps, ref)
    return create(draft, flags, deps, ref)
  }
  if (byRef !== undefined) return replay(byRef, draft, flags, deps)
  const openLead = rows[0]
  if (openLead !== undefined) return absorb(openLead, draft, flags, deps)
  return create(draft, flags, deps, ref)
}

async function hasMarker(odoo: OdooClient, leadId: number, draft: LeadDraft): Promise<boolean> {
  const n = await odoo.searchCount('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', leadId], ['body', 'ilike', refMarker(draft)]])
  return n > 0
}

/** The enquiry created this lead before (redelivery): post the note if the first attempt died before it. */
async function replay(row: Row, draft: LeadDraft, flags: readonly Flag[], deps: UpsertDeps): Promise<UpsertResult> {
  if (!(await hasMarker(deps.odoo, row.id, draft))) {
    await deps.odoo.messagePost('crm.lead', row.id, noteHtml(draft, flags, 'created'), { html: true })
  }
  return { outcome: 'created', leadId: row.id, partnerId: m2oId(row['partner_id']), flags: [...flags], lead: row, replay: true }
}

/** Every lead is tagged with the channel it came through, so a sales team can filter by it in Odoo. */
export const CHANNEL_TAG: Readonly<Record<LeadDraft['channel'], string>> = { meta: 'Meta Lead Ads', whatsapp: 'WhatsApp', form: 'Web Form' }

async function utmAndTags(draft: LeadDraft, flags: readonly Flag[], odoo: OdooClient): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {}
  if (draft.utm.source) values['source_id'] = await odoo.refs.utmSource(draft.utm.source)
  if (draft.utm.medium) values['medium_id'] = await odoo.refs.utmMedium(draft.utm.medium)
  if (draft.utm.campaign) values['campaign_id'] = await odoo.refs.utmCampaign(draft.utm.campaign)
  values['tag_ids'] = await Promise.all([CHANNEL_TAG[draft.channel], ...flags].map((name) => odoo.refs.tag(name)))
  return values
}

/** Everything this enquiry knows, as crm.lead values (fields the server lacks are left out). */
async function leadValues(draft: LeadDraft, flags: readonly Flag[], deps: UpsertDeps): Promise<Record<string, unknown>> {
  const fields = deps.odoo.capabilities.leadFields
  const values: Record<string, unknown> = { ...(await utmAndTags(draft, flags, deps.odoo)) }
  if (draft.contactName) values['contact_name'] = draft.contactName
  if (draft.email) values['email_from'] = draft.email
  else if (draft.invalidEmail) values['email_from'] = draft.invalidEmail
  if (draft.phone) values['phone'] = draft.phone
  else if (draft.invalidPhone) values['phone'] = draft.invalidPhone
  if (draft.countryCode) {
    const id = await deps.countryId(draft.countryCode)
    if (id !== undefined) values['country_id'] = id
  }
  for (const [field, value] of Object.entries(draft.fields)) if (fields.has(field)) values[field] = value
  const description = descriptionHtml(draft)
  if (description !== '') values['description'] = description
  return values
}

/** Fields the mapping file names but this Odoo lacks: kept as answers rather than failing the create. */
function withUnknownFieldsAsAnswers(draft: LeadDraft, fields: ReadonlySet<string>): LeadDraft {
  const unknown = Object.entries(draft.fields).filter(([f]) => !fields.has(f))
  if (unknown.length === 0) return draft
  return { ...draft, answers: [...draft.answers, ...unknown.map(([question, answer]) => ({ question, answer }))] }
}

async function create(input: LeadDraft, flags: readonly Flag[], deps: UpsertDeps, ref: string): Promise<UpsertResult> {
  const { odoo, config } = deps
  const draft = withUnknownFieldsAsAnswers(input, odoo.capabilities.leadFields)
  const partnerId = draft.isTestLead ? undefined : await findPartner(odoo, draft)
  const base = await leadValues(draft, flags, deps)
  const values: Record<string, unknown> = {
    ...base,
    name: leadTitle(draft),
    type: config.leadType,
    user_id: config.userId ?? false,
    [ref]: draft.externalRef,
    tag_ids: [[6, 0, base['tag_ids']]],
    ...(partnerId === undefined ? {} : { partner_id: partnerId }),
    ...(odoo.capabilities.hasAddon ? { gassistant_flags: flags.join(',') } : {}),
  }
  let leadId: number
  try {
    leadId = await deps.creates.create(values)
  } catch (err) {
    // With the addon, gassistant_ref is unique: a replica that lost a race lands here. Re-read and
    // carry on as a redelivery; any other validation fault is real and parks the event.
    if (!(err instanceof OdooValidationError)) throw err
    const [row] = await odoo.searchRead<Row>('crm.lead', [[ref, '=', draft.externalRef]], { fields: ['partner_id', ref], limit: 1, context: { active_test: false } })
    if (row === undefined) throw err
    return replay(row, draft, flags, deps)
  }
  await odoo.messagePost('crm.lead', leadId, noteHtml(draft, flags, 'created'), { html: true })
  return { outcome: 'created', leadId, partnerId, flags: [...flags], lead: { ...values, id: leadId }, replay: false }
}

async function findPartner(odoo: OdooClient, draft: LeadDraft): Promise<number | undefined> {
  const leaves: unknown[][] = []
  if (draft.email) leaves.push(['email', '=ilike', ilikeLiteral(draft.email)])
  if (draft.phone) leaves.push(['phone', '=', draft.phone])
  if (leaves.length === 0) return undefined
  const domain = [...Array<string>(leaves.length - 1).fill('|'), ...leaves]
  const [row] = await odoo.searchRead<Row>('res.partner', domain as never, { fields: ['id'], limit: 1, order: 'id asc' })
  return row?.id
}

/** An open lead of the same person takes the enquiry: empty fields filled, nothing overwritten. */
async function absorb(row: Row, input: LeadDraft, inputFlags: readonly Flag[], deps: UpsertDeps): Promise<UpsertResult> {
  const { odoo } = deps
  const draft = withUnknownFieldsAsAnswers(input, odoo.capabilities.leadFields)
  const isMessage = draft.channel === 'whatsapp'
  const flags: Flag[] = isMessage ? [...inputFlags] : [...new Set<Flag>([...inputFlags, 'REPEAT_ENQUIRY'])]
  const outcome = isMessage ? 'updated' : 'merged'
  if (await hasMarker(odoo, row.id, draft)) {
    return { outcome, leadId: row.id, partnerId: m2oId(row['partner_id']), flags, lead: row, replay: true }
  }
  const candidate = await leadValues(draft, flags, deps)
  const write: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(candidate)) {
    if (field === 'tag_ids') continue
    if (field in row && !isEmpty(row[field])) continue
    write[field] = value
  }
  const existingTags = Array.isArray(row['tag_ids']) ? (row['tag_ids'] as number[]) : []
  const newTags = (candidate['tag_ids'] as number[]).filter((id) => !existingTags.includes(id))
  if (newTags.length > 0) write['tag_ids'] = newTags.map((id) => [4, id, 0])
  if (odoo.capabilities.hasAddon) {
    const had = typeof row['gassistant_flags'] === 'string' && row['gassistant_flags'] !== '' ? row['gassistant_flags'].split(',') : []
    const all = [...new Set([...had, ...flags])]
    if (all.length !== had.length) write['gassistant_flags'] = all.join(',')
  }
  if (Object.keys(write).length > 0) await odoo.write('crm.lead', [row.id], write)
  await odoo.messagePost('crm.lead', row.id, noteHtml(draft, flags, isMessage ? 'message' : 'repeat'), { html: true })
  return { outcome, leadId: row.id, partnerId: m2oId(row['partner_id']), flags, lead: { ...row, ...write }, replay: false }
}
