// Business figures and Customer 360, read-only from Odoo: leads by day, source, campaign and channel;
// expected and won revenue; win rate; time to first response; with ad spend (spend.ts) cost per lead and
// return on ad spend. Reads are bounded (MAX_LEADS per window) and aggregated here, because read_group's
// answer shape differs across Odoo versions. Never writes to Odoo. Personal data leaves only to a signed-in user.
import type { OdooClient } from '@gassistant/odoo'
import type { SpendSource } from './spend.js'

export interface Breakdown { name: string; leads: number; expectedRevenue: number; wonRevenue: number; won: number; spend: number | null; costPerLead: number | null; roas: number | null }
export interface BusinessFigures {
  from: string
  days: number
  leads: number
  truncated: boolean
  byDay: { day: string; count: number }[]
  bySource: Breakdown[]
  byCampaign: Breakdown[]
  byChannel: Breakdown[]
  expectedRevenue: number
  wonRevenue: number
  /** Won / (won + lost) among the window's leads that are decided; null when none is. */
  winRate: number | null
  /** Median time from a lead's creation to the first message a salesperson sent on it (internal notes do not count). */
  firstResponseMedianMs: number | null
  spend: number | null
  costPerLead: number | null
  roas: number | null
}

export interface Customer360 {
  partner: { id: number; name: string; email: string | null; phone: string | null } | null
  leads: { id: number; name: string; stage: string | null; expectedRevenue: number; createdAt: string; active: boolean; probability: number }[]
  messages: { id: number; leadId: number; date: string; author: string | null; kind: string; text: string }[]
  activities: { id: number; leadId: number; summary: string | null; type: string | null; deadline: string; user: string | null }[]
  orders: { id: number; name: string; state: string; amount: number; date: string | null }[]
}

export interface BusinessSource {
  figures(days: number, timeZone: string): Promise<BusinessFigures>
  customer(query: string): Promise<Customer360 | null>
  close(): void
}

const MAX_LEADS = 5_000
const MAX_MESSAGES = 200
/** The lead-processor tags every lead with its channel (CHANNEL_TAG in services/lead-processor). */
const CHANNEL_TAGS = new Map([['Meta Lead Ads', 'meta'], ['WhatsApp', 'whatsapp'], ['Web Form', 'form']])

type M2O = [number, string] | false
interface LeadRow { id: number; create_date: string; source_id: M2O; campaign_id: M2O; medium_id: M2O; tag_ids: number[]; expected_revenue: number; probability: number; active: boolean }

/** Odoo datetimes are UTC `YYYY-MM-DD HH:MM:SS`. */
const odooTime = (value: string): number => Date.parse(`${value.replace(' ', 'T')}Z`)
const toOdoo = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
const nameOf = (value: M2O): string | null => (Array.isArray(value) ? value[1] : null)
const idOf = (value: M2O): number | null => (Array.isArray(value) ? value[0] : null)
const won = (lead: LeadRow): boolean => lead.active && lead.probability >= 100
const lost = (lead: LeadRow): boolean => !lead.active && lead.probability <= 0
/** Chatter bodies are HTML: shown as text. */
export const htmlToText = (body: string): string => body.replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim()

/**
 * An ilike pattern for a phone as Odoo may hold it (`+971 50 123 4567`, `050-123-4567`): its last nine digits
 * with `%` between them, so separators and a country or trunk prefix do not matter. (`%` is a wildcard inside
 * an ilike value in Odoo, as in SQL.)
 */
export const phonePattern = (phone: string): string => phone.replace(/\D/g, '').slice(-9).split('').join('%')

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null
}

function breakdown(leads: readonly LeadRow[], keyOf: (lead: LeadRow) => string, spend: ReadonlyMap<string, number> | undefined): Breakdown[] {
  const groups = new Map<string, LeadRow[]>()
  for (const lead of leads) {
    const key = keyOf(lead)
    groups.set(key, [...(groups.get(key) ?? []), lead])
  }
  return [...groups].map(([name, rows]) => {
    const wonRevenue = rows.filter(won).reduce((sum, lead) => sum + lead.expected_revenue, 0)
    const spent = spend?.get(name) ?? null
    return {
      name,
      leads: rows.length,
      expectedRevenue: rows.reduce((sum, lead) => sum + lead.expected_revenue, 0),
      wonRevenue,
      won: rows.filter(won).length,
      spend: spent,
      costPerLead: spent === null ? null : spent / rows.length,
      roas: spent === null || spent === 0 ? null : wonRevenue / spent,
    }
  }).sort((a, b) => b.leads - a.leads)
}

