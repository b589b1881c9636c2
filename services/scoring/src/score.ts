// The pure scoring function: what the hub knows about a lead, and the rules file, give a 0–100 score, a
// tier and the breakdown a rep reads (each rule that applied, its effect on the score, its reason in
// Arabic and English). No I/O, so the same inputs always give the same result (the service relies on it
// to write nothing when nothing changed).
import type { RulesFile, ScoringRule } from './rules.js'

export type Tier = 'hot' | 'warm' | 'cold'
export type LeadFlag = 'INVALID_EMAIL' | 'INVALID_PHONE' | 'DISPOSABLE_EMAIL' | 'DO_NOT_CALL' | 'TEST_LEAD' | 'REPEAT_ENQUIRY'

/** What the score is computed from: the lead-processor's `lead.synced.v1` data and the lead as Odoo holds it. */
export interface LeadFacts {
  readonly channel: 'meta' | 'whatsapp' | 'form'
  readonly flags: readonly LeadFlag[]
  readonly name?: string | undefined
  readonly phone?: string | undefined
  readonly email?: string | undefined
  readonly utmSource?: string | undefined
  readonly utmMedium?: string | undefined
  readonly utmCampaign?: string | undefined
  /** Odoo's expected_revenue (0 when unset). */
  readonly expectedRevenue?: number | undefined
}

export interface BreakdownEntry {
  readonly rule: string
  /** This rule's effect on the final score (a cap's is what it took away, 0 when the score was already below). */
  readonly points: number
  readonly reason: { readonly en: string; readonly ar: string }
}

export interface ScoreResult {
  readonly score: number
  readonly tier: Tier
  /** Odoo priority stars for the tier ('0'–'3'). */
  readonly stars: '0' | '1' | '2' | '3'
  readonly breakdown: readonly BreakdownEntry[]
}

const present = (text: string | undefined): boolean => text !== undefined && text.trim() !== ''

function matchesAny(value: string | undefined, words: readonly string[] | undefined): boolean {
  if (words === undefined) return true
  if (value === undefined) return false
  const lower = value.trim().toLowerCase()
  return words.some((word) => word.toLowerCase() === lower)
}

/** Whether a rule that adds points applies to the lead (flag rules with a cap are handled after the sum). */
function applies(rule: ScoringRule, facts: LeadFacts): boolean {
  switch (rule.kind) {
    case 'source':
      return (rule.channel === undefined || rule.channel.includes(facts.channel))
        && matchesAny(facts.utmSource, rule.utmSource)
        && matchesAny(facts.utmMedium, rule.utmMedium)
        && matchesAny(facts.utmCampaign, rule.utmCampaign)
    case 'complete':
      if (rule.field === 'name') return present(facts.name)
      if (rule.field === 'phone') return present(facts.phone) && !facts.flags.includes('INVALID_PHONE')
      return present(facts.email) && !facts.flags.includes('INVALID_EMAIL')
    case 'flag':
      return facts.flags.includes(rule.flag)
    case 'revenue':
      return (facts.expectedRevenue ?? 0) >= rule.atLeast
  }
}

const clamp = (value: number): number => Math.min(100, Math.max(0, Math.round(value)))

export function tierOf(score: number, rules: RulesFile): Tier {
  if (score >= rules.tiers.hot.min) return 'hot'
  if (score >= rules.tiers.warm.min) return 'warm'
  return 'cold'
}

/**
 * Sums the points of every rule that applies (in file order), clamps to 0–100, then applies the lowest
 * cap among the flags present; the breakdown lists each applying rule once with its effect.
 */
export function scoreLead(facts: LeadFacts, rules: RulesFile): ScoreResult {
  const matched = rules.rules.filter((rule) => applies(rule, facts))
  const sum = matched.reduce((total, rule) => total + (rule.points ?? 0), 0)
  const uncapped = clamp(sum)
  const capping = matched
    .filter((rule): rule is Extract<ScoringRule, { kind: 'flag' }> & { cap: number } => rule.kind === 'flag' && rule.cap !== undefined)
    .reduce<(ScoringRule & { cap: number }) | undefined>((lowest, rule) => (lowest === undefined || rule.cap < lowest.cap ? rule : lowest), undefined)
  const score = capping === undefined ? uncapped : Math.min(uncapped, capping.cap)
  const breakdown = matched.map((rule) => ({
    rule: rule.id,
    points: (rule.points ?? 0) - (rule === capping ? uncapped - score : 0),
    reason: { en: rule.reason.en, ar: rule.reason.ar },
  }))
  const tier = tierOf(score, rules)
  return { score, tier, stars: rules.tiers[tier].stars, breakdown }
}
