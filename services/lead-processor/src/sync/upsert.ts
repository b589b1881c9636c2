// Finds the one Odoo lead an enquiry belongs to and creates or updates it, under the person's lock:
//   1. the external reference (gassistant_ref with the addon, unique there; else the hub-owned
//      `referred` field) → the event was handled before: finish what may be missing, change nothing;
//   2. an open lead (active, not won — an unset probability counts as open) of the same person (email or
//      E.164 phone) created within the repeat window → fill its empty fields, add REPEAT_ENQUIRY, post
//      "new enquiry from …"; for WhatsApp any open lead of the number → the message goes to its chatter;
//   3. otherwise create the lead, linked to a partner with the same email or phone when there is one.
// Every note carries a marker, so a redelivered event never posts twice. Never overwrites a value a
// salesperson entered. Never called without the person's lock (see README "Dedupe").
import { OdooValidationError, m2oId, type OdooRefs } from '@gassistant/odoo'
import type { Flag, LeadDraft } from '../draft.js'
import { descriptionHtml, leadTitle, noteHtml, refMarker, type NoteKind } from './html.js'
import type { LeadStore, Row } from './lead-store.js'

export interface UpsertConfig {
  /** crm.lead `type` to create: 'lead' or 'opportunity' (Odoo 17 defaults to opportunity: always sent). */
  readonly leadType: 'lead' | 'opportunity'
  /** Salesperson of new leads; undefined → none (else Odoo makes the API user the salesperson). */
  readonly userId: number | undefined
  /** How far back an open lead of the same person absorbs a new enquiry. */
  readonly repeatWindowMs: number
}

