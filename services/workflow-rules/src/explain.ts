// `pnpm hub rules explain <lead id>`: how every rule stands for one lead — whether its condition holds now,
// and for timers when each is due (in the calendar's local time) and whether it already fired or was
// cancelled (its claim in Odoo). Reads only: it never claims, fires or publishes.
import type { Calendar } from './calendar/index.js'
import type { CalendarFor } from './odoo-calendar.js'
import { claimKey, type Claims } from './claims.js'
import { conditionHolds } from './conditions.js'
import type { LeadFacts, OdooRecords, Subject } from './odoo-records.js'
import { isEventRule, type RulesFile, type TimerRule, type WorkflowRule } from './rules.js'
import { dueAt, timerRules } from './timers.js'

/** How one rule stands for one lead. */
export interface RuleStanding {
  readonly rule: WorkflowRule
  /** Whether its condition holds now; undefined when it depends on the tier a future lead.scored.v1 carries. */
  readonly matches: boolean | undefined
  /** Timer rules: the record it counts for and when it is due. */
  readonly subject?: Subject
  readonly due?: Date
  /** `done`: fired or decided (claimed in Odoo); `due`: waiting for the next sweep; `pending`: not yet due. */
  readonly state?: 'done' | 'due' | 'pending'
}

export interface Explanation {
  readonly lead: LeadFacts
  readonly calendar: Calendar
  readonly rules: readonly RuleStanding[]
}

export interface ExplainDeps {
  readonly rules: RulesFile
  readonly records: OdooRecords
  readonly claims: Claims
  readonly calendar: CalendarFor
  readonly now: () => Date
}

/** Every rule as it stands for the lead; undefined when Odoo has no such lead. */
export async function explainLead(deps: ExplainDeps, leadId: number): Promise<Explanation | undefined> {
  const { rules, records, claims } = deps
  const lead = await records.lead(leadId)
  if (lead === undefined) return undefined
  const calendar = await deps.calendar(lead.team)
  const orderRules = timerRules(rules, 'order.quotation_sent')
  const orders = orderRules.length === 0 ? [] : await records.quotationsOfLead(leadId)
  const timers: { rule: WorkflowRule & TimerRule; subject: Subject; due: Date }[] = timerRules(rules, 'lead.created').map((rule) => ({ rule, subject: lead, due: dueAt(rule, rules, calendar, lead.createdAt) }))
  for (const order of orders) {
    const orderCalendar = await deps.calendar(order.team)
    for (const rule of orderRules) timers.push({ rule, subject: order, due: dueAt(rule, rules, orderCalendar, order.sentAt) })
  }
  const eventKeys = rules.rules.filter(isEventRule).map((rule) => claimKey(rule.id, lead))
  const claimed = await claims.existing([...timers.map((timer) => claimKey(timer.rule.id, timer.subject)), ...eventKeys])
  const at = deps.now().getTime()
  const standings: RuleStanding[] = []
  for (const rule of rules.rules) {
    const { tier, ...rest } = rule.trigger.when ?? {}
    const matches = conditionHolds(rest, lead) ? (tier === undefined ? true : undefined) : false
    if (isEventRule(rule)) {
      standings.push({ rule, matches, ...(claimed.has(claimKey(rule.id, lead)) ? { state: 'done' as const } : {}) })
      continue
    }
    for (const timer of timers.filter((candidate) => candidate.rule.id === rule.id)) {
      const state = claimed.has(claimKey(rule.id, timer.subject)) ? 'done' : timer.due.getTime() <= at ? 'due' : 'pending'
      standings.push({ rule, matches, subject: timer.subject, due: timer.due, state })
    }
  }
  return { lead, calendar, rules: standings }
}

/** The explanation as the operator reads it: one line per rule (per quotation for quotation timers). */
export function formatExplanation(explanation: Explanation): string[] {
  const { lead, calendar } = explanation
  const lines = [`lead ${lead.id}: created ${calendar.formatLocal(lead.createdAt)}${lead.stage === undefined ? '' : `, stage ${lead.stage}`}${lead.team === undefined ? '' : `, team ${lead.team}`}`]
  for (const standing of explanation.rules) {
    const { rule } = standing
    const condition = standing.matches === false ? 'condition does not hold' : standing.matches === undefined ? 'matches when its tier does' : 'condition holds'
    if ('events' in rule.trigger) {
      lines.push(`${rule.id}: on ${rule.trigger.events.join(', ')}; ${condition}${standing.state === 'done' ? '; already fired' : ''}`)
      continue
    }
    const on = standing.subject?.model === 'sale.order' ? ` (quotation ${standing.subject.name})` : ''
    const state = standing.state === 'done' ? 'fired or cancelled' : standing.state === 'due' ? 'due: fires at the next sweep' : 'pending'
    lines.push(`${rule.id}${on}: timer due ${calendar.formatLocal(standing.due as Date)}; ${condition}; ${state}${rule.trigger.unless === undefined ? '' : ` (unless ${rule.trigger.unless})`}`)
  }
  return lines
}
