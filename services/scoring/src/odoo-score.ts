// Writes a lead's score to Odoo: reads the lead once, scores it, and writes what changed — the addon's
// gassistant_score and gassistant_score_breakdown (when installed) and the priority stars by tier — in one
// write that also carries the chatter note when the tier changed (one transaction: a redelivery after it
// finds the new tier and posts nothing). Nothing changed → no write at all.
import type { OdooClient } from '@gassistant/odoo'
import { contactFactsOfRow, odooFactsOfRow, readLead, type LeadLookup } from './lead-read.js'
import { scoreLead, tierOf, type LeadFacts, type ScoreResult, type Tier } from './score.js'
import type { RulesFile } from './rules.js'

export const SCORE_FIELDS = ['gassistant_score', 'gassistant_score_breakdown'] as const

export type ScoreWriteResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'scored'; readonly leadId: number; readonly userId?: number; readonly result: ScoreResult; readonly previousScore?: number; readonly previousTier?: Tier; readonly wrote: boolean; readonly noted: boolean }

/** Whether this Odoo has the addon's score fields (else the score goes into the note and the stars only). */
export function hasScoreFields(leadFields: ReadonlySet<string>): boolean {
  return SCORE_FIELDS.every((field) => leadFields.has(field))
}

/** The breakdown as stored in gassistant_score_breakdown: stable JSON, so an unchanged score compares equal. */
export function breakdownJson(result: Pick<ScoreResult, 'breakdown'>): string {
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
 * Which lead to score: by id (lead.synced.v1, an Odoo change) or by a domain (a WhatsApp sender's
 * phone/reference). Every rule input is read from the lead, whatever triggered the score, so the same lead
 * always scores the same (an event describes one enquiry; the lead holds them all).
 */
export type ScoreInput = LeadLookup

/** Reads the lead (one call), scores it, and writes what changed (at most one more call). */
export async function scoreInOdoo(odoo: OdooClient, rules: RulesFile, input: ScoreInput): Promise<ScoreWriteResult> {
  const caps = await odoo.connect()
  const addon = hasScoreFields(caps.leadFields)
  const lead = await readLead(odoo, rules, input)
  if (lead === undefined) return { kind: 'missing' }

  const facts: LeadFacts = { ...contactFactsOfRow(lead, addon), ...odooFactsOfRow(lead) }
  const result = scoreLead(facts, rules)
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
    ...(typeof lead.user_id === 'number' ? { userId: lead.user_id } : {}),
    result,
    wrote,
    noted,
    ...(previousScore === undefined ? {} : { previousScore }),
    ...(previousTier === undefined ? {} : { previousTier }),
  }
}
