// WhatsApp Cloud API webhook (whatsapp-cloud-api.md): the handshake, and one inbound.whatsapp.message.v1
// per inbound message (text, interactive replies, template buttons, media; with the click-to-WhatsApp
// referral when present). Delivery statuses and other fields are acknowledged without an event.
// Must never publish before the signature over the raw bytes is verified.
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsync } from 'fastify'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { describeErrors, parseJson } from '../body.js'
import { InvalidPayload } from '../errors.js'
import type { Publisher } from '../publish.js'
import { verifyHubSignature } from '../signature.js'
import { handshake } from './handshake.js'
import { rawBody, requireJson } from './raw.js'

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

const Envelope = Compile(
  Type.Object({
    object: Type.String(),
    entry: Type.Array(
      Type.Object({
        changes: Type.Optional(Type.Array(Type.Object({ field: Type.String(), value: Type.Optional(Type.Unknown()) }))),
      }),
    ),
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

export function messageEvents(body: unknown, publisher: Publisher): AnyEvent[] {
  if (!Envelope.Check(body)) throw new InvalidPayload(describeErrors(Envelope.Errors(body)))
  if (body.object !== 'whatsapp_business_account') return []
  const events: AnyEvent[] = []
  body.entry.forEach((entry, e) => {
    entry.changes?.forEach((change, c) => {
      if (change.field !== 'messages') return
      const value = change.value
      if (!MessagesValue.Check(value)) {
        throw new InvalidPayload(`/entry/${e}/changes/${c}/value${describeErrors(MessagesValue.Errors(value)).replace(/^body/, '')}`)
      }
      for (const message of value.messages ?? []) {
        const contact = value.contacts?.find((candidate) => candidate.wa_id === message.from) ?? value.contacts?.[0]
        const name = contact?.profile?.name
        events.push(
          publisher.event({
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
          }),
        )
      }
    })
  })
  return events
}

export interface WhatsAppRouteOptions {
  appSecret: string
  verifyToken: string
  publisher: Publisher
}

export const whatsappRoutes: FastifyPluginAsync<WhatsAppRouteOptions> = async (app, { appSecret, verifyToken, publisher }) => {
  app.get('/webhooks/whatsapp', handshake(verifyToken))
  app.post('/webhooks/whatsapp', async (request) => {
    requireJson(request)
    const raw = rawBody(request)
    verifyHubSignature(raw, request.headers, appSecret)
    const events = messageEvents(parseJson(raw), publisher)
    return { received: true, ...(await publisher.publish(request, events)) }
  })
}
