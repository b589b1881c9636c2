// The rules engine: fires a rule on a record exactly once (claim in Odoo → actions → claim done), evaluates
// event rules on a lead, and sweeps Odoo for due timers. A sweep reads the recent leads and sent quotations,
// computes every timer's due time with the calendar, skips the keys already claimed, checks the rule's
// `unless` in Odoo at the due time (a response cancels the timer: its key is claimed as decided), and fires
// the rest; it also retakes firings a crash interrupted. Any replica may sweep at any time: the claims decide.
import type { Logger, Metrics } from '@gassistant/runtime'
import { createActions, type ActionDeps, type Firing } from './actions.js'
import { claimKey, retryKey, type Claims } from './claims.js'
import { conditionHolds } from './conditions.js'
import type { CalendarFor } from './odoo-calendar.js'
import type { LeadFacts, OdooRecords, Subject } from './odoo-records.js'
import { isEventRule, type EventRule, type RulesFile, type TimerRule, type WorkflowRule } from './rules.js'
import { dueAt, timerRules } from './timers.js'

export interface EngineDeps extends ActionDeps {
  readonly rules: RulesFile
  readonly records: OdooRecords
  readonly claims: Claims
  readonly calendar: CalendarFor
  readonly log: Logger
  readonly metrics?: Metrics
  readonly now: () => Date
  /** How far back a sweep looks for leads and quotations whose timers may be pending. */
  readonly lookbackMs: number
  /** A claim not done after this long is a firing a crash interrupted: it is retaken. */
  readonly leaseMs: number
}

export interface PendingTimer {
  readonly rule: TimerRule
  readonly subject: Subject
  readonly key: string
  readonly due: Date
}

export interface SweepResult {
  readonly fired: number
  readonly cancelled: number
  readonly pending: number
  /** Due timers another replica claimed first. */
  readonly lost: number
  /** The earliest due time among the pending timers: the next sweep need not wait longer. */
  readonly nextDue?: Date
}

export interface Engine {
  /** Event rules for `type` on a lead; resolves once every matching rule fired (or was already claimed). */
  onLeadEvent(type: string, leadId: number, opts?: { tier?: string; correlationId?: string }): Promise<{ fired: string[] }>
  sweep(): Promise<SweepResult>
}

const FIRING_CONCURRENCY = 4
/** Interrupted firings are looked for among the last day's claims: a sweep reads their names every time. */
const RETAKE_WINDOW_MS = 86_400_000

