// HTML for crm.lead `description` (an Html field on 17: newlines alone show as one line) and for the
// chatter note. Every piece of user text is escaped here; nothing else builds HTML.
import type { Answer, Flag, LeadDraft } from '../draft.js'

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const line = (a: Answer): string => `<p>${escapeHtml(a.question)}: ${escapeHtml(a.answer)}</p>`
const item = (a: Answer): string => `<li>${escapeHtml(a.question)}: ${escapeHtml(a.answer)}</li>`

/** The lead's description: the message, then every unmapped answer as a "question: answer" line. */
export function descriptionHtml(draft: LeadDraft): string {
  const parts: string[] = []
  if (draft.message !== undefined) parts.push(`<p>${escapeHtml(draft.message)}</p>`)
  for (const a of draft.answers) parts.push(line(a))
  return parts.join('')
}

/** The marker a note carries so a redelivered event never posts it twice (searched with ilike). */
export function refMarker(draft: Pick<LeadDraft, 'externalRef' | 'messageId'>): string {
  return draft.messageId === undefined ? `[${draft.externalRef}]` : `[${draft.messageId}]`
}

export type NoteKind = 'created' | 'repeat' | 'message'

const HEADINGS: Record<NoteKind, string> = {
  created: 'New lead from',
  repeat: 'New enquiry from',
  message: 'WhatsApp message from',
}

/** One chatter note: source, ad, answers, message, flags, and the idempotency marker. */
export function noteHtml(draft: LeadDraft, flags: readonly Flag[], kind: NoteKind): string {
  const who = draft.contactName ?? draft.email ?? draft.phone ?? draft.invalidEmail ?? draft.invalidPhone
  const parts = [`<p><b>${HEADINGS[kind]} ${escapeHtml(draft.sourceLabel)}</b>${who ? ` — ${escapeHtml(who)}` : ''}</p>`]
  const contact: Answer[] = []
  if (draft.email) contact.push({ question: 'Email', answer: draft.email })
  if (draft.invalidEmail) contact.push({ question: 'Email (invalid)', answer: draft.invalidEmail })
  if (draft.phone) contact.push({ question: 'Phone', answer: draft.phone })
  if (draft.invalidPhone) contact.push({ question: 'Phone (invalid)', answer: draft.invalidPhone })
  const utm: Answer[] = []
  if (draft.utm.source) utm.push({ question: 'Source', answer: draft.utm.source })
  if (draft.utm.medium) utm.push({ question: 'Medium', answer: draft.utm.medium })
  if (draft.utm.campaign) utm.push({ question: 'Campaign', answer: draft.utm.campaign })
  const facts = [...contact, ...utm, ...draft.adFacts.filter((f) => f.question !== 'Campaign')]
  if (facts.length > 0) parts.push(`<ul>${facts.map(item).join('')}</ul>`)
  if (draft.message !== undefined) parts.push(`<p>Message: ${escapeHtml(draft.message)}</p>`)
  const answers = [...draft.answers, ...Object.entries(draft.fields).map(([question, answer]) => ({ question, answer }))]
  if (answers.length > 0) parts.push(`<p>Answers:</p><ul>${answers.map(item).join('')}</ul>`)
  parts.push(`<p>Flags: ${flags.length > 0 ? flags.join(', ') : 'none'}</p>`)
  parts.push(`<p>Ref: ${escapeHtml(refMarker(draft))}</p>`)
  return parts.join('')
}

/** A plain-text title for crm.lead `name`. */
export function leadTitle(draft: LeadDraft): string {
  const who = draft.contactName ?? draft.email ?? draft.phone ?? draft.invalidEmail ?? draft.invalidPhone ?? draft.externalRef
  return `${who} — ${draft.utm.campaign ?? draft.sourceLabel}`
}
