// What `pnpm hub score explain <lead id>` shows: the score and breakdown a rep sees on the lead in Odoo
// (gassistant_score_breakdown), each rule's points and its reason in English and Arabic, read with the same
// single read a score costs and never written. A lead not scored yet (or an Odoo without the addon's
// fields) is explained as the rules score it now. Never prints the lead's name or contact details.
import type { OdooClient } from '@gassistant/odoo'
import { contactFactsOfRow, odooFactsOfRow, readLead } from './lead-read.js'
import { breakdownJson, hasScoreFields } from './odoo-score.js'
import type { RulesFile } from './rules.js'
import { scoreLead, tierOf, type BreakdownEntry, type ScoreResult, type Tier } from './score.js'

export interface Explanation {
  readonly leadId: number
  /** `odoo`: the score written on the lead; `rules`: not written yet, as the rules give it now. */
  readonly from: 'odoo' | 'rules'
  readonly score: number
  readonly tier: Tier
  readonly breakdown: readonly BreakdownEntry[]
  /** What a re-score now would give, when it differs from what the lead shows. */
  readonly now?: ScoreResult
}

function storedBreakdown(json: unknown): BreakdownEntry[] | undefined {
  if (typeof json !== 'string' || json === '') return undefined
  try {
    const parsed = JSON.parse(json) as unknown
    if (!Array.isArray(parsed)) return undefined
    return parsed.filter((entry): entry is BreakdownEntry =>
      typeof entry?.rule === 'string' && typeof entry?.points === 'number' && typeof entry?.reason?.en === 'string' && typeof entry?.reason?.ar === 'string')
  } catch {
    return undefined
  }
}

/** The lead's explanation, or undefined when Odoo has no lead with this id. */
export async function explainLead(odoo: OdooClient, rules: RulesFile, leadId: number): Promise<Explanation | undefined> {
  const caps = await odoo.connect()
  const lead = await readLead(odoo, rules, { leadId })
  if (lead === undefined) return undefined
  const now = scoreLead({ ...contactFactsOfRow(lead, hasScoreFields(caps.leadFields)), ...odooFactsOfRow(lead) }, rules)
  const stored = storedBreakdown(lead.gassistant_score_breakdown)
  if (stored === undefined || typeof lead.gassistant_score !== 'number') return { leadId, from: 'rules', score: now.score, tier: now.tier, breakdown: now.breakdown }
  const same = now.score === lead.gassistant_score && breakdownJson(now) === breakdownJson({ breakdown: stored })
  return { leadId, from: 'odoo', score: lead.gassistant_score, tier: tierOf(lead.gassistant_score, rules), breakdown: stored, ...(same ? {} : { now }) }
}

const TIER: Record<Tier, { en: string; ar: string }> = { hot: { en: 'hot', ar: 'ساخن' }, warm: { en: 'warm', ar: 'دافئ' }, cold: { en: 'cold', ar: 'بارد' } }
const signed = (points: number): string => (points > 0 ? `+${points}` : String(points)).padStart(4)

/** The lines a rep reads: the score and tier in both languages, then each rule with its points and both reasons. */
export function formatExplanation(explanation: Explanation): string[] {
  const { leadId, score, tier } = explanation
  const lines = [
    `lead ${leadId}: score ${score}/100, ${TIER[tier].en} — التقييم ${score}/100، ${TIER[tier].ar}`,
    explanation.from === 'odoo' ? 'as written on the lead in Odoo — كما هو مسجل في أودو' : 'not scored yet: as the rules score it now — لم يُقيَّم بعد: حسب القواعد الآن',
  ]
  for (const entry of explanation.breakdown) {
    lines.push(`${signed(entry.points)}  ${entry.rule}: ${entry.reason.en}`)
    lines.push(`${' '.repeat(4)}  ${entry.reason.ar}`)
  }
  if (explanation.now !== undefined) {
    lines.push(`a re-score now would give ${explanation.now.score}/100, ${TIER[explanation.now.tier].en} — إعادة التقييم الآن: ${explanation.now.score}/100، ${TIER[explanation.now.tier].ar}`)
  }
  return lines
}
