// What the Meta and WhatsApp webhooks share (meta-lead-ads.md, whatsapp-cloud-api.md): the
// `{ object, entry[].changes[] }` envelope, its walk, and the route pair (GET handshake, POST signed JSON).
// Must never publish before the signature over the raw bytes is verified (config.signature does that).
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static } from 'typebox'
import { checkAt, type Checker } from '../body.js'
import { Accepted, type Publisher } from '../publish.js'
import { handshake } from './handshake.js'

/** The envelope as every Meta webhook sends it; each change's `value` is checked by the route that wants it. */
export const MetaEnvelope = Type.Object({
  object: Type.String(),
  entry: Type.Array(
    Type.Object({
      changes: Type.Optional(Type.Array(Type.Object({ field: Type.String(), value: Type.Optional(Type.Unknown()) }))),
    }),
  ),
})
export type MetaEnvelope = Static<typeof MetaEnvelope>

/**
 * The `value` of every change of `field` when the envelope is for `object`, each checked against `value`;
 * another object yields nothing, a bad value is the sender's fault (400, with its path).
 */
export function changeValues<T>(body: MetaEnvelope, object: string, field: string, value: Checker<T>): T[] {
  if (body.object !== object) return []
  const values: T[] = []
  body.entry.forEach((entry, e) => {
    entry.changes?.forEach((change, c) => {
      if (change.field === field) values.push(checkAt(value, change.value, `/entry/${e}/changes/${c}/value`))
    })
  })
  return values
}

export interface MetaWebhookOptions {
  verifyToken: string
  publisher: Publisher
}

/** GET `path` answers the subscription handshake; POST `path` (signed with `signature`) publishes `toEvents(body)`. */
export function metaWebhook(
  path: string,
  signature: string,
  toEvents: (body: MetaEnvelope, publisher: Publisher) => AnyEvent[],
): FastifyPluginAsyncTypebox<MetaWebhookOptions> {
  return async (app, { verifyToken, publisher }) => {
    app.get(path, handshake(verifyToken))
    app.post(path, { config: { signature }, schema: { body: MetaEnvelope, response: { 200: Accepted } } }, async (request) => ({
      received: true as const,
      ...(await publisher.publish(request, toEvents(request.body, publisher))),
    }))
  }
}
