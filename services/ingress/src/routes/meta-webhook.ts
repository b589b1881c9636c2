// What the Meta and WhatsApp webhooks share (meta-lead-ads.md, whatsapp-cloud-api.md): the
// `{ object, entry[].changes[] }` envelope walk and the route pair (GET handshake, POST signed JSON).
// Must never publish before the signature over the raw bytes is verified.
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { checkAt, describeErrors, parseJson, type Checker } from '../body.js'
import { InvalidPayload } from '../errors.js'
import type { Publisher } from '../publish.js'
import { verifyHubSignature } from '../signature.js'
import { handshake } from './handshake.js'
import { rawBody, requireJson } from './raw.js'

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

/**
 * The `value` of every change of `field` when the envelope is for `object`, each checked against `value`;
 * another object yields nothing, a bad envelope or value is the sender's fault (400, with its path).
 */
export function changeValues<T>(body: unknown, object: string, field: string, value: Checker<T>): T[] {
  if (!Envelope.Check(body)) throw new InvalidPayload(describeErrors(Envelope.Errors(body)))
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
  appSecret: string
  verifyToken: string
  publisher: Publisher
}

/** GET `path` answers the subscription handshake; POST `path` verifies, parses and publishes `toEvents(body)`. */
export function metaWebhook(
  path: string,
  toEvents: (body: unknown, publisher: Publisher) => AnyEvent[],
): FastifyPluginAsync<MetaWebhookOptions> {
  return async (app, { appSecret, verifyToken, publisher }) => {
    app.get(path, handshake(verifyToken))
    app.post(path, async (request) => {
      requireJson(request)
      const raw = rawBody(request)
      verifyHubSignature(raw, request.headers, appSecret)
      const events = toEvents(parseJson(raw), publisher)
      return { received: true, ...(await publisher.publish(request, events)) }
    })
  }
}
