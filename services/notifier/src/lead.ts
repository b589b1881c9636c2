// Reads what a notification says about a lead from Odoo: its name and contact, source and campaign, salesperson
// and team (for routing), and the score the scoring service wrote (gassistant_score and its breakdown, when the
// addon is installed). One search_read of the lead, one of its salesperson; never writes.
import type { OdooClient } from '@gassistant/odoo'

type Many2one = [number, string] | false

export interface ScoreReason {
  readonly points: number
  readonly en: string
  readonly ar?: string
}

export interface LeadCard {
  readonly id: number
  readonly name: string
  readonly contactName?: string
  readonly phone?: string
  readonly source?: string
  readonly medium?: string
  readonly campaign?: string
  readonly salesperson?: { readonly id: number; readonly name: string; readonly email?: string }
  readonly team?: { readonly id: number; readonly name: string }
  /** The addon's gassistant_score, when the lead was scored. */
  readonly score?: number
  /** The breakdown's rules, biggest contribution first. */
  readonly reasons: readonly ScoreReason[]
}

const FIELDS = ['name', 'contact_name', 'partner_name', 'phone', 'source_id', 'medium_id', 'campaign_id', 'user_id', 'team_id', 'gassistant_score', 'gassistant_score_breakdown']

interface LeadRow {
  id: number
  name: string
  contact_name?: string | false
  partner_name?: string | false
  phone?: string | false
  source_id?: Many2one
  medium_id?: Many2one
  campaign_id?: Many2one
  user_id?: Many2one
  team_id?: Many2one
  gassistant_score?: number | false
  gassistant_score_breakdown?: string | false
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined)
const named = (value: Many2one | undefined): { id: number; name: string } | undefined => (Array.isArray(value) ? { id: value[0], name: value[1] } : undefined)

/** The breakdown as scoring stores it (services/scoring breakdownJson); anything else reads as no reasons. */
export function parseBreakdown(json: string | false | undefined): ScoreReason[] {
  if (typeof json !== 'string' || json === '') return []
  let entries: unknown
  try {
    entries = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(entries)) return []
  return entries
    .flatMap((entry: { points?: unknown; reason?: { en?: unknown; ar?: unknown } }) =>
      typeof entry?.points === 'number' && typeof entry.reason?.en === 'string'
        ? [{ points: entry.points, en: entry.reason.en, ...(typeof entry.reason.ar === 'string' ? { ar: entry.reason.ar } : {}) }]
        : [])
    .sort((a, b) => b.points - a.points)
}

/** The lead as a notification shows it, or undefined when it no longer exists. */
export async function readLead(odoo: OdooClient, leadId: number): Promise<LeadCard | undefined> {
  const caps = await odoo.connect()
  const fields = FIELDS.filter((field) => caps.leadFields.has(field))
  const [row] = await odoo.searchRead<LeadRow>('crm.lead', [['id', '=', leadId]], { fields, limit: 1, context: { active_test: false } })
  if (row === undefined) return undefined
  const user = named(row.user_id)
  let salesperson: LeadCard['salesperson']
  if (user !== undefined) {
    const [found] = await odoo.searchRead<{ id: number; email: string | false }>('res.users', [['id', '=', user.id]], { fields: ['email'], limit: 1, context: { active_test: false } })
    const email = text(found?.email)
    salesperson = { ...user, ...(email === undefined ? {} : { email }) }
  }
  const optional = {
    contactName: text(row.contact_name) ?? text(row.partner_name),
    phone: text(row.phone),
    source: named(row.source_id)?.name,
    medium: named(row.medium_id)?.name,
    campaign: named(row.campaign_id)?.name,
    salesperson,
    team: named(row.team_id),
    score: typeof row.gassistant_score === 'number' && text(row.gassistant_score_breakdown) !== undefined ? row.gassistant_score : undefined,
  }
  return {
    id: row.id,
    name: row.name,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    reasons: parseBreakdown(row.gassistant_score_breakdown),
  } as LeadCard
}