export function createBusinessSource(odoo: OdooClient, spendSource: SpendSource | undefined, now: () => number = Date.now): BusinessSource {
  /** Partners of internal users other than the API user: whose chatter messages count as a response. */
  async function salesPartners(): Promise<Set<number>> {
    const { uid } = await odoo.connect()
    const users = await odoo.searchRead<{ id: number; partner_id: M2O }>('res.users', [['share', '=', false], ['id', '!=', uid]], { fields: ['partner_id'] })
    return new Set(users.map((user) => idOf(user.partner_id)).filter((id): id is number => id !== null))
  }

  return {
    async figures(days, timeZone) {
      const from = now() - days * 24 * 3600 * 1000
      const leads = await odoo.searchRead<LeadRow>('crm.lead', [['create_date', '>=', toOdoo(from)]], {
        fields: ['create_date', 'source_id', 'campaign_id', 'medium_id', 'tag_ids', 'expected_revenue', 'probability', 'active'],
        context: { active_test: false },
        limit: MAX_LEADS,
        order: 'create_date desc',
      })
      const tagIds = [...new Set(leads.flatMap((lead) => lead.tag_ids))]
      const tags = tagIds.length === 0 ? [] : await odoo.read<{ id: number; name: string }>('crm.tag', tagIds, ['name'])
      const channelOfTag = new Map(tags.filter((tag) => CHANNEL_TAGS.has(tag.name)).map((tag) => [tag.id, CHANNEL_TAGS.get(tag.name) as string]))
      const channel = (lead: LeadRow): string => lead.tag_ids.map((id) => channelOfTag.get(id)).find((name) => name !== undefined) ?? nameOf(lead.medium_id) ?? 'unknown'
      const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      const byDay = new Map<string, number>()
      for (const lead of leads) {
        const key = day.format(odooTime(lead.create_date))
        byDay.set(key, (byDay.get(key) ?? 0) + 1)
      }
      const spend = await spendSource?.byCampaign(days).catch(() => undefined)
      const totalSpend = spend === undefined ? null : [...spend.values()].reduce((sum, value) => sum + value, 0)
      const wonRevenue = leads.filter(won).reduce((sum, lead) => sum + lead.expected_revenue, 0)
      const decided = leads.filter((lead) => won(lead) || lost(lead))
      return {
        from: new Date(from).toISOString(),
        days,
        leads: leads.length,
        truncated: leads.length === MAX_LEADS,
        byDay: [...byDay].map(([key, count]) => ({ day: key, count })).sort((a, b) => a.day.localeCompare(b.day)),
        bySource: breakdown(leads, (lead) => nameOf(lead.source_id) ?? 'unknown', undefined),
        byCampaign: breakdown(leads, (lead) => nameOf(lead.campaign_id) ?? 'unknown', spend),
        byChannel: breakdown(leads, channel, undefined),
        expectedRevenue: leads.reduce((sum, lead) => sum + lead.expected_revenue, 0),
        wonRevenue,
        winRate: decided.length === 0 ? null : decided.filter(won).length / decided.length,
        firstResponseMedianMs: await firstResponses(leads),
        spend: totalSpend,
        costPerLead: totalSpend === null || leads.length === 0 ? null : totalSpend / leads.length,
        roas: totalSpend === null || totalSpend === 0 ? null : wonRevenue / totalSpend,
      }
    },

    async customer(query) {
      const text = query.trim()
      let partnerDomain: unknown[]
      if (/^\d{1,9}$/.test(text)) partnerDomain = [['id', '=', Number(text)]]
      else if (text.includes('@')) partnerDomain = [['email', '=ilike', text]]
      else {
        if (text.replace(/\D/g, '').length < 6) return null
        partnerDomain = ['|', ['phone', 'ilike', phonePattern(text)], ['mobile', 'ilike', phonePattern(text)]]
      }
      const partners = await odoo.searchRead<{ id: number; name: string; email: string | false; phone: string | false }>('res.partner', partnerDomain as never, { fields: ['name', 'email', 'phone'], limit: 1 })
      const partner = partners[0]
      const byPhone = [['phone', 'ilike', phonePattern(text)]]
      const leadDomain = partner !== undefined
        ? [['partner_id', '=', partner.id]]
        : text.includes('@') ? [['email_from', '=ilike', text]] : /^\d{1,9}$/.test(text) ? undefined : byPhone
      if (leadDomain === undefined) return null
      const leads = await odoo.searchRead<{ id: number; name: string; stage_id: M2O; expected_revenue: number; create_date: string; active: boolean; probability: number }>('crm.lead', leadDomain as never, {
        fields: ['name', 'stage_id', 'expected_revenue', 'create_date', 'active', 'probability'], context: { active_test: false }, limit: 100, order: 'create_date desc',
      })
      if (partner === undefined && leads.length === 0) return null
      const leadIds = leads.map((lead) => lead.id)
      const [messages, activities, orders] = await Promise.all([
        leadIds.length === 0 ? [] : odoo.searchRead<{ id: number; res_id: number; date: string; author_id: M2O; message_type: string; body: string }>('mail.message', [['model', '=', 'crm.lead'], ['res_id', 'in', leadIds]], { fields: ['res_id', 'date', 'author_id', 'message_type', 'body'], limit: MAX_MESSAGES, order: 'date desc, id desc' }),
        leadIds.length === 0 ? [] : odoo.searchRead<{ id: number; res_id: number; summary: string | false; activity_type_id: M2O; date_deadline: string; user_id: M2O }>('mail.activity', [['res_model', '=', 'crm.lead'], ['res_id', 'in', leadIds]], { fields: ['res_id', 'summary', 'activity_type_id', 'date_deadline', 'user_id'] }),
        partner === undefined ? [] : odoo.searchRead<{ id: number; name: string; state: string; amount_total: number; date_order: string | false }>('sale.order', [['partner_id', '=', partner.id]], { fields: ['name', 'state', 'amount_total', 'date_order'], limit: 100 }),
      ])
      return {
        partner: partner === undefined ? null : { id: partner.id, name: partner.name, email: partner.email || null, phone: partner.phone || null },
        leads: leads.map((lead) => ({ id: lead.id, name: lead.name, stage: nameOf(lead.stage_id), expectedRevenue: lead.expected_revenue, createdAt: new Date(odooTime(lead.create_date)).toISOString(), active: lead.active, probability: lead.probability })),
        messages: messages.map((message) => ({ id: message.id, leadId: message.res_id, date: new Date(odooTime(message.date)).toISOString(), author: nameOf(message.author_id), kind: message.message_type, text: htmlToText(message.body ?? '').slice(0, 2_000) })),
        activities: activities.map((activity) => ({ id: activity.id, leadId: activity.res_id, summary: activity.summary || null, type: nameOf(activity.activity_type_id), deadline: activity.date_deadline, user: nameOf(activity.user_id) })),
        orders: orders.map((order) => ({ id: order.id, name: order.name, state: order.state, amount: order.amount_total, date: order.date_order === false ? null : new Date(odooTime(order.date_order)).toISOString() })),
      }
    },

    close: () => odoo.close(),
  }

  async function firstResponses(leads: readonly LeadRow[]): Promise<number | null> {
    if (leads.length === 0) return null
    const sales = await salesPartners()
    if (sales.size === 0) return null
    const created = new Map(leads.map((lead) => [lead.id, odooTime(lead.create_date)]))
    const messages = await odoo.searchRead<{ res_id: number; date: string; subtype_id: M2O }>('mail.message', [
      ['model', '=', 'crm.lead'], ['res_id', 'in', [...created.keys()]], ['message_type', 'in', ['comment', 'email']], ['author_id', 'in', [...sales]],
    ], { fields: ['res_id', 'date', 'subtype_id'], order: 'date asc, id asc', limit: MAX_LEADS * 4 })
    // An internal note (subtype Note, `internal`) is not a response to the customer; a message or an email is.
    const subtypeIds = [...new Set(messages.map((message) => idOf(message.subtype_id)).filter((id): id is number => id !== null))]
    const subtypes = subtypeIds.length === 0 ? [] : await odoo.read<{ id: number; internal: boolean }>('mail.message.subtype', subtypeIds, ['internal'])
    const internal = new Set(subtypes.filter((subtype) => subtype.internal).map((subtype) => subtype.id))
    const first = new Map<number, number>()
    for (const message of messages) {
      const subtype = idOf(message.subtype_id)
      if ((subtype === null || !internal.has(subtype)) && !first.has(message.res_id)) first.set(message.res_id, odooTime(message.date))
    }
    return median([...first].map(([id, at]) => Math.max(0, at - (created.get(id) ?? at))))
  }
}
