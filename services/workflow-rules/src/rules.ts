// The workflow rules file: its TypeBox schema and the loader that validates it at start, so a bad file stops
// the service (and `pnpm hub rules check`) with one line naming the rule (index and id) and the field. JSON; the
// default ships in rules/default.json. A rule is a trigger (events with a condition on the lead, or a timer
// after an anchor counted in working time) and the actions it takes.
import { readFile } from 'node:fs/promises'
import { ConfigError, schemaProblem } from '@gassistant/runtime'
import Type, { type Static, type TSchema } from 'typebox'
import { CalendarError, createCalendar, type Calendar, type CalendarSpec } from './calendar/index.js'

/** Rule ids become part of Odoo external ids: no spaces, no dots. */
const RuleId = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 60 })
const Text = Type.String({ minLength: 1 })
const Names = Type.Array(Text, { minItems: 1 })
const Hours = Type.Array(Type.Tuple([Type.String(), Type.String()]))
const Week = Type.Object({
  mon: Type.Optional(Hours), tue: Type.Optional(Hours), wed: Type.Optional(Hours), thu: Type.Optional(Hours),
  fri: Type.Optional(Hours), sat: Type.Optional(Hours), sun: Type.Optional(Hours),
}, { additionalProperties: false })
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

/** A calendar written out in the file, or Odoo's company working calendar (resource.calendar) read at start. */
const WrittenCalendar = Type.Object({
  timeZone: Text,
  week: Week,
  periods: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Text), from: LocalDate, to: LocalDate, week: Week }, { additionalProperties: false }))),
  holidays: Type.Optional(Type.Array(Type.Union([LocalDate, Type.Object({ name: Type.Optional(Text), from: LocalDate, to: LocalDate }, { additionalProperties: false })]))),
}, { additionalProperties: false })
const CalendarConfig = Type.Union([WrittenCalendar, Type.Object({ fromOdoo: Type.Literal(true) }, { additionalProperties: false })])

/** Every condition given must hold; names compare case-insensitively. */
const Condition = Type.Object({
  /** The score tier; only on lead.scored.v1 (the tier lives in that event). */
  tier: Type.Optional(Type.Array(Type.Union([Type.Literal('hot'), Type.Literal('warm'), Type.Literal('cold')]), { minItems: 1 })),
  /** Where the lead came from (the lead-processor's channel tag). */
  channel: Type.Optional(Type.Array(Type.Union([Type.Literal('meta'), Type.Literal('whatsapp'), Type.Literal('form')]), { minItems: 1 })),
  /** utm.source names. */
  source: Type.Optional(Names),
  /** The lead has at least one of these tags. */
  tags: Type.Optional(Names),
  /** crm.stage names. */
  stage: Type.Optional(Names),
  /** crm.team names. */
  team: Type.Optional(Names),
  expectedRevenue: Type.Optional(Type.Object({ atLeast: Type.Optional(Type.Number({ minimum: 0 })), below: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false, minProperties: 1 })),
}, { additionalProperties: false })

/** The lead events a rule may name (inbound.odoo.order.v1 starts quotation timers instead). */
const EventTrigger = Type.Object({
  events: Type.Array(Type.Union([Type.Literal('lead.synced.v1'), Type.Literal('lead.scored.v1'), Type.Literal('inbound.odoo.lead.v1')]), { minItems: 1 }),
  when: Type.Optional(Condition),
}, { additionalProperties: false })

/** What a timer counts from: a lead's creation, a quotation sent (its order), or another timer rule's due time. */
export const ANCHORS = ['lead.created', 'order.quotation_sent'] as const
const TimerTrigger = Type.Object({
  timer: Type.Object({
    after: Text,
    workingHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    workingDays: Type.Optional(Type.Integer({ minimum: 1 })),
  }, { additionalProperties: false }),
  /** Checked in Odoo when the timer is due: when it holds, the timer is cancelled instead of firing. */
  unless: Type.Optional(Type.Union([Type.Literal('first-response'), Type.Literal('order-confirmed')])),
  when: Type.Optional(Condition),
}, { additionalProperties: false })

/** The lead's salesperson, its team's leader, or a named Odoo user (login). */
const Assignee = Type.Union([Type.Literal('salesperson'), Type.Literal('team-leader'), Type.Object({ login: Text }, { additionalProperties: false })])
const Delay = Type.Object({ workingHours: Type.Optional(Type.Number({ minimum: 0 })), workingDays: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false })

const ActivityAction = Type.Object({
  kind: Type.Literal('activity'),
  /** mail.activity.type by its mail xml id: mail_activity_data_<type>. */
  activityType: Type.Union([Type.Literal('todo'), Type.Literal('call'), Type.Literal('email'), Type.Literal('meeting')]),
  summary: Text,
  note: Type.Optional(Text),
  assignee: Assignee,
  /** From the moment the rule fires; the activity's date is that instant's local date (default: the same day). */
  deadline: Type.Optional(Delay),
}, { additionalProperties: false })

