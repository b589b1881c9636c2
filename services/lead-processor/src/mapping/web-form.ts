// Maps a web/landing-page form submission to a LeadDraft: the same standard keys as Meta forms, the
// per-form mapping file (keyed by form key) for the rest, utm from the form's UTM fields. Pure.
import { createHash } from 'node:crypto'
import type { DataOf } from '@gassistant/contracts'
import type { Answer, LeadDraft } from '../draft.js'
import { joinName, normalizeName } from '../normalize/name.js'
import { EMAIL_KEYS, NAME_KEYS, PHONE_KEYS, STANDARD_FIELDS, contactParts } from './common.js'
import type { FormMapping } from './meta-form.js'

const MESSAGE_KEYS = ['message', 'comments', 'comment', 'notes', 'enquiry', 'inquiry']

/** Deterministic: the same submission always gets the same reference, whatever its redeliveries. */
export function formRef(formKey: string, submissionId: string): string {
  const hash = createHash('sha256').update(`${formKey}\n${submissionId}`).digest('hex').slice(0, 32)
  return `form:${hash}`
}

export function mapFormSubmission(
  event: DataOf<'inbound.form.submitted.v1'>,
  options: { readonly defaultRegion: string; readonly formMapping: FormMapping },
): LeadDraft {
  const perForm = options.formMapping[event.formKey] ?? {}
  const fields: Record<string, string> = {}
  const answers: Answer[] = []
  const picked: Record<string, string | undefined> = {}
  for (const [key, raw] of Object.entries(event.fields)) {
    const value = raw.trim()
    if (value === '') continue
    const target = perForm[key]
    const lower = key.toLowerCase()
    if (target === 'email_from' || (target === undefined && EMAIL_KEYS.includes(lower))) picked['email'] ??= value
    else if (target === 'phone' || target === 'mobile' || (target === undefined && PHONE_KEYS.includes(lower))) picked['phone'] ??= value
    else if (target === 'contact_name' || (target === undefined && NAME_KEYS.includes(lower))) picked['name'] ??= value
    else if (target !== undefined) fields[target] = value
    else if (lower === 'first_name') picked['first'] = value
    else if (lower === 'last_name') picked['last'] = value
    else if (MESSAGE_KEYS.includes(lower)) picked['message'] = value
    else if (lower === 'country' && /^[A-Za-z]{2}$/.test(value)) picked['country'] = value.toUpperCase()
    else if (STANDARD_FIELDS[lower] !== undefined) fields[STANDARD_FIELDS[lower]] = value
    else answers.push({ question: key, answer: value })
  }
  const contactName = normalizeName(picked['name']) ?? joinName(picked['first'], picked['last'])
  const contact = contactParts(picked['email'], picked['phone'], options.defaultRegion)
  const countryCode = picked['country'] ?? contact.countryCode
  const adFacts: Answer[] = [{ question: 'Form', answer: event.formKey }]
  if (event.pageUrl !== undefined) adFacts.push({ question: 'Page', answer: event.pageUrl })
  if (event.utm.term !== undefined) adFacts.push({ question: 'utm_term', answer: event.utm.term })
  if (event.utm.content !== undefined) adFacts.push({ question: 'utm_content', answer: event.utm.content })
  return {
    channel: 'form',
    externalRef: formRef(event.formKey, event.submissionId),
    sourceLabel: `Web form (${event.formKey})`,
    ...(contactName === undefined ? {} : { contactName }),
    ...contact,
    ...(countryCode === undefined ? {} : { countryCode }),
    fields,
    answers,
    utm: {
      ...(event.utm.source === undefined ? {} : { source: event.utm.source }),
      ...(event.utm.medium === undefined ? {} : { medium: event.utm.medium }),
      ...(event.utm.campaign === undefined ? {} : { campaign: event.utm.campaign }),
    },
    adFacts,
    ...(picked['message'] === undefined ? {} : { message: picked['message'] }),
    isTestLead: false,
    submittedAt: event.submittedAt,
  }
}
