// A rule's condition on a lead, evaluated on what Odoo holds now (and the tier, which only lead.scored.v1
// carries). Every condition given must hold; names compare case-insensitively. Pure.
import type { LeadFacts } from './odoo-records.js'
import type { RuleCondition } from './rules.js'

/** The lead-processor tags every lead with its channel (as scoring reads it). */
const CHANNEL_OF_TAG: Readonly<Record<string, 'meta' | 'whatsapp' | 'form'>> = { 'meta lead ads': 'meta', whatsapp: 'whatsapp', 'web form': 'form' }

const lower = (text: string): string => text.toLocaleLowerCase('en')
const oneOf = (value: string | undefined, names: readonly string[]): boolean => value !== undefined && names.some((name) => lower(name) === lower(value))

export function conditionHolds(when: RuleCondition | undefined, lead: LeadFacts, tier?: string): boolean {
  if (when === undefined) return true
  if (when.tier !== undefined && (tier === undefined || !when.tier.some((wanted) => wanted === tier))) return false
  if (when.channel !== undefined) {
    const channel = lead.tags.map((tag) => CHANNEL_OF_TAG[lower(tag)]).find((found) => found !== undefined)
    if (channel === undefined || !when.channel.includes(channel)) return false
  }
  if (when.source !== undefined && !oneOf(lead.source, when.source)) return false
  if (when.stage !== undefined && !oneOf(lead.stage, when.stage)) return false
  if (when.team !== undefined && !oneOf(lead.team, when.team)) return false
  if (when.tags !== undefined && !lead.tags.some((tag) => oneOf(tag, when.tags as string[]))) return false
  const revenue = when.expectedRevenue
  if (revenue?.atLeast !== undefined && lead.expectedRevenue < revenue.atLeast) return false
  if (revenue?.below !== undefined && lead.expectedRevenue >= revenue.below) return false
  return true
}
