// The one read a score costs: the lead with every rule input, in a single web_search_read (Odoo 17's web
// module; its nested specification brings tag and utm names, and — only when the rules need them — the
// chatter's dates and bodies, the description, and Odoo's predictive probability). Then what those fields
// mean as rule inputs: the lead-processor's formats are read back here (its channel tags, its flags, its
// "question: answer" description lines, its "WhatsApp message from" notes).
import type { OdooClient } from '@gassistant/odoo'
import { decodeHTML } from 'entities'
import type { RulesFile } from './rules.js'
import type { FormAnswer, LeadFacts, LeadFlag } from './score.js'

interface Named { id: number; display_name: string }
interface ChatterMessage { id: number; date?: string | false; body?: string | false }

/** The lead as web_search_read returns it (fields this Odoo or these rules lack are absent). */
export interface LeadRow {
  id: number
  name: string
  expected_revenue?: number | false
  priority?: string | false
  /** web_read gives a many2one without a field spec as its id. */
  user_id?: number | false
  contact_name?: string | false
  email_from?: string | false
  phone?: string | false
  tag_ids?: Named[]
  source_id?: Named | false
  medium_id?: Named | false
  campaign_id?: Named | false
  gassistant_flags?: string | false
  gassistant_score?: number | false
  gassistant_score_breakdown?: string | false
  create_date?: string | false
  message_ids?: ChatterMessage[]
  description?: string | false
  automated_probability?: number | false
}

interface FieldSpec { fields?: Record<string, FieldSpec> }
const NAME: FieldSpec = { fields: { display_name: {} } }

const BASE_SPEC: Readonly<Record<string, FieldSpec>> = {
  name: {}, expected_revenue: {}, priority: {}, user_id: {}, contact_name: {}, email_from: {}, phone: {},
  tag_ids: NAME, source_id: NAME, medium_id: NAME, campaign_id: NAME,
  gassistant_flags: {}, gassistant_score: {}, gassistant_score_breakdown: {},
}

/** What the rules need beyond the base: chatter only for engagement rules, and so on (reading less is cheaper). */
function ruleSpec(rules: RulesFile): Record<string, FieldSpec> {
  const kinds = new Set(rules.rules.map((rule) => rule.kind))
  return {
    ...(kinds.has('engagement') ? { create_date: {}, message_ids: { fields: { date: {}, body: {} } } } : {}),
    ...(kinds.has('answer') ? { description: {} } : {}),
    ...(kinds.has('odoo-probability') ? { automated_probability: {} } : {}),
  }
}

/** The specification for this Odoo (fields it lacks, e.g. the addon's, are left out) and these rules. */
export function leadSpec(rules: RulesFile, leadFields: ReadonlySet<string>): Record<string, FieldSpec> {
  return Object.fromEntries(Object.entries({ ...BASE_SPEC, ...ruleSpec(rules) }).filter(([field]) => field === 'name' || leadFields.has(field)))
}

export type LeadLookup = { readonly leadId: number } | { readonly domain: unknown[] }

/**
 * One call (Odoo 17+: 16's web_search_read takes a field list, not a specification). By id: archived leads still count, a deleted one is undefined (not a fault). By domain (a
 * WhatsApp sender): their newest active lead.
 */
export async function readLead(odoo: OdooClient, rules: RulesFile, lookup: LeadLookup): Promise<LeadRow | undefined> {
  const caps = await odoo.connect()
  const specification = leadSpec(rules, caps.leadFields)
  // Named arguments only: the same call on XML-RPC (Odoo 17–18) and JSON-2 (19+), which takes no positional ones.
  const answer = 'leadId' in lookup
    ? await odoo.executeKw<{ records: LeadRow[] }>('crm.lead', 'web_search_read', [], { domain: [['id', '=', lookup.leadId]], specification, limit: 1, context: { active_test: false } })
    : await odoo.executeKw<{ records: LeadRow[] }>('crm.lead', 'web_search_read', [], { domain: lookup.domain, specification, limit: 1, order: 'id desc' })
  return answer.records[0]
}

/** The lead-processor tags every lead with its channel (its CHANNEL_TAG); without the addon, flags are tags too. */
const CHANNEL_OF_TAG: Readonly<Record<string, LeadFacts['channel']>> = { 'Meta Lead Ads': 'meta', WhatsApp: 'whatsapp', 'Web Form': 'form' }
/**
 * A lead that took enquiries from several channels has each one's tag (a Meta lead whose customer then wrote
 * on WhatsApp): it counts as the first of these it has, whatever order Odoo lists its tags in.
 */
