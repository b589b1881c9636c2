// Data-quality flags for a mapped lead, and the decision to reject a lead nobody could contact.
// Pure apart from the disposable-domain list, which is loaded once from disposable-email-domains-js
// (a maintained mirror of github.com/disposable-email-domains). Never drops a lead for a flag alone:
// flags inform the sales team; only "no way to reach the person" rejects.
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js'
import type { LeadDraft, Flag } from './draft.js'
import { normalizePhone } from './normalize/phone.js'

let disposable: Set<string> | undefined

/** True for a disposable domain or any subdomain of one (x.mailinator.com). */
export function isDisposableDomain(domain: string): boolean {
  disposable ??= disposableEmailBlocklistSet()
  const parts = domain.toLowerCase().split('.')
  for (let i = 0; i < parts.length - 1; i++) {
    if (disposable.has(parts.slice(i).join('.'))) return true
  }
  return false
}

/** Parses a do-not-call list: one number per line in any format people write, `#` starts a comment. */
export function parseDoNotCallList(text: string, defaultRegion: string): Set<string> {
  const numbers = new Set<string>()
  for (const line of text.split(/\r?\n/)) {
    const value = line.replace(/#.*$/, '').trim()
    if (value === '') continue
    const phone = normalizePhone(value, defaultRegion)
    if (phone.ok) numbers.add(phone.e164)
  }
  return numbers
}

export interface RejectionReason {
  readonly code: 'NO_CONTACT' | 'TEST_LEAD'
  readonly message: string
}

export interface Assessment {
  readonly flags: Flag[]
  /** Non-empty when the lead must become lead.rejected.v1 instead of an Odoo lead. */
  readonly rejections: RejectionReason[]
}

export interface AssessOptions {
  readonly doNotCall: ReadonlySet<string>
  /** `flag`: test leads are synced with TEST_LEAD (to check an integration end to end); `reject`: never synced. */
  readonly testLeads: 'flag' | 'reject'
}

export function assessLead(draft: LeadDraft, options: AssessOptions): Assessment {
  const flags: Flag[] = []
  if (draft.invalidEmail !== undefined) flags.push('INVALID_EMAIL')
  if (draft.invalidPhone !== undefined) flags.push('INVALID_PHONE')
  if (draft.email !== undefined) {
    const domain = draft.email.slice(draft.email.lastIndexOf('@') + 1)
    if (isDisposableDomain(domain)) flags.push('DISPOSABLE_EMAIL')
  }
  if (draft.phone !== undefined && options.doNotCall.has(draft.phone)) flags.push('DO_NOT_CALL')
  if (draft.isTestLead) flags.push('TEST_LEAD')

  const rejections: RejectionReason[] = []
  if (draft.email === undefined && draft.phone === undefined && draft.waId === undefined) {
    const typed = [
      draft.invalidEmail === undefined ? undefined : 'the email is not valid',
      draft.invalidPhone === undefined ? undefined : 'the phone number is not valid',
    ].filter((x) => x !== undefined)
    rejections.push({
      code: 'NO_CONTACT',
      message: typed.length > 0 ? `no usable email, phone or WhatsApp id: ${typed.join(' and ')}` : 'no email, phone or WhatsApp id given',
    })
  }
  if (draft.isTestLead && options.testLeads === 'reject') {
    rejections.push({ code: 'TEST_LEAD', message: "Meta Lead Ads Testing Tool lead (dummy data); TEST_LEADS=reject" })
  }
  return { flags, rejections }
}
