// The pure scoring function: what the hub knows about a lead, and the rules file, give a 0–100 score, a
// tier and the breakdown a rep reads (each rule that applied, its effect on the score, its reason in
// Arabic and English). No I/O, so the same inputs always give the same result (the service relies on it
// to write nothing when nothing changed).
import type { RulesFile, ScoringRule } from './rules.js'
import { containsWords, normalise, parseAmount } from './text-match.js'

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
  /** For each inbound WhatsApp message logged on the lead after the one that created it: minutes after the lead's creation. */
  readonly whatsappMinutesAfterLead?: readonly number[] | undefined
  /** The form's answers that have no Odoo field of their own, as the lead-processor kept them. */
  readonly answers?: readonly FormAnswer[] | undefined
  /** Odoo's predictive probability (0–100), only when Odoo has computed one for this lead. */
  readonly odooProbability?: number | undefined
}

export interface FormAnswer {
  readonly question: string
  readonly answer: string
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

function answerMatches(rule: Extract<ScoringRule, { kind: 'answer' }>, facts: LeadFacts): boolean {
  const questions = new Set(rule.question.map(normalise))
  return (facts.answers ?? []).some(({ question, answer }) => {
    if (!questions.has(normalise(question))) return false
    if (rule.anyOf !== undefined && !rule.anyOf.some((word) => normalise(word) === normalise(answer))) return false
    if (rule.contains !== undefined && !rule.contains.some((phrase) => containsWords(answer, phrase))) return false
    if (rule.atLeast === undefined && rule.below === undefined) return true
    const amount = parseAmount(answer)
    return amount !== undefined && (rule.atLeast === undefined || amount >= rule.atLeast) && (rule.below === undefined || amount < rule.below)
  })
}

function engaged(rule: Extract<ScoringRule, { kind: 'engagement' }>, facts: LeadFacts): boolean {
  const within = rule.withinMinutes
  const counted = (facts.whatsappMinutesAfterLead ?? []).filter((minutes) => within === undefined || minutes <= within)
  return counted.length >= (rule.atLeast ?? 1)
}

/** Whether a rule applies to the lead (flag rules with a cap are handled after the sum). */
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
    case 'engagement':
      return engaged(rule, facts)
    case 'answer':
      return answerMatches(rule, facts)
    case 'odoo-probability':
      return facts.odooProbability !== undefined
  }
}

/** What a rule that applies adds before caps: its points, or its weight times Odoo's probability. */
function pointsOf(rule: ScoringRule, facts: LeadFacts): number {
  if (rule.kind === 'odoo-probability') return Math.round(rule.weight * (facts.odooProbability ?? 0))
  return rule.points ?? 0
}

/** The rule's reason; `{probability}` becomes Odoo's percentage. */
function reasonOf(rule: ScoringRule, facts: LeadFacts): { en: string; ar: string } {
  if (rule.kind !== 'odoo-probability') return { en: rule.reason.en, ar: rule.reason.ar }
  const percent = String(Math.round(facts.odooProbability ?? 0))
  return { en: rule.reason.en.replaceAll('{probability}', percent), ar: rule.reason.ar.replaceAll('{probability}', percent) }
}

/** The breakdown entry of the 0–100 range; no rule of the file may use this id. */
export const RANGE_RULE = 'score-range'
const RANGE_REASON = { en: 'The score stays within 0–100', ar: 'التقييم لا يتجاوز النطاق من ٠ إلى ١٠٠' }

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
  const sum = matched.reduce((total, rule) => total + pointsOf(rule, facts), 0)
  const uncapped = clamp(sum)
  const capping = matched
    .filter((rule): rule is Extract<ScoringRule, { kind: 'flag' }> & { cap: number } => rule.kind === 'flag' && rule.cap !== undefined)
    .reduce<(ScoringRule & { cap: number }) | undefined>((lowest, rule) => (lowest === undefined || rule.cap < lowest.cap ? rule : lowest), undefined)
  const score = capping === undefined ? uncapped : Math.min(uncapped, capping.cap)
  const breakdown = matched.map((rule) => ({
    rule: rule.id,
    points: pointsOf(rule, facts) - (rule === capping ? uncapped - score : 0),
    reason: reasonOf(rule, facts),
  }))
  // What the 0–100 range took off (or added back), so a rep's breakdown always adds up to the score.
  if (uncapped !== sum) breakdown.push({ rule: RANGE_RULE, points: uncapped - sum, reason: RANGE_REASON })
  const tier = tierOf(score, rules)
  return { score, tier, stars: rules.tiers[tier].stars, breakdown }
}