const CHANNEL_PRECEDENCE: readonly LeadFacts['channel'][] = ['meta', 'whatsapp', 'form']
const FLAGS: ReadonlySet<string> = new Set<LeadFlag>(['INVALID_EMAIL', 'INVALID_PHONE', 'DISPOSABLE_EMAIL', 'DO_NOT_CALL', 'TEST_LEAD', 'REPEAT_ENQUIRY'])
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
const nameOf = (value: Named | false | undefined): string | undefined => (value ? value.display_name : undefined)

/** Plain text of an HTML fragment: tags dropped, entities decoded. */
const plain = (html: string): string => decodeHTML(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, ''))

/**
 * The form answers the lead-processor keeps in the description: one `<p>question: answer</p>` per answer
 * without an Odoo field of its own (its html.ts descriptionHtml). Paragraphs without ": " (the message) are not answers.
 */
export function answersOfDescription(html: string | false | undefined): FormAnswer[] {
  if (typeof html !== 'string') return []
  return [...html.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/gi)].flatMap((match) => {
    const line = plain(match[1] as string)
    const split = line.indexOf(': ')
    return split > 0 ? [{ question: line.slice(0, split).trim(), answer: line.slice(split + 2).trim() }] : []
  })
}

/**
 * The heading of the note the lead-processor posts for each WhatsApp message that joins an existing lead (its
 * html.ts HEADINGS.message); the message that created a lead is in the "New lead from" note, not counted.
 */
export const WHATSAPP_NOTE_HEADING = 'WhatsApp message from'

const odooTime = (value: string): number => Date.parse(`${value.replace(' ', 'T')}Z`)

/** Minutes after the lead's creation of each inbound WhatsApp message logged on it. */
export function whatsappMinutes(row: Pick<LeadRow, 'create_date' | 'message_ids'>): number[] {
  const created = text(row.create_date)
  if (created === undefined) return []
  return (row.message_ids ?? []).flatMap((message) => {
    const date = text(message.date)
    const body = text(message.body)
    if (date === undefined || body === undefined || !plain(body).trimStart().startsWith(WHATSAPP_NOTE_HEADING)) return []
    return [Math.max(0, (odooTime(date) - odooTime(created)) / 60_000)]
  })
}

/**
 * Odoo's predictive probability when it has one. Read-only and in the same read: Odoo leaves
 * automated_probability NULL (read as 0) until its naive Bayes has both won and lost history, and once it
 * has, never computes exactly 0 for a lead in a stage (it clamps to 0.01–99.99; won is 100). So 0 means
 * "none" on a new database and on a used one alike.
 */
export function odooProbabilityOf(row: Pick<LeadRow, 'automated_probability'>): number | undefined {
  return typeof row.automated_probability === 'number' && row.automated_probability > 0 ? row.automated_probability : undefined
}

/** The channel, flag and contact inputs as the lead holds them (a lead without a channel tag, e.g. typed into Odoo, is `form`). */
export function contactFactsOfRow(row: LeadRow, addon: boolean): Pick<LeadFacts, 'channel' | 'flags' | 'name' | 'phone' | 'email' | 'utmSource' | 'utmMedium' | 'utmCampaign'> {
  const tags = (row.tag_ids ?? []).map((tag) => tag.display_name)
  const flagWords = addon ? (text(row.gassistant_flags) ?? '').split(',') : tags
  return {
    channel: CHANNEL_PRECEDENCE.find((channel) => tags.some((tag) => CHANNEL_OF_TAG[tag] === channel)) ?? 'form',
    flags: flagWords.filter((flag): flag is LeadFlag => FLAGS.has(flag)),
    name: text(row.contact_name),
    phone: text(row.phone),
    email: text(row.email_from),
    utmSource: nameOf(row.source_id),
    utmMedium: nameOf(row.medium_id),
    utmCampaign: nameOf(row.campaign_id),
  }
}

/** The inputs only Odoo holds, whatever triggered the score: revenue, engagement, form answers, Odoo's probability. */
export function odooFactsOfRow(row: LeadRow): Pick<LeadFacts, 'expectedRevenue' | 'whatsappMinutesAfterLead' | 'answers' | 'odooProbability'> {
  return {
    expectedRevenue: typeof row.expected_revenue === 'number' ? row.expected_revenue : 0,
    whatsappMinutesAfterLead: whatsappMinutes(row),
    answers: answersOfDescription(row.description),
    odooProbability: odooProbabilityOf(row),
  }
}
