// The actions a rule takes on its record: an Odoo activity, a notification request (notification.requested.v1
// for the notifier), a round-robin salesperson, a tag. Each is safe to run again for the same claim key (a
// retried firing after a crash): the activity is looked for first, the notification carries a dedupe key the
// notifier honours, an assignment already made is kept, and a tag is added at most once.
import type { Bus } from '@gassistant/bus'
import { createEvent } from '@gassistant/contracts'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger } from '@gassistant/runtime'
import { DateTime } from 'luxon'
import type { Calendar } from './calendar/index.js'
import type { LeadFacts, OdooRecords, Subject } from './odoo-records.js'
import type { AssigneeSpec, RuleAction, WorkflowRule } from './rules.js'

export const SOURCE = '/workflow-rules'

/** One firing of a rule on a record. */
export interface Firing {
  readonly rule: WorkflowRule
  readonly subject: Subject | LeadFacts
  /** The claim key: (rule, record, occurrence). */
  readonly key: string
  readonly firedAt: Date
  /** When the timer was due (timer rules). */
  readonly due?: Date
  /** A retried firing (the first run was interrupted): look for what it already did. */
  readonly retry: boolean
  /** The record's team's working calendar. */
  readonly calendar: Calendar
  readonly correlationId?: string
}

export interface ActionDeps {
  readonly odoo: OdooClient
  readonly records: OdooRecords
  readonly bus: Bus
  readonly log: Logger
}

export type ActionOutcome = 'done' | 'skipped'

/** Unicode first-strong isolate: an Arabic lead name keeps its direction inside an English sentence. */
const isolate = (text: string): string => `\u2068${text}\u2069`
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
/** Users Odoo shows as away (presence) or on time off (hr_holidays' leave_* states) get no new leads. */
const isAway = (status: unknown): boolean => typeof status === 'string' && (status === 'away' || status.startsWith('leave'))

