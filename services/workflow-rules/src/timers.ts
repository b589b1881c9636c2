// When each timer rule is due for a record, computed from what Odoo holds (a lead's creation, a quotation's
// sending) and the working-time calendar: nothing about a timer lives only in a process. A rule timed after
// another rule counts from that rule's due time ("then M more hours"). Pure.
import type { Calendar } from './calendar/index.js'
import { isTimerRule, type RulesFile, type TimerRule } from './rules.js'

export type Anchor = 'lead.created' | 'order.quotation_sent'

/** The anchor a timer rule finally counts from (following `after` through other timer rules). */
export function anchorOf(rule: TimerRule, rules: RulesFile): Anchor {
  let current: TimerRule = rule
  for (;;) {
    const after = current.trigger.timer.after
    if (after === 'lead.created' || after === 'order.quotation_sent') return after
    current = rules.rules.find((other): other is TimerRule => other.id === after && isTimerRule(other)) as TimerRule
  }
}

/** The due time of `rule` for a record whose anchor happened at `at`. */
export function dueAt(rule: TimerRule, rules: RulesFile, calendar: Calendar, at: Date): Date {
  const { timer } = rule.trigger
  const after = timer.after
  const from = after === 'lead.created' || after === 'order.quotation_sent'
    ? at
    : dueAt(rules.rules.find((other): other is TimerRule => other.id === after && isTimerRule(other)) as TimerRule, rules, calendar, at)
  return timer.workingDays === undefined ? calendar.addWorkingHours(from, timer.workingHours as number) : calendar.addWorkingDays(from, timer.workingDays)
}

export const timerRules = (rules: RulesFile, anchor: Anchor): TimerRule[] =>
  rules.rules.filter((rule): rule is TimerRule => isTimerRule(rule) && anchorOf(rule, rules) === anchor)
