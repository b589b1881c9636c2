// The Slack message of a notification: Block Kit with a plain `text` fallback, inside Block Kit's limits
// (section text 3,000 characters, fields 2,000 and at most 10, 50 blocks, button text 75). Text that comes from
// people (names, campaigns, reasons) is escaped for mrkdwn and isolated as bidirectional text (U+2068 … U+2069),
// so an Arabic name inside an English sentence neither reorders the sentence nor is reordered by it. Pure.
import type { LeadCard } from './lead.js'

export type Block = Record<string, unknown>

export interface SlackMessageContent {
  readonly text: string
  readonly blocks: readonly Block[]
}

/** action_ids of the lead buttons: the ingress maps them to inbound.slack.action.v1's `action`. */
export const ACTION_IDS = { contacted: 'lead_contacted', assignToMe: 'lead_assign_to_me', open: 'lead_open' } as const
export const ACTIONS_BLOCK_ID = 'gassistant_lead_actions'
export const STATUS_BLOCK_ID = 'gassistant_status'

export const MAX_BLOCKS = 50
export const MAX_SECTION_TEXT = 3_000
const MAX_FIELD_TEXT = 2_000
const MAX_TEXT = 4_000
const TOP_REASONS = 3

const FSI = '\u2068'
const PDI = '\u2069'

/** First-strong isolate: the text keeps its own direction whatever surrounds it. */
export function isolate(value: string): string {
  return `${FSI}${value}${PDI}`
}

/** mrkdwn reads `&`, `<` and `>` as markup (links, mentions). */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Cut at `max` characters (code points are not split), marking the cut. */
export function clip(value: string, max: number): string {
  const chars = [...value]
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`
}

const person = (value: string): string => isolate(escapeMrkdwn(value))

/** wa.me wants the international number in digits; a number without its country code cannot be linked. */
export function whatsappLink(phone: string): string | undefined {
  const trimmed = phone.trim()
  if (!trimmed.startsWith('+')) return undefined
  const digits = trimmed.replace(/\D/g, '')
  return digits.length >= 8 && digits.length <= 15 ? `https://wa.me/${digits}` : undefined
}

/** Odoo 17's form view of a lead. */
export function leadUrl(odooPublicUrl: string, leadId: number): string {
  return `${odooPublicUrl.replace(/\/+$/, '')}/web#id=${leadId}&model=crm.lead&view_type=form`
}

function field(label: string, value: string): Block {
  return { type: 'mrkdwn', text: clip(`*${label}*\n${value}`, MAX_FIELD_TEXT) }
}

function leadFields(lead: LeadCard): Block[] {
  const fields: Block[] = [field('Lead', person(lead.name))]
  if (lead.contactName !== undefined && lead.contactName !== lead.name) fields.push(field('Contact', person(lead.contactName)))
  if (lead.phone !== undefined) {
    const link = whatsappLink(lead.phone)
    fields.push(field('Phone', link === undefined ? escapeMrkdwn(lead.phone) : `<${link}|${escapeMrkdwn(lead.phone)}> (WhatsApp)`))
  }
  const origin = [lead.source, lead.medium].filter((part): part is string => part !== undefined).map(person).join(' · ')
  if (origin !== '') fields.push(field('Source', origin))
  if (lead.campaign !== undefined) fields.push(field('Campaign', person(lead.campaign)))
  if (lead.salesperson !== undefined) fields.push(field('Salesperson', person(lead.salesperson.name)))
  if (lead.score !== undefined) fields.push(field('Score', `${lead.score}/100`))
  return fields
}

function reasonsBlock(lead: LeadCard): Block | undefined {
  if (lead.score === undefined || lead.reasons.length === 0) return undefined
  const lines = lead.reasons.slice(0, TOP_REASONS).map((reason) => `• ${reason.points > 0 ? '+' : ''}${reason.points} ${isolate(escapeMrkdwn(reason.en))}`)
  return { type: 'section', text: { type: 'mrkdwn', text: clip(`*Why this score*\n${lines.join('\n')}`, MAX_SECTION_TEXT) } }
}

function actionsBlock(lead: LeadCard, odooPublicUrl: string): Block {
  const value = String(lead.id)
  return {
    type: 'actions',
    block_id: ACTIONS_BLOCK_ID,
    elements: [
      { type: 'button', action_id: ACTION_IDS.contacted, style: 'primary', text: { type: 'plain_text', text: 'Contacted' }, value },
      { type: 'button', action_id: ACTION_IDS.assignToMe, text: { type: 'plain_text', text: 'Assign to me' }, value },
      { type: 'button', action_id: ACTION_IDS.open, text: { type: 'plain_text', text: 'Open in Odoo' }, url: leadUrl(odooPublicUrl, lead.id) },
    ],
  }
}

export interface MessageInput {
  /** The request's own sentence (notification.requested.v1 `text`). */
  readonly headline: string
  /** Blocks the requester added (passed through after the lead's, as far as the 50-block limit allows). */
  readonly extraBlocks?: readonly Block[]
  readonly lead?: LeadCard
  readonly odooPublicUrl: string
}

/** The message: the headline, the lead's facts, its score's top reasons, the requester's blocks, the buttons. */
export function buildMessage({ headline, extraBlocks = [], lead, odooPublicUrl }: MessageInput): SlackMessageContent {
  const title: Block = { type: 'section', text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(headline)}*`, MAX_SECTION_TEXT) } }
  if (lead === undefined) {
    return { text: clip(headline, MAX_TEXT), blocks: [title, ...extraBlocks].slice(0, MAX_BLOCKS) }
  }
  const reasons = reasonsBlock(lead)
  const own: Block[] = [title, { type: 'section', fields: leadFields(lead).slice(0, 10) }, ...(reasons === undefined ? [] : [reasons])]
  const actions = actionsBlock(lead, odooPublicUrl)
  const room = MAX_BLOCKS - own.length - 1
  const score = lead.score === undefined ? '' : ` (${lead.score}/100)`
  return {
    text: clip(`${headline}: ${isolate(lead.name)}${score}`, MAX_TEXT),
    blocks: [...own, ...extraBlocks.slice(0, Math.max(0, room)), actions],
  }
}

/**
 * The message after a button did its work: the status block gains the line (once), and a finished action's
 * button goes. Blocks are the message's as Slack sent them back with the click.
 */
export function withStatus(blocks: readonly Block[], line: string, removeActionId?: string): Block[] {
  const status = blocks.find((block) => block['block_id'] === STATUS_BLOCK_ID)
  const lines = ((status?.['elements'] as { text?: string }[] | undefined) ?? []).map((element) => element.text ?? '')
  if (!lines.includes(line)) lines.push(line)
  const updated: Block[] = []
  for (const block of blocks) {
    if (block === status) continue
    if (block['block_id'] === ACTIONS_BLOCK_ID && removeActionId !== undefined) {
      const elements = (block['elements'] as Block[] | undefined ?? []).filter((element) => element['action_id'] !== removeActionId)
      if (elements.length > 0) updated.push({ ...block, elements })
      continue
    }
    updated.push(block)
  }
  // A context block holds at most 10 elements: the newest lines stay.
  const statusBlock: Block = { type: 'context', block_id: STATUS_BLOCK_ID, elements: lines.slice(-10).map((text) => ({ type: 'mrkdwn', text })) }
  // Room for the status within 50 blocks: the requester's blocks (just before the buttons) give way first.
  while (updated.length >= MAX_BLOCKS) updated.splice(updated.length - 2, 1)
  return [...updated, statusBlock]
}
