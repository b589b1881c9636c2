// Writes a lead's score to Odoo: reads the lead once, scores it, and writes what changed — the addon's
// gassistant_score and gassistant_score_breakdown (when installed) and the priority stars by tier — in one
// write that also carries the chatter note when the tier changed (one transaction: a redelivery after it
// finds the new tier and posts nothing). Nothing changed → no write at all.
import type { OdooClient } from '@gassistant/odoo'
import { scoreLead, tierOf, type LeadFacts, type LeadFlag, type ScoreResult, type Tier } from './score.js'
import type { RulesFile } from './rules.js'

/** The lead fields the score reads (its rule inputs included, for re-scores); those this Odoo lacks are left out. */
const LEAD_FIELDS = [
  'name', 'expected_revenue', 'priority', 'user_id', 'contact_name', 'email_from', 'phone', 'tag_ids', 'source_id', 'medium_id',
  'campaign_id', 'gassistant_flags', 'gassistant_score', 'gassistant_score_breakdown',
]
export const SCORE_FIELDS = ['gassistant_score', 'gassistant_score_breakdown'] as const

type Many2one = [number, string] | false
interface LeadRow {
  id: number
  name: string
  expected_revenue?: number | false
  priority?: string | false
  user_id?: Many2one
  contact_name?: string | false
  email_from?: string | false
  phone?: string | false
  tag_ids?: number[]
  source_id?: Many2one
  medium_id?: Many2one
  campaign_id?: Many2one
  gassistant_flags?: string | false
  gassistant_score?: number | false
  gassistant_score_breakdown?: string | false
}

/** The lead-processor tags every lead with its channel (its CHANNEL_TAG); without the addon, flags are tags too. */
const CHANNEL_OF_TAG: Readonly<Record<string, LeadFacts['channel']>> = { 'Meta Lead Ads': 'meta', WhatsApp: 'whatsapp', 'Web Form': 'form' }
const FLAGS: ReadonlySet<string> = new Set<LeadFlag>(['INVALID_EMAIL', 'INVALID_PHONE', 'DISPOSABLE_EMAIL', 'DO_NOT_CALL', 'TEST_LEAD', 'REPEAT_ENQUIRY'])
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
const m2oName = (value: Many2one | undefined): string | undefined => (Array.isArray(value) ? value[1] : undefined)

/**
 * Tag names by id, kept for the life of the process: tags are few and a tag's name is what the lead-processor
 * made it. Only ids not seen before cost a crm.tag read, so a re-score is one lead read in the steady state.
 */
export type TagNames = (ids: readonly number[]) => Promise<string[]>
export function createTagNames(odoo: OdooClient): TagNames {
  const names = new Map<number, string>()
  return async (ids) => {
    const unknown = ids.filter((id) => !names.has(id))
    if (unknown.length > 0) for (const tag of await odoo.read<{ id: number; name: string }>('crm.tag', unknown, ['name'])) names.set(tag.id, tag.name)
    return ids.flatMap((id) => (names.has(id) ? [names.get(id) as string] : []))
  }
}

/** The rule inputs as the lead holds them: what lead.synced.v1 reported when the lead-processor wrote it. */
async function factsOfRow(row: LeadRow, addon: boolean, tagNames: TagNames): Promise<Omit<LeadFacts, 'expectedRevenue'>> {
  const tags = await tagNames(row.tag_ids ?? [])
  const flagWords = addon ? (text(row.gassistant_flags) ?? '').split(',') : tags
  const channel = tags.map((tag) => CHANNEL_OF_TAG[tag]).find((c) => c !== undefined) ?? 'form'
  return {
    channel,
    flags: flagWords.filter((flag): flag is LeadFlag => FLAGS.has(flag)),
    name: text(row.contact_name),
    phone: text(row.phone),
    email: text(row.email_from),
    utmSource: m2oName(row.source_id),
    utmMedium: m2oName(row.medium_id),
    utmCampaign: m2oName(row.campaign_id),
  }
}

export type ScoreWriteResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'scored'; readonly leadId: number; readonly userId?: number; readonly result: ScoreResult; readonly previousScore?: number; readonly previousTier?: Tier; readonly wrote: boolean; readonly noted: boolean }

/** Whether this Odoo has the addon's score fields (else the score goes into the note and the stars only). */
export function hasScoreFields(leadFields: ReadonlySet<string>): boolean {
  return SCORE_FIELDS.every((field) => leadFields.has(field))
}