export function createEngine(deps: EngineDeps): Engine {
  const { rules, records, claims, log, now } = deps
  const act = createActions(deps)
  const fired = deps.metrics?.counter({ name: 'workflow_rules_fired_total', help: 'Rule actions taken, by rule, action and outcome', labelNames: ['rule', 'action', 'outcome'] })
  const decided = deps.metrics?.counter({ name: 'workflow_timers_decided_total', help: 'Due timers decided, by rule and outcome (fired, cancelled, claimed elsewhere)', labelNames: ['rule', 'outcome'] })
  const pendingGauge = deps.metrics?.gauge({ name: 'workflow_timers_pending', help: 'Timers not yet due, as of the last sweep' })
  const lateness = deps.metrics?.histogram({ name: 'workflow_timer_lateness_seconds', help: 'Seconds between a timer’s due time and its firing', buckets: [1, 5, 15, 30, 60, 120, 300] })

  /** Runs every action of the firing, then records its claim done. */
  async function runActions(firing: Firing): Promise<void> {
    for (const [index, action] of firing.rule.actions.entries()) {
      const outcome = await act(firing, action, index)
      fired?.inc({ rule: firing.rule.id, action: action.kind, outcome })
      if (outcome === 'skipped') log.warn({ rule: firing.rule.id, action: action.kind, key: firing.key }, 'rule action skipped: no one to give it to')
    }
    await claims.done(firing.key, firing.subject)
  }

  /** Claims the key and acts; false when it was held already (another replica, a redelivery, a restart). */
  async function fire(rule: WorkflowRule, subject: Subject, key: string, extra: { due?: Date; correlationId?: string } = {}): Promise<boolean> {
    if (!(await claims.take(key, subject))) return false
    await runActions({ rule, subject, key, firedAt: now(), retry: false, calendar: await deps.calendar(subject.team), ...extra })
    return true
  }

  /** Firings a crash left half done: retaken once (under `<key>.retry`), each action looking for its own trace first. */
  async function retakeInterrupted(): Promise<void> {
    const at = now().getTime()
    for (const claim of await claims.interrupted(new Date(at - RETAKE_WINDOW_MS), new Date(at - deps.leaseMs))) {
      const ruleId = claim.key.slice(0, claim.key.indexOf('.'))
      const rule = rules.rules.find((candidate) => candidate.id === ruleId)
      const subject = rule === undefined ? undefined : claim.subject.model === 'crm.lead' ? await records.lead(claim.subject.id) : await records.order(claim.subject.id)
      if (rule === undefined || subject === undefined) continue
      if (!(await claims.take(retryKey(claim.key), subject))) continue
      await runActions({ rule, subject, key: claim.key, firedAt: now(), retry: true, calendar: await deps.calendar(subject.team) })
      log.warn({ rule: rule.id, key: claim.key }, 'interrupted rule firing completed')
    }
  }

  async function candidates(): Promise<PendingTimer[]> {
    const since = new Date(now().getTime() - deps.lookbackMs)
    const out: PendingTimer[] = []
    const leadRules = timerRules(rules, 'lead.created')
    if (leadRules.length > 0) {
      for (const lead of await records.leadsCreatedSince(since)) {
        const cal = await deps.calendar(lead.team)
        for (const rule of leadRules) out.push({ rule, subject: lead, key: claimKey(rule.id, lead), due: dueAt(rule, rules, cal, lead.createdAt) })
      }
    }
    const orderRules = timerRules(rules, 'order.quotation_sent')
    if (orderRules.length > 0) {
      for (const order of await records.quotationsSentSince(since)) {
        const cal = await deps.calendar(order.team)
        for (const rule of orderRules) out.push({ rule, subject: order, key: claimKey(rule.id, order), due: dueAt(rule, rules, cal, order.sentAt) })
      }
    }
    return out
  }

  /** Whether a due timer still applies: its condition on the lead, then its `unless` checked in Odoo now. */
  async function stillApplies(timer: PendingTimer): Promise<'fire' | 'cancel' | 'skip'> {
    const { rule, subject } = timer
    if (rule.trigger.when !== undefined) {
      const lead = subject.model === 'crm.lead' ? (subject as LeadFacts) : subject.leadId === undefined ? undefined : await records.lead(subject.leadId)
      if (lead === undefined || !conditionHolds(rule.trigger.when, lead)) return 'skip'
    }
    if (rule.trigger.unless === 'first-response' && subject.model === 'crm.lead' && await records.firstResponse(subject as LeadFacts)) return 'cancel'
    if (rule.trigger.unless === 'order-confirmed' && subject.model === 'sale.order' && (await records.orderState(subject.id)) !== 'sent') return 'cancel'
    return 'fire'
  }

  return {
    async onLeadEvent(type, leadId, opts = {}) {
      const matching = rules.rules.filter((rule): rule is EventRule => isEventRule(rule) && (rule.trigger.events as readonly string[]).includes(type))
      if (matching.length === 0) return { fired: [] }
      const lead = await records.lead(leadId)
      if (lead === undefined) return { fired: [] }
      const done: string[] = []
      for (const rule of matching) {
        if (!conditionHolds(rule.trigger.when, lead, opts.tier)) continue
        if (await fire(rule, lead, claimKey(rule.id, lead), opts.correlationId === undefined ? {} : { correlationId: opts.correlationId })) done.push(rule.id)
      }
      return { fired: done }
    },

    async sweep() {
      await retakeInterrupted()
      const all = await candidates()
      const claimed = await claims.existing(all.map((timer) => timer.key))
      const open = all.filter((timer) => !claimed.has(timer.key))
      const at = now()
      const due = open.filter((timer) => timer.due.getTime() <= at.getTime()).sort((a, b) => a.due.getTime() - b.due.getTime())
      const pending = open.length - due.length
      const nextDue = open.reduce<Date | undefined>((earliest, timer) => (timer.due.getTime() > at.getTime() && (earliest === undefined || timer.due < earliest) ? timer.due : earliest), undefined)
      pendingGauge?.set(pending)
      let firedCount = 0
      let cancelled = 0
      let lost = 0
      async function decide(timer: PendingTimer): Promise<void> {
        const verdict = await stillApplies(timer)
        if (verdict === 'skip') return
        if (verdict === 'cancel') {
          if (await claims.take(timer.key, timer.subject)) {
            await claims.done(timer.key, timer.subject)
            cancelled += 1
            decided?.inc({ rule: timer.rule.id, outcome: 'cancelled' })
            log.info({ rule: timer.rule.id, key: timer.key, [`${timer.subject.model === 'crm.lead' ? 'lead' : 'order'}_id`]: timer.subject.id }, 'timer cancelled: answered in time')
          }
          return
        }
        const won = await fire(timer.rule, timer.subject, timer.key, { due: timer.due })
        decided?.inc({ rule: timer.rule.id, outcome: won ? 'fired' : 'claimed-elsewhere' })
        if (!won) {
          lost += 1
          return
        }
        firedCount += 1
        const lateMs = now().getTime() - timer.due.getTime()
        lateness?.observe(lateMs / 1000)
        log.info({ rule: timer.rule.id, key: timer.key, due: timer.due.toISOString(), lateness_ms: lateMs }, 'timer fired')
      }
      // A few at a time, oldest due first: Odoo answers each call in tens of milliseconds, and the claims make
      // concurrent firings safe. A record's rules run in order (the escalation after the first reminder).
      const byRecord = new Map<string, PendingTimer[]>()
      for (const timer of due) {
        const record = `${timer.subject.model}:${timer.subject.id}`
        byRecord.set(record, [...(byRecord.get(record) ?? []), timer])
      }
      const queue = [...byRecord.values()]
      await Promise.all(Array.from({ length: Math.min(FIRING_CONCURRENCY, queue.length) }, async () => {
        for (let timers = queue.shift(); timers !== undefined; timers = queue.shift()) for (const timer of timers) await decide(timer)
      }))
      return { fired: firedCount, cancelled, pending, lost, ...(nextDue === undefined ? {} : { nextDue }) }
    },
  }
}