const NotifyAction = Type.Object({
  kind: Type.Literal('notify'),
  to: Type.Union([Assignee, Type.Object({ channel: Text }, { additionalProperties: false })]),
  /** English; `{lead}` is the lead's name (isolated for bidi), `{leadId}` its id, `{due}` the local due time. */
  text: Text,
}, { additionalProperties: false })

const AssignAction = Type.Object({
  kind: Type.Literal('assign'),
  /** Round-robin among this crm.team's members, skipping users marked away; unset: the lead's own team. */
  team: Type.Optional(Text),
}, { additionalProperties: false })

const TagAction = Type.Object({ kind: Type.Literal('tag'), tag: Text }, { additionalProperties: false })

const Action = Type.Union([ActivityAction, NotifyAction, AssignAction, TagAction])
const ACTION_KINDS: Record<string, TSchema> = { activity: ActivityAction, notify: NotifyAction, assign: AssignAction, tag: TagAction }

const Rule = Type.Object({
  id: RuleId,
  description: Type.Optional(Text),
  trigger: Type.Union([EventTrigger, TimerTrigger]),
  actions: Type.Array(Action, { minItems: 1 }),
}, { additionalProperties: false })

export const RulesFile = Type.Object({
  calendar: CalendarConfig,
  /** A calendar of its own for a team (crm.team name, case-insensitive); other teams use `calendar`. */
  teamCalendars: Type.Optional(Type.Record(Type.String({ minLength: 1 }), WrittenCalendar)),
  rules: Type.Array(Rule, { minItems: 1 }),
}, { additionalProperties: false })

export type RulesFile = Static<typeof RulesFile>
export type WorkflowRule = RulesFile['rules'][number]
export type RuleAction = WorkflowRule['actions'][number]
export type RuleCondition = Static<typeof Condition>
export type EventRule = WorkflowRule & { readonly trigger: Static<typeof EventTrigger> }
export type TimerRule = WorkflowRule & { readonly trigger: Static<typeof TimerTrigger> }
export type AssigneeSpec = Static<typeof Assignee>
export type CalendarConfig = Static<typeof CalendarConfig>

export const isTimerRule = (rule: WorkflowRule): rule is TimerRule => 'timer' in rule.trigger
export const isEventRule = (rule: WorkflowRule): rule is EventRule => 'events' in rule.trigger

/** A rules file that cannot be used; the message names the rule (index and id) and the field. */
export class RulesError extends Error {
  readonly code = 'RULES_INVALID'
  constructor(message: string) {
    super(message)
    this.name = 'RulesError'
  }
}

export const RULES_VARIABLE = 'WORKFLOW_RULES_FILE'
export const DEFAULT_RULES_FILE = new URL('../rules/default.json', import.meta.url)

/** The first problem of one rule, checked part by part so the message names the precise field. */
function ruleProblem(rule: unknown): string | undefined {
  const value = (rule ?? {}) as { trigger?: unknown; actions?: unknown }
  const trigger = value.trigger as Record<string, unknown> | undefined
  if (trigger !== undefined && typeof trigger === 'object') {
    const schema = 'timer' in trigger ? TimerTrigger : 'events' in trigger ? EventTrigger : undefined
    if (schema === undefined) return 'trigger needs events or timer'
    const problem = schemaProblem(schema, trigger)?.text
    if (problem !== undefined) return `trigger.${problem}`
  }
  if (Array.isArray(value.actions)) {
    for (const [index, action] of value.actions.entries()) {
      const kind = (action as { kind?: unknown } | null)?.kind
      const schema = typeof kind === 'string' ? ACTION_KINDS[kind] : undefined
      if (schema === undefined) return `actions.${index}.kind must be one of ${Object.keys(ACTION_KINDS).join(', ')}`
      const problem = schemaProblem(schema, action)?.text
      if (problem !== undefined) return `actions.${index}.${problem}`
    }
  }
  const problem = schemaProblem(Rule, rule)
  if (problem?.keyword === 'pattern' && problem.field === 'id') return 'id must be lower-case letters, digits, - or _'
  return problem?.text
}

function describeRule(rules: unknown[], index: number): string {
  const id = (rules[index] as { id?: unknown } | undefined)?.id
  return typeof id === 'string' ? `rule ${index} ("${id}")` : `rule ${index}`
}

