// Web and landing-page forms: POST /webhooks/forms/:formKey, JSON or urlencoded, authenticated per form
// by an X-GAssistant-Signature HMAC (browser posts through a signing backend) or an X-API-Key header
// (server-side posts): route config `signature: 'form'`. UTM parameters are kept apart → inbound.form.submitted.v1.
// Must never publish an unauthenticated submission, nor log field values (they are personal data).
import { createHash } from 'node:crypto'
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static } from 'typebox'
import { InvalidPayload } from '../errors.js'
import { urlEncodedBodies } from '../plugins/body-parsers.js'
import { Accepted, type Publisher } from '../publish.js'

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const
const MAX_FIELDS = 100

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()])
/** A JSON object of fields (a multi-select is a list) or the urlencoded fields; nothing nested. */
const FormBody = Type.Record(Type.String(), Type.Union([Scalar, Type.Null(), Type.Array(Scalar)]))
const Params = Type.Object({ formKey: Type.String() })

/** Values become strings; a multi-select list is joined; empty values are dropped. */
function textFields(body: Static<typeof FormBody>): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    if (value === null) continue
    fields[key] = Array.isArray(value) ? value.map(String).join(', ') : String(value)
  }
  return fields
}

function formEvent(formKey: string, raw: Buffer, fields: Record<string, string>, now: Date, publisher: Publisher): AnyEvent {
  const all = { ...fields }
  const utm: Record<string, string> = {}
  for (const key of UTM_KEYS) {
    const value = all[`utm_${key}`]?.trim()
    delete all[`utm_${key}`]
    if (value) utm[key] = value
  }
  const pageUrl = all.page_url ?? all.pageUrl
  delete all.page_url
  delete all.pageUrl
  const names = Object.keys(all)
  if (names.length === 0) throw new InvalidPayload('form has no fields')
  if (names.length > MAX_FIELDS) throw new InvalidPayload(`form has more than ${MAX_FIELDS} fields`)
  // Same key + same bytes → same id, so a resubmitted (retried) post is recognised downstream.
  const digest = createHash('sha256').update(formKey).update('\n').update(raw).digest('hex')
  return publisher.event({
    type: 'inbound.form.submitted.v1',
    id: `form:${formKey}:${digest.slice(0, 40)}`,
    subject: `form:${formKey}`,
    data: {
      formKey,
      submissionId: digest,
      submittedAt: now.toISOString(),
      fields: all,
      utm,
      ...(pageUrl ? { pageUrl } : {}),
    },
  })
}

export interface FormRouteOptions {
  publisher: Publisher
  clock: () => Date
}

export const formRoutes: FastifyPluginAsyncTypebox<FormRouteOptions> = async (app, { publisher, clock }) => {
  urlEncodedBodies(app)
  const schema = { params: Params, body: FormBody, response: { 200: Accepted } }
  app.post('/webhooks/forms/:formKey', { config: { signature: 'form' }, schema }, async (request) => {
    // The signature scheme already refused an unknown form key; the parsers kept the raw bytes.
    const event = formEvent(request.params.formKey, request.rawBody ?? Buffer.alloc(0), textFields(request.body), clock(), publisher)
    return { received: true as const, ...(await publisher.publish(request, [event])) }
  })
}