/** The breakdown as stored in gassistant_score_breakdown: stable JSON, so an unchanged score compares equal. */
export function breakdownJson(result: ScoreResult): string {
  return JSON.stringify(result.breakdown.map((entry) => ({ rule: entry.rule, points: entry.points, reason: { ar: entry.reason.ar, en: entry.reason.en } })))
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const TIER_NAMES: Record<Tier, { en: string; ar: string }> = {
  hot: { en: 'hot', ar: 'ساخن' },
  warm: { en: 'warm', ar: 'دافئ' },
  cold: { en: 'cold', ar: 'بارد' },
}

const signed = (points: number): string => (points > 0 ? `+${points}` : String(points))

/** The chatter note of a tier change: the score, the tier and every rule's points and reasons, in English and Arabic. */
export function tierNoteHtml(result: ScoreResult, previousTier: Tier | undefined): string {
  const tier = TIER_NAMES[result.tier]
  const from = previousTier === undefined ? '' : ` (was ${TIER_NAMES[previousTier].en} / كان ${TIER_NAMES[previousTier].ar})`
  const items = result.breakdown
    .map((entry) => `<li>${signed(entry.points)} — ${escapeHtml(entry.reason.en)} / <span dir="rtl">${escapeHtml(entry.reason.ar)}</span></li>`)
    .join('')
  return `<p>Lead score ${result.score}/100: ${tier.en}${from} — <span dir="rtl">تقييم العميل ${result.score}/100: ${tier.ar}</span></p><ul>${items}</ul>`
}

/** The tier the stars stand for, when they are one the rules give a tier (a rep may have set others by hand). */
function tierOfStars(stars: string | false | undefined, rules: RulesFile): Tier | undefined {
  const tiers: Tier[] = ['hot', 'warm', 'cold']
  const matching = tiers.filter((tier) => rules.tiers[tier].stars === stars)
  return matching.length === 1 ? matching[0] : undefined
}

/**
 * Which lead to score and from what. lead.synced.v1 carries the rule inputs (`facts`); a re-score reads them
 * from the lead (`tagNames` resolves its tags), found by id or by a domain (a WhatsApp sender's phone/reference).
 */
export type ScoreInput =
  | { readonly leadId: number; /** What the event knows; expected revenue comes from Odoo. */ readonly facts: Omit<LeadFacts, 'expectedRevenue'> }
  | { readonly leadId: number; readonly tagNames: TagNames }
  | { readonly domain: unknown[]; readonly tagNames: TagNames }

/** Reads the lead (one call), scores it, and writes what changed (at most one more call). */
export async function scoreInOdoo(odoo: OdooClient, rules: RulesFile, input: ScoreInput): Promise<ScoreWriteResult> {
  const caps = await odoo.connect()
  const addon = hasScoreFields(caps.leadFields)
  const fields = LEAD_FIELDS.filter((field) => caps.leadFields.has(field) || field === 'name')
  // search_read rather than read: a deleted lead is an empty answer, not a fault; archived leads still count
  // when asked for by id. A sender's lead is their newest one.
  const [lead] = 'leadId' in input
    ? await odoo.searchRead<LeadRow>('crm.lead', [['id', '=', input.leadId]], { fields, limit: 1, context: { active_test: false } })
    : await odoo.searchRead<LeadRow>('crm.lead', input.domain as never, { fields, limit: 1, order: 'id desc' })
  if (lead === undefined) return { kind: 'missing' }

  const facts = 'facts' in input ? input.facts : await factsOfRow(lead, addon, input.tagNames)
  const result = scoreLead({ ...facts, expectedRevenue: typeof lead.expected_revenue === 'number' ? lead.expected_revenue : 0 }, rules)
  // A lead the addon says was scored before has a breakdown; gassistant_score alone reads 0 when never set.
  const scoredBefore = addon && typeof lead.gassistant_score_breakdown === 'string' && lead.gassistant_score_breakdown !== ''
  const previousScore = scoredBefore && typeof lead.gassistant_score === 'number' ? lead.gassistant_score : undefined
  const previousTier = addon ? (previousScore === undefined ? undefined : tierOf(previousScore, rules)) : tierOfStars(lead.priority, rules)

  const values: Record<string, unknown> = {}
  if (lead.priority !== result.stars) values['priority'] = result.stars
  if (addon) {
    if (previousScore !== result.score) values['gassistant_score'] = result.score
    const json = breakdownJson(result)
    if (lead.gassistant_score_breakdown !== json) values['gassistant_score_breakdown'] = json
  }
  const noted = previousTier !== result.tier
  if (noted) values['message_ids'] = [[0, 0, await odoo.noteValues('crm.lead', tierNoteHtml(result, previousTier), lead.name)]]
  const wrote = Object.keys(values).length > 0
  if (wrote) await odoo.write('crm.lead', [lead.id], values)
  return {
    kind: 'scored',
    leadId: lead.id,
    ...(Array.isArray(lead.user_id) ? { userId: lead.user_id[0] } : {}),
    result,
    wrote,
    noted,
    ...(previousScore === undefined ? {} : { previousScore }),
    ...(previousTier === undefined ? {} : { previousTier }),
  }
}
