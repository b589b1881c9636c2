// Maps one inbound WhatsApp message to a LeadDraft: the profile name, the phone from wa_id, the message,
// and a click-to-WhatsApp ad (referral) as utm campaign. Pure. The profile name is self-chosen and
// untrusted: it is only ever a contact name, never an identity.
import type { DataOf } from '@gassistant/contracts'
import type { Answer, LeadDraft } from '../draft.js'
import { normalizeName } from '../normalize/name.js'
import { phoneFromWaId } from '../normalize/phone.js'

export function mapWhatsAppMessage(event: DataOf<'inbound.whatsapp.message.v1'>): LeadDraft {
  const phone = phoneFromWaId(event.waId)
  const contactName = normalizeName(event.profileName)
  const referral = event.referral
  const fromAd = referral?.sourceType === 'ad'
  const adFacts: Answer[] = []
  const fact = (question: string, answer: string | undefined): void => {
    if (answer !== undefined && answer !== '') adFacts.push({ question, answer })
  }
  const campaign = referral === undefined ? undefined : (referral.headline ?? (referral.sourceId ? `Ad ${referral.sourceId}` : undefined))
  if (referral !== undefined) {
    fact('Ad id', referral.sourceId)
    fact('Headline', referral.headline)
    fact('Ad text', referral.body)
    fact('Link', referral.sourceUrl)
    fact('Click id (ctwa_clid)', referral.ctwaClid)
  }
  fact('WhatsApp number', `+${event.waId}`)
  const message = event.text ?? `[${event.messageType}]`
  return {
    channel: 'whatsapp',
    externalRef: `wa:${event.waId}`,
    sourceLabel: fromAd ? 'WhatsApp (click-to-WhatsApp ad)' : 'WhatsApp',
    ...(contactName === undefined ? {} : { contactName }),
    ...(phone.ok ? { phone: phone.e164, ...(phone.country ? { countryCode: phone.country } : {}) } : { invalidPhone: `+${event.waId}` }),
    waId: event.waId,
    fields: {},
    answers: [],
    utm: {
      source: 'WhatsApp',
      ...(referral === undefined ? {} : { medium: fromAd ? 'Paid' : 'Organic' }),
      ...(campaign === undefined ? {} : { campaign }),
    },
    adFacts,
    message,
    messageId: event.messageId,
    isTestLead: false,
    submittedAt: event.timestamp,
  }
}
