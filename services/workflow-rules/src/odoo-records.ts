// What the rules read from Odoo, the system of record: a lead's facts (for conditions), the records a timer
// counts from (new leads, quotations sent), whether a salesperson has responded, and the people an action
// names (salesperson, team leader, a login). Reads only; every write lives in actions.ts and claims.ts.
import type { OdooClient } from '@gassistant/odoo'

type Many2one = [number, string] | false

/** A record a rule acts on: a lead, or a quotation (sale.order) with the lead it came from. */
export interface Subject {
  readonly model: 'crm.lead' | 'sale.order'
  readonly id: number
  readonly name: string
  readonly userId?: number
  readonly teamId?: number
  /** The crm.team's name: it picks the working calendar. */
  readonly team?: string
  /** The lead: itself, or the order's opportunity. */
  readonly leadId?: number
}

export interface LeadFacts extends Subject {
  readonly model: 'crm.lead'
  readonly createdAt: Date
  readonly stageId?: number
  readonly stage?: string
  readonly tags: readonly string[]
  readonly source?: string
  readonly expectedRevenue: number
}

export interface QuotationFacts extends Subject {
  readonly model: 'sale.order'
  /** When it was last changed while "Quotation Sent": Odoo keeps no date of the sending itself. */
  readonly sentAt: Date
}

const STAGE_CACHE_MS = 300_000
const LEAD_FIELDS = ['name', 'create_date', 'stage_id', 'team_id', 'user_id', 'tag_ids', 'source_id', 'expected_revenue']
interface LeadRow {
  id: number
  name: string
  create_date: string
  stage_id: Many2one
  team_id: Many2one
  user_id: Many2one
  tag_ids: number[]
  source_id: Many2one
  expected_revenue: number | false
}

/** Odoo datetimes are UTC text without a zone ("2026-12-03 13:30:00", sometimes with microseconds). */
export const odooTime = (text: string): Date => new Date(`${text.slice(0, 19).replace(' ', 'T')}Z`)
export const toOdooTime = (at: Date): string => at.toISOString().slice(0, 19).replace('T', ' ')
const m2oId = (value: Many2one | undefined): number | undefined => (Array.isArray(value) ? value[0] : undefined)
const m2oName = (value: Many2one | undefined): string | undefined => (Array.isArray(value) ? value[1] : undefined)

export interface OdooRecords {
  lead(id: number): Promise<LeadFacts | undefined>
  /** Leads created since `since` (their first-response timers may be pending). */
  leadsCreatedSince(since: Date): Promise<LeadFacts[]>
  /** Quotations in state "sent" changed since `since`. */
  quotationsSentSince(since: Date): Promise<QuotationFacts[]>
  /** The lead's quotations in state "sent". */
  quotationsOfLead(leadId: number): Promise<QuotationFacts[]>
  /** A quotation as a rule's record (its salesperson and lead); undefined when it is gone. */
  order(id: number): Promise<QuotationFacts | undefined>
  /** The order's state now ('draft', 'sent', 'sale', 'cancel'); undefined when it is gone. */
  orderState(id: number): Promise<string | undefined>
  /** The salesperson acted on the lead (stage moved on, an activity done, a message or note by a user other than the hub's). */
  firstResponse(lead: LeadFacts): Promise<boolean>
  teamLeader(teamId: number): Promise<number | undefined>
  userByLogin(login: string): Promise<number | undefined>
  userEmail(userId: number): Promise<string | undefined>
}