/** Checks what the schema cannot: unique ids, anchors that exist without cycles, and per-trigger limits. */
function checkMeaning(file: RulesFile): void {
  const byId = new Map<string, WorkflowRule>()
  file.rules.forEach((rule, index) => {
    const where = `rule ${index} ("${rule.id}")`
    if (byId.has(rule.id)) throw new RulesError(`${where}: id is used by an earlier rule`)
    byId.set(rule.id, rule)
    if (isTimerRule(rule)) {
      const { timer } = rule.trigger
      if ((timer.workingHours === undefined) === (timer.workingDays === undefined)) throw new RulesError(`${where}: trigger.timer needs exactly one of workingHours, workingDays`)
      if (rule.trigger.when?.tier !== undefined) throw new RulesError(`${where}: trigger.when.tier is only known on events lead.scored.v1`)
    } else if (isEventRule(rule) && rule.trigger.when?.tier !== undefined && rule.trigger.events.some((type: string) => type !== 'lead.scored.v1')) {
      throw new RulesError(`${where}: trigger.when.tier is only known on events lead.scored.v1`)
    }
    rule.actions.forEach((action, actionIndex) => {
      if (action.kind === 'activity' && action.deadline !== undefined && action.deadline.workingHours !== undefined && action.deadline.workingDays !== undefined) {
        throw new RulesError(`${where}: actions.${actionIndex}.deadline needs one of workingHours, workingDays, not both`)
      }
    })
  })
  file.rules.forEach((rule, index) => {
    if (!isTimerRule(rule)) return
    const seen = new Set([rule.id])
    let anchor = rule.trigger.timer.after
    while (!(ANCHORS as readonly string[]).includes(anchor)) {
      const previous = byId.get(anchor)
      if (previous === undefined || !isTimerRule(previous)) {
        throw new RulesError(`rule ${index} ("${rule.id}"): trigger.timer.after must be ${ANCHORS.join(', ')} or the id of a timer rule, not "${anchor}"`)
      }
      if (seen.has(previous.id)) throw new RulesError(`rule ${index} ("${rule.id}"): trigger.timer.after makes a cycle through "${previous.id}"`)
      seen.add(previous.id)
      anchor = previous.trigger.timer.after
    }
  })
}

/** Validates a parsed rules file; throws RulesError naming the rule and the field. */
export function parseRules(value: unknown): RulesFile {
  const rules = (value as { rules?: unknown } | null)?.rules
  if (Array.isArray(rules)) {
    rules.forEach((rule, index) => {
      const problem = ruleProblem(rule)
      if (problem !== undefined) throw new RulesError(`${describeRule(rules, index)}: ${problem}`)
    })
  }
  const calendar = (value as { calendar?: unknown } | null)?.calendar
  if (calendar !== null && typeof calendar === 'object' && !('fromOdoo' in calendar)) {
    const problem = schemaProblem(WrittenCalendar, calendar)?.text
    if (problem !== undefined) throw new RulesError(`calendar.${problem}`)
  }
  const teams = (value as { teamCalendars?: unknown } | null)?.teamCalendars
  if (teams !== null && typeof teams === 'object') {
    for (const [team, spec] of Object.entries(teams)) {
      const problem = schemaProblem(WrittenCalendar, spec)?.text
      if (problem !== undefined) throw new RulesError(`teamCalendars.${team}.${problem}`)
    }
  }
  const problem = schemaProblem(RulesFile, value)?.text
  if (problem !== undefined) throw new RulesError(problem)
  const file = value as RulesFile
  if (!('fromOdoo' in file.calendar)) calendarOf(file.calendar as CalendarSpec)
  for (const [team, spec] of Object.entries(file.teamCalendars ?? {})) calendarOf(spec as CalendarSpec, `teamCalendars.${team}`)
  checkMeaning(file)
  return file
}

/** A written-out calendar, its problems reported as the rules file's (under `where`). */
export function calendarOf(spec: CalendarSpec, where = 'calendar'): Calendar {
  try {
    return createCalendar(spec)
  } catch (err) {
    if (err instanceof CalendarError) throw new RulesError(`${where}.${err.message}`)
    throw err
  }
}

/** Reads and validates a rules file (JSON); RulesError on a bad one, with the file's own problems only. */
export async function readRules(path: string | URL): Promise<RulesFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new RulesError('cannot be read')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new RulesError('is not valid JSON')
  }
  return parseRules(parsed)
}

/**
 * The service's rules (the shipped default when `path` is unset). Throws ConfigError naming WORKFLOW_RULES_FILE,
 * so the service stops at start with one line (the rule and the field, never the file's text).
 */
export async function loadRules(path?: string): Promise<RulesFile> {
  try {
    return await readRules(path ?? DEFAULT_RULES_FILE)
  } catch (err) {
    if (err instanceof RulesError) throw new ConfigError(RULES_VARIABLE, /^(cannot|is not)/.test(err.message) ? err.message : `is invalid: ${err.message}`)
    throw err
  }
}
