// Maps a web/landing-page form submission to a LeadDraft: the same standard keys as Meta forms, the
// per-form mapping file (keyed by form key) for the rest, utm from the form's UTM fields. Pure.
import { createHash } from 'node:crypto'
import type { DataOf } from '@gassistant/contracts'
import type { Answer, LeadDraft } from '../draft.js'
import { contactOf, sortAnswers, type MappingOptions } from './common.js'

const MESSAGE_KEYS = ['message', 'comments', 'comment', 'notes', 'enquiry', 'inquiry']

/** Deterministic: the same submission always gets the same reference, whatever its redeliveries. */
export function formRef(formKey: string, submissionId: string): string {
  const hash = createHash('sha256').update(`${formKey}\n${submissionId}`).digest('hex').slice(0, 32)
  return `form:${hash}`
}

export function mapFormSubmission(
  event: DataOf<'inbound.form.submitted.v1'>,
  options: MappingOptions,
): LeadDraft {
  const perForm = options.formMapping[event.formKey] ?? {}
  const entries = Object.entries(event.fields)
    .map(([key, raw]): [string, string] => [key, raw.trim()])
    .filter(([, value]) => value !== '')
  const { picked, fields, answers } = sortAnswers(entries, perForm, options.leadFields, MESSAGE_KEYS)
  const adFacts: Answer[] = [{ question: 'Form', answer: event.formKey }]
  if (event.pageUrl !== undefined) adFacts.push({ question: 'Page', answer: event.pageUrl })
  if (event.utm.term !== undefined) adFacts.push({ question: 'utm_term', answer: event.utm.term })
  if (event.utm.content !== undefined) adFacts.push({ question: 'utm_content', answer: event.utm.content })
  return {
    channel: 'form',
    externalRef: formRef(event.formKey, event.submissionId),
    sourceLabel: `Web form (${event.formKey})`,
    ...contactOf(picked, options.defaultRegion),
    fields,
    answers,
    utm: {
      ...(event.utm.source === undefined ? {} : { source: event.utm.source }),
      ...(event.utm.medium === undefined ? {} : { medium: event.utm.medium }),
      ...(event.utm.campaign === undefined ? {} : { campaign: event.utm.campaign }),
    },
    adFacts,
    ...(picked.message === undefined ? {} : { message: picked.message }),
    isTestLead: false,
    submittedAt: event.submittedAt,
  }
}