export function createOdooRecords(odoo: OdooClient): OdooRecords {
  const tagNames = new Map<number, string>()

  async function toFacts(rows: LeadRow[]): Promise<LeadFacts[]> {
    const unknown = [...new Set(rows.flatMap((row) => row.tag_ids))].filter((id) => !tagNames.has(id))
    if (unknown.length > 0) for (const tag of await odoo.read<{ id: number; name: string }>('crm.tag', unknown, ['name'])) tagNames.set(tag.id, tag.name)
    return rows.map((row) => {
      const userId = m2oId(row.user_id)
      const teamId = m2oId(row.team_id)
      const stageId = m2oId(row.stage_id)
      const stage = m2oName(row.stage_id)
      const team = m2oName(row.team_id)
      const source = m2oName(row.source_id)
      return {
        model: 'crm.lead',
        id: row.id,
        leadId: row.id,
        name: row.name,
        createdAt: odooTime(row.create_date),
        tags: row.tag_ids.flatMap((id) => (tagNames.has(id) ? [tagNames.get(id) as string] : [])),
        expectedRevenue: typeof row.expected_revenue === 'number' ? row.expected_revenue : 0,
        ...(userId === undefined ? {} : { userId }),
        ...(teamId === undefined ? {} : { teamId }),
        ...(team === undefined ? {} : { team }),
        ...(stageId === undefined ? {} : { stageId }),
        ...(stage === undefined ? {} : { stage }),
        ...(source === undefined ? {} : { source }),
      }
    })
  }

  async function orders(domain: unknown[]): Promise<QuotationFacts[]> {
    const rows = await odoo.searchRead<{ id: number; name: string; write_date: string; user_id: Many2one; opportunity_id: Many2one; team_id: Many2one }>(
      'sale.order', domain as never, { fields: ['name', 'write_date', 'user_id', 'opportunity_id', 'team_id'], order: 'id' },
    )
    return rows.map((row) => {
      const userId = m2oId(row.user_id)
      const leadId = m2oId(row.opportunity_id)
      const teamId = m2oId(row.team_id)
      const team = m2oName(row.team_id)
      return {
        model: 'sale.order', id: row.id, name: row.name, sentAt: odooTime(row.write_date),
        ...(userId === undefined ? {} : { userId }), ...(leadId === undefined ? {} : { leadId }),
        ...(teamId === undefined ? {} : { teamId }), ...(team === undefined ? {} : { team }),
      }
    })
  }

  let activitiesId: number | undefined
  /** mail.mt_activities: the subtype of the message Odoo posts when an activity is marked done. */
  async function activitiesSubtype(): Promise<number> {
    activitiesId ??= (await odoo.executeKw<[string, number]>('ir.model.data', 'check_object_reference', ['mail', 'mt_activities']))[1]
    return activitiesId
  }

  /**
   * The first stage a lead of this team starts in: the lowest sequence among the team's and the shared stages.
   * Kept for a few minutes per team: stages rarely change, and this search took ~2 s a call on the lab's 17.0.
   */
  const firstStages = new Map<number, { id: number | undefined; at: number }>()
  async function firstStage(teamId: number | undefined): Promise<number | undefined> {
    const cached = firstStages.get(teamId ?? 0)
    if (cached !== undefined && Date.now() - cached.at < STAGE_CACHE_MS) return cached.id
    const [stage] = await odoo.searchRead<{ id: number }>('crm.stage', ['|', ['team_id', '=', false], ['team_id', '=', teamId ?? false]], { fields: ['id'], order: 'sequence, id', limit: 1 })
    firstStages.set(teamId ?? 0, { id: stage?.id, at: Date.now() })
    return stage?.id
  }

  return {
    async lead(id) {
      const rows = await odoo.searchRead<LeadRow>('crm.lead', [['id', '=', id]], { fields: LEAD_FIELDS, limit: 1 })
      return (await toFacts(rows))[0]
    },
    async leadsCreatedSince(since) {
      return toFacts(await odoo.searchRead<LeadRow>('crm.lead', [['create_date', '>=', toOdooTime(since)]], { fields: LEAD_FIELDS, order: 'id' }))
    },
    async quotationsSentSince(since) {
      return orders([['state', '=', 'sent'], ['write_date', '>=', toOdooTime(since)]])
    },
    async quotationsOfLead(leadId) {
      return orders([['state', '=', 'sent'], ['opportunity_id', '=', leadId]])
    },
    async order(id) {
      return (await orders([['id', '=', id]]))[0]
    },
    async orderState(id) {
      const [row] = await odoo.searchRead<{ state: string }>('sale.order', [['id', '=', id]], { fields: ['state'], limit: 1 })
      return row?.state
    },
    async firstResponse(lead) {
      const first = await firstStage(lead.teamId)
      if (lead.stageId !== undefined && first !== undefined && lead.stageId !== first) return true
      // A message or note, or the "activity done" message Odoo posts when an activity is marked done; its author
      // must be an internal user other than the hub's own (the notifier's "Contacted" click posts as the rep).
      const caps = await odoo.connect()
      const activities = await activitiesSubtype()
      const messages = await odoo.searchRead<{ author_id: Many2one }>('mail.message', [
        ['model', '=', 'crm.lead'], ['res_id', '=', lead.id],
        '|', ['message_type', 'in', ['comment', 'email']], ['subtype_id', '=', activities],
      ], { fields: ['author_id'] })
      const authors = [...new Set(messages.flatMap((message) => (Array.isArray(message.author_id) ? [message.author_id[0]] : [])))]
      if (authors.length === 0) return false
      const users = await odoo.searchRead<{ id: number }>('res.users', [['partner_id', 'in', authors], ['share', '=', false], ['id', '!=', caps.uid]], { fields: ['id'], limit: 1 })
      return users.length > 0
    },
    async teamLeader(teamId) {
      const [team] = await odoo.searchRead<{ user_id: Many2one }>('crm.team', [['id', '=', teamId]], { fields: ['user_id'], limit: 1 })
      return m2oId(team?.user_id)
    },
    async userByLogin(login) {
      const [user] = await odoo.searchRead<{ id: number }>('res.users', [['login', '=', login]], { fields: ['id'], limit: 1 })
      return user?.id
    },
    async userEmail(userId) {
      const [user] = await odoo.searchRead<{ email: string | false }>('res.users', [['id', '=', userId]], { fields: ['email'], limit: 1 })
      return typeof user?.email === 'string' && user.email !== '' ? user.email : undefined
    },
  }
}
