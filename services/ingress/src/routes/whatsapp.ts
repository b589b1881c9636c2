// WhatsApp Cloud API webhook (whatsapp-cloud-api.md): the handshake, and one inbound.whatsapp.message.v1
// per inbound message (text, interactive replies, template buttons, media; with the click-to-WhatsApp
// referral when present). Delivery statuses and other fields are acknowledged without an event.
// Must never publish before the signature over the raw bytes is verified (route config `signature: 'whatsapp'`).
import type { AnyEvent } from '@gassistant/contracts'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { Publisher } from '../publish.js'
import { changeValues, metaWebhook, type MetaEnvelope } from './meta-webhook.js'

const Str = Type.Optional(Type.String())
const Reply = Type.Optional(Type.Object({ id: Type.String(), title: Type.String() }))

const Message = Type.Object({
  id: Type.String({ minLength: 1 }),
  from: Type.String({ minLength: 1 }),
  timestamp: Type.Union([Type.String({ pattern: '^[0-9]{1,12}$' }), Type.Integer({ minimum: 0 })]),
  type: Type.String({ minLength: 1 }),
  text: Type.Optional(Type.Object({ body: Type.String() })),
  interactive: Type.Optional(Type.Object({ type: Type.String(), button_reply: Reply, list_reply: Reply })),
  button: Type.Optional(Type.Object({ payload: Str, text: Str })),
  referral: Type.Optional(
    Type.Object({ source_url: Str, source_id: Str, source_type: Str, headline: Str, body: Str, media_type: Str, ctwa_clid: Str }),
  ),
})

const MessagesValue = Compile(
  Type.Object({
    metadata: Type.Object({ phone_number_id: Type.String({ minLength: 1 }), display_phone_number: Str }),
    contacts: Type.Optional(Type.Array(Type.Object({ wa_id: Str, profile: Type.Optional(Type.Object({ name: Str })) }))),
    messages: Type.Optional(Type.Array(Message)),
  }),
)

type WaMessage = Static<typeof Message>

/** What the person wrote or chose, and the machine id of a chosen button/row. */
function content(message: WaMessage): { text?: string; replyId?: string } {
  if (message.text) return { text: message.text.body }
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply
  if (reply) return { text: reply.title, replyId: reply.id }
  if (message.button) {
    return {
      ...(message.button.text === undefined ? {} : { text: message.button.text }),
      ...(message.button.payload === undefined ? {} : { replyId: message.button.payload }),
    }
  }
  return {}
}

function referral(message: WaMessage) {
  const r = message.referral
  if (!r) return {}
  const fields = {
    sourceType: r.source_type,
    sourceId: r.source_id,
    sourceUrl: r.source_url,
    headline: r.headline,
    body: r.body,
    mediaType: r.media_type,
    ctwaClid: r.ctwa_clid,
  }
  return { referral: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) }
}

function messageEvents(body: MetaEnvelope, publisher: Publisher): AnyEvent[] {
  return changeValues(body, 'whatsapp_business_account', 'messages', MessagesValue).flatMap((value) =>
    (value.messages ?? []).map((message) => {
      const contact = value.contacts?.find((candidate) => candidate.wa_id === message.from) ?? value.contacts?.[0]
      const name = contact?.profile?.name
      return publisher.event({
        type: 'inbound.whatsapp.message.v1',
        id: `wa:${message.id}`,
        subject: `wa:${message.from}`,
        data: {
          messageId: message.id,
          waId: message.from,
          ...(name ? { profileName: name } : {}),
          phoneNumberId: value.metadata.phone_number_id,
          ...(value.metadata.display_phone_number === undefined ? {} : { displayPhoneNumber: value.metadata.display_phone_number }),
          timestamp: new Date(Number(message.timestamp) * 1000).toISOString(),
          messageType: message.type,
          ...content(message),
          ...referral(message),
        },
      })
    }),
  )
}

export const whatsappRoutes = metaWebhook('/webhooks/whatsapp', 'whatsapp', messageEvents)
