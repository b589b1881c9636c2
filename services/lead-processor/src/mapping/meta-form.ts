// Maps a Meta lead (Graph API node + the webhook's page/form/ad ids) to a LeadDraft.
// Standard question keys go to their crm.lead fields, a per-form mapping file covers custom questions,
// everything else becomes a "question: answer" line. Keys and answers are kept verbatim (Arabic keys
// such as `ما_هي_ميزانيتك؟` included). Pure: no I/O, no configuration reads.
import type { DataOf } from '@gassistant/contracts'
import type { Answer, LeadDraft } from '../draft.js'
import type { GraphLead } from '../graph/types.js'
import { contactOf, isMetaTestValue, sortAnswers, type MappingOptions } from './common.js'


const PLATFORM_SOURCE: Readonly<Record<string, string>> = { fb: 'Facebook', ig: 'Instagram' }

function utmSourceOf(platform: string | undefined): string {
  return (platform !== undefined && PLATFORM_SOURCE[platform.toLowerCase()]) || 'Facebook'
}

function mediumOf(lead: GraphLead, adId: string | undefined): string | undefined {
  if (lead.is_organic === true) return 'Organic'
  if (lead.is_organic === false) return 'Paid'
  // Without `is_organic` (fields not granted), an ad id in the webhook still tells a paid lead.
  return adId !== undefined && adId !== '0' ? 'Paid' : undefined
}

export function mapMetaLead(
  event: DataOf<'inbound.meta.leadgen.v1'>,
  lead: GraphLead,
  options: MappingOptions,
): LeadDraft {
  const perForm = options.formMapping[lead.form_id ?? event.formId] ?? {}
  let isTestLead = false
  const entries: [string, string][] = []
  for (const item of lead.field_data ?? []) {
    const value = item.values.map((v) => v.trim()).filter((v) => v !== '').join(', ')
    if (value === '') continue
    if (isMetaTestValue(value)) {
      // Dummy data from Meta's testing tool: recognised, never treated as a person's details.
      isTestLead = true
      continue
    }
    entries.push([item.name, value])
  }
  const { picked, fields, answers } = sortAnswers(entries, perForm, options.leadFields)
  for (const box of lead.custom_disclaimer_responses ?? []) {
    answers.push({ question: box.checkbox_key, answer: box.is_checked === '1' ? 'yes' : 'no' })
  }

  const adId = lead.ad_id ?? event.adId
  const platform = utmSourceOf(lead.platform)
  const medium = mediumOf(lead, adId)
  const adFacts: Answer[] = []
  const fact = (question: string, answer: string | undefined): void => {
    if (answer !== undefined && answer !== '') adFacts.push({ question, answer })
  }
  fact('Platform', platform)
  fact('Campaign', lead.campaign_name)
  fact('Ad set', lead.adset_name)
  fact('Ad', lead.ad_name === undefined ? adId : `${lead.ad_name} (${adId ?? '?'})`)
  fact('Form', lead.form_id ?? event.formId)
  fact('Page', event.pageId)
  fact('Lead id', event.leadgenId)

  return {
    channel: 'meta',
    externalRef: `meta:${event.leadgenId}`,
    sourceLabel: `Meta Lead Ads (${platform})`,
    ...contactOf(picked, options.defaultRegion),
    fields,
    answers,
    utm: {
      source: platform,
      ...(medium === undefined ? {} : { medium }),
      ...(lead.campaign_name ? { campaign: lead.campaign_name } : {}),
    },
    adFacts,
    isTestLead,
    submittedAt: lead.created_time ? new Date(lead.created_time).toISOString() : new Date(event.createdTime * 1000).toISOString(),
  }
}