export interface SyncDeps {
  readonly store: LeadStore
  readonly refs: OdooRefs
  readonly config: UpsertConfig
  readonly now: () => Date
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

const isEmpty = (v: unknown): boolean => v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
const odooDate = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ')

/** Lock keys of an enquiry: its reference and every identity it carries. Test leads: the reference only. */
export function personKeys(draft: LeadDraft): string[] {
  const keys = [`ref:${draft.externalRef}`]
  if (draft.isTestLead) return keys
  if (draft.email) keys.push(`email:${draft.email}`)
  if (draft.phone) keys.push(`phone:${draft.phone}`)
  return keys
}

/** The person a lead may be deduplicated by: none for Meta's test leads (dummy data is nobody). */
function personOf(draft: LeadDraft): { email?: string; phone?: string } {
  if (draft.isTestLead) return {}
  return { ...(draft.email ? { email: draft.email } : {}), ...(draft.phone ? { phone: draft.phone } : {}) }
}

export async function upsertLead(draft: LeadDraft, flags: readonly Flag[], deps: SyncDeps): Promise<UpsertResult> {
  const { store, config } = deps
  const person = personOf(draft)
  // WhatsApp: any open lead of the number takes the message; forms and ads: within the repeat window.
  const since = draft.channel === 'whatsapp' ? undefined : odooDate(new Date(deps.now().getTime() - config.repeatWindowMs))
  // One search answers both "handled before?" and "open lead of this person?" (oldest first). The partner a
  // new lead would link to is looked up alongside: most enquiries are new leads.
  const [rows, partnerId] = await Promise.all([
    store.candidates({ ref: draft.externalRef, ...person, ...(since === undefined ? {} : { since }) }),
    store.partner(person),
  ])
  const byRef = rows.find((r) => r[store.refField] === draft.externalRef)
  if (draft.channel === 'whatsapp') {
    // A chat: the number's open lead (its own or any other) takes every message.
    const openLead = rows.find((r) => r['active'] !== false && r['probability'] !== 100)
    if (openLead !== undefined) return absorb(openLead, draft, flags, deps)
    // Its earlier lead is won or lost: a new conversation is a new lead, under a reference of its own.
    if (byRef !== undefined) return create({ ...draft, externalRef: `${draft.externalRef}:${draft.messageId ?? ''}` }, flags, partnerId, deps)
    return create(draft, flags, partnerId, deps)
  }
  if (byRef !== undefined) return replay(byRef, draft, flags, deps)
  const openLead = rows[0]
  if (openLead !== undefined) return absorb(openLead, draft, flags, deps)
  return create(draft, flags, partnerId, deps)
}

const leadName = (row: Row): string => (typeof row['name'] === 'string' ? row['name'] : '')

async function postNote(row: Row, draft: LeadDraft, flags: readonly Flag[], kind: NoteKind, deps: SyncDeps): Promise<void> {
  await deps.store.logNote(row.id, noteHtml(draft, flags, kind), leadName(row))
}

/** The enquiry created this lead before (redelivery): post the note if the first attempt died before it. */
async function replay(row: Row, draft: LeadDraft, flags: readonly Flag[], deps: SyncDeps): Promise<UpsertResult> {
  if (!(await deps.store.hasNote(row.id, refMarker(draft)))) await postNote(row, draft, flags, 'created', deps)
  return { outcome: 'created', leadId: row.id, partnerId: m2oId(row['partner_id']), flags: [...flags], lead: row, replay: true }
}

/** Every lead is tagged with the channel it came through, so a sales team can filter by it in Odoo. */
export const CHANNEL_TAG: Readonly<Record<LeadDraft['channel'], string>> = { meta: 'Meta Lead Ads', whatsapp: 'WhatsApp', form: 'Web Form' }

/** Everything this enquiry knows, as crm.lead values (the draft's fields all exist on this server: mapping checked). */
async function leadValues(draft: LeadDraft, flags: readonly Flag[], deps: SyncDeps): Promise<Record<string, unknown>> {
  const { refs, store } = deps
  const [sourceId, mediumId, campaignId, tagIds, countryId] = await Promise.all([
    draft.utm.source ? refs.utmSource(draft.utm.source) : undefined,
    draft.utm.medium ? refs.utmMedium(draft.utm.medium) : undefined,
    draft.utm.campaign ? refs.utmCampaign(draft.utm.campaign) : undefined,
    Promise.all([CHANNEL_TAG[draft.channel], ...flags].map((name) => refs.tag(name))),
    draft.countryCode ? store.countryId(draft.countryCode) : undefined,
  ])
  const values: Record<string, unknown> = { tag_ids: tagIds }
  if (sourceId !== undefined) values['source_id'] = sourceId
  if (mediumId !== undefined) values['medium_id'] = mediumId
  if (campaignId !== undefined) values['campaign_id'] = campaignId
  if (draft.contactName) values['contact_name'] = draft.contactName
  if (draft.email) values['email_from'] = draft.email
  else if (draft.invalidEmail) values['email_from'] = draft.invalidEmail
  if (draft.phone) values['phone'] = draft.phone
  else if (draft.invalidPhone) values['phone'] = draft.invalidPhone
  if (countryId !== undefined) values['country_id'] = countryId
  Object.assign(values, draft.fields)
  const description = descriptionHtml(draft)
  if (description !== '') values['description'] = description
  return values
}

async function create(draft: LeadDraft, flags: readonly Flag[], partnerId: number | undefined, deps: SyncDeps): Promise<UpsertResult> {
  const { store, config } = deps
  const base = await leadValues(draft, flags, deps)
  const name = leadTitle(draft)
  const values: Record<string, unknown> = {
    ...base,
    name,
    type: config.leadType,
    user_id: config.userId ?? false,
    [store.refField]: draft.externalRef,
    tag_ids: [[6, 0, base['tag_ids']]],
    ...(partnerId === undefined ? {} : { partner_id: partnerId }),
    ...(deps.store.hasAddon ? { gassistant_flags: flags.join(',') } : {}),
  }
  // The "new lead" note is created with the lead, in the same call and transaction: no lead without its
  // note, and a tenth of the cost of posting notes afterwards (README "Performance").
  const message_ids = await store.withNote(noteHtml(draft, flags, 'created'), name)
  let leadId: number
  try {
    leadId = await store.create({ ...values, message_ids })
  } catch (err) {
    // With the addon, gassistant_ref is unique: a replica that lost a race lands here. Re-read and
    // carry on as a redelivery; any other validation fault is real and parks the event.
    if (!(err instanceof OdooValidationError)) throw err
    const row = await store.byRef(draft.externalRef)
    if (row === undefined) throw err
    return replay(row, draft, flags, deps)
  }
  return { outcome: 'created', leadId, partnerId, flags: [...flags], lead: { ...values, id: leadId }, replay: false }
}

/** An open lead of the same person takes the enquiry: empty fields filled, nothing overwritten. */
async function absorb(row: Row, draft: LeadDraft, inputFlags: readonly Flag[], deps: SyncDeps): Promise<UpsertResult> {
  const { store } = deps
  const isMessage = draft.channel === 'whatsapp'
  const flags: Flag[] = isMessage ? [...inputFlags] : [...new Set<Flag>([...inputFlags, 'REPEAT_ENQUIRY'])]
  const outcome = isMessage ? 'updated' : 'merged'
  if (await store.hasNote(row.id, refMarker(draft))) {
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
  if (deps.store.hasAddon) {
    const had = typeof row['gassistant_flags'] === 'string' && row['gassistant_flags'] !== '' ? row['gassistant_flags'].split(',') : []
    const all = [...new Set([...had, ...flags])]
    if (all.length !== had.length) write['gassistant_flags'] = all.join(',')
  }
  if (Object.keys(write).length > 0) await store.write(row.id, write)
  await postNote(row, draft, flags, isMessage ? 'message' : 'repeat', deps)
  return { outcome, leadId: row.id, partnerId: m2oId(row['partner_id']), flags, lead: { ...row, ...write }, replay: false }
}