export function createActions(deps: ActionDeps): (firing: Firing, action: RuleAction, index: number) => Promise<ActionOutcome> {
  const { odoo, records, bus, log } = deps
  const activityTypes = new Map<string, number>()

  async function activityType(name: string): Promise<number> {
    let id = activityTypes.get(name)
    if (id === undefined) {
      id = (await odoo.executeKw<[string, number]>('ir.model.data', 'check_object_reference', ['mail', `mail_activity_data_${name}`]))[1]
      activityTypes.set(name, id)
    }
    return id
  }

  async function assignee(spec: AssigneeSpec, subject: Subject): Promise<number | undefined> {
    if (spec === 'salesperson') return subject.userId
    if (spec === 'team-leader') {
      const teamId = subject.teamId ?? (subject.leadId === undefined ? undefined : (await records.lead(subject.leadId))?.teamId)
      return teamId === undefined ? undefined : records.teamLeader(teamId)
    }
    return records.userByLogin(spec.login)
  }

  function render(text: string, firing: Firing): string {
    const subject = firing.subject
    const revenue = 'expectedRevenue' in subject ? subject.expectedRevenue.toLocaleString('en-US') : ''
    return text
      .replaceAll('{lead}', isolate(subject.name))
      .replaceAll('{leadId}', String(subject.leadId ?? subject.id))
      .replaceAll('{revenue}', revenue)
      .replaceAll('{due}', firing.due === undefined ? '' : firing.calendar.formatLocal(firing.due))
  }

  async function activity(firing: Firing, action: Extract<RuleAction, { kind: 'activity' }>): Promise<ActionOutcome> {
    const { subject } = firing
    const userId = await assignee(action.assignee, subject)
    if (userId === undefined) return 'skipped'
    if (firing.retry) {
      const existing = await odoo.searchCount('mail.activity', [['res_model', '=', subject.model], ['res_id', '=', subject.id], ['summary', '=', action.summary], ['user_id', '=', userId]])
      if (existing > 0) return 'done'
    }
    const { calendar } = firing
    const deadline = action.deadline?.workingDays !== undefined
      ? calendar.addWorkingDays(firing.firedAt, action.deadline.workingDays)
      : calendar.addWorkingHours(firing.firedAt, action.deadline?.workingHours ?? 0)
    // An activity's deadline is a date (Odoo 17): the due minute goes into the note.
    const date = DateTime.fromJSDate(deadline, { zone: calendar.spec.timeZone }).toISODate() as string
    const due = firing.due === undefined ? '' : `<p>Due ${escapeHtml(calendar.formatLocal(firing.due))} (rule ${escapeHtml(firing.rule.id)}).</p>`
    await odoo.createActivity({
      model: subject.model,
      resId: subject.id,
      activityTypeId: await activityType(action.activityType),
      summary: action.summary,
      note: `${action.note === undefined ? '' : `<p>${escapeHtml(action.note)}</p>`}${due}`,
      dateDeadline: date,
      userId,
    })
    return 'done'
  }

  async function notify(firing: Firing, action: Extract<RuleAction, { kind: 'notify' }>, index: number): Promise<ActionOutcome> {
    let recipient: { userEmail: string } | { channel: string }
    if (typeof action.to === 'object' && 'channel' in action.to) recipient = { channel: action.to.channel }
    else {
      const userId = await assignee(action.to, firing.subject)
      const email = userId === undefined ? undefined : await records.userEmail(userId)
      if (email === undefined) return 'skipped'
      recipient = { userEmail: email }
    }
    const dedupeKey = `workflow-rules:${firing.key}:${index}`
    const leadId = firing.subject.leadId
    await bus.publish(createEvent({
      type: 'notification.requested.v1',
      source: SOURCE,
      id: dedupeKey,
      subject: leadId === undefined ? `order:${firing.subject.id}` : `lead:${leadId}`,
      ...(firing.correlationId === undefined ? {} : { correlationId: firing.correlationId }),
      data: { dedupeKey, channel: 'slack', recipient, text: render(action.text, firing), ruleId: firing.rule.id, ...(leadId === undefined ? {} : { leadId }) },
    }))
    return 'done'
  }

  /** Round-robin in the team: the member after the one who got the team's latest lead, skipping away users. */
  async function assign(firing: Firing, action: Extract<RuleAction, { kind: 'assign' }>): Promise<ActionOutcome> {
    const { subject } = firing
    if (subject.model !== 'crm.lead') return 'skipped'
    const [team] = action.team === undefined
      ? await odoo.searchRead<{ id: number; member_ids: number[] }>('crm.team', [['id', '=', subject.teamId ?? 0]], { fields: ['member_ids'], limit: 1 })
      : await odoo.searchRead<{ id: number; member_ids: number[] }>('crm.team', [['name', '=', action.team]], { fields: ['member_ids'], limit: 1 })
    if (team === undefined || team.member_ids.length === 0) return 'skipped'
    const members = [...team.member_ids].sort((a, b) => a - b)
    if (firing.retry && subject.userId !== undefined && members.includes(subject.userId)) return 'done'
    const users = await odoo.read<{ id: number; im_status?: unknown }>('res.users', members, ['im_status'])
    const available = new Set(users.filter((user) => !isAway(user.im_status)).map((user) => user.id))
    if (available.size === 0) return 'skipped'
    const [latest] = await odoo.searchRead<{ user_id: [number, string] | false }>('crm.lead', [['team_id', '=', team.id], ['user_id', 'in', members], ['id', '!=', subject.id]], { fields: ['user_id'], order: 'create_date desc, id desc', limit: 1 })
    const previous = Array.isArray(latest?.user_id) ? latest.user_id[0] : undefined
    const start = previous === undefined ? 0 : members.indexOf(previous) + 1
    const next = [...members.slice(start), ...members.slice(0, start)].find((id) => available.has(id)) as number
    await odoo.write('crm.lead', [subject.id], { user_id: next, team_id: team.id })
    log.info({ lead_id: subject.id, rule: firing.rule.id, user_id: next }, 'lead assigned round-robin')
    return 'done'
  }

  async function tag(firing: Firing, action: Extract<RuleAction, { kind: 'tag' }>): Promise<ActionOutcome> {
    const leadId = firing.subject.leadId
    if (leadId === undefined) return 'skipped'
    await odoo.write('crm.lead', [leadId], { tag_ids: [[4, await odoo.refs.tag(action.tag), 0]] })
    return 'done'
  }

  return async (firing, action, index) => {
    switch (action.kind) {
      case 'activity': return activity(firing, action)
      case 'notify': return notify(firing, action, index)
      case 'assign': return assign(firing, action)
      case 'tag': return tag(firing, action)
    }
  }
}
