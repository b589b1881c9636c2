// Web and landing-page forms: POST /webhooks/forms/:formKey, JSON or urlencoded, authenticated per form
// by an X-GAssistant-Signature HMAC (browser posts through a signing backend) or an X-API-Key header
// (server-side posts). UTM parameters are kept apart → inbound.form.submitted.v1.
// Must never publish an unauthenticated submission, nor log field values (they are personal data).
import { createHash } from 'node:crypto'
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { parseJson, parseUrlEncoded } from '../body.js'
import type { FormCredentials } from '../config.js'
import { InvalidApiKey, InvalidPayload, MissingSignature, UnknownForm, UnsupportedMediaType } from '../errors.js'
import type { Publisher } from '../publish.js'
import { GASSISTANT_HEADER, sameSecret, verifyGAssistantSignature } from '../signature.js'
import { rawBody } from './raw.js'

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const
const MAX_FIELDS = 100
const FORM_KEY = /^[A-Za-z0-9_-]{1,64}$/

function authenticate(request: FastifyRequest, raw: Buffer, credentials: FormCredentials, now: Date): void {
  if (request.headers[GASSISTANT_HEADER] !== undefined && credentials.secret) {
    verifyGAssistantSignature(raw, request.headers, credentials.secret, now)
    return
  }
  const apiKey = request.headers['x-api-key']
  if (typeof apiKey === 'string' && credentials.apiKey) {
    if (!sameSecret(credentials.apiKey, apiKey)) throw new InvalidApiKey()
    return
  }
  throw new MissingSignature(credentials.secret ? 'X-GAssistant-Signature' : 'X-API-Key')
}

/** JSON values become strings; a multi-select array is joined; nested objects are refused. */
function jsonFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidPayload('body must be a JSON object of fields')
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue
    if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) fields[key] = value.map(String).join(', ')
    else if (typeof value === 'object') throw new InvalidPayload(`/${key} must be a string, number, boolean or list of them`)
    else fields[key] = String(value)
  }
  return fields
}

function readFields(request: FastifyRequest, raw: Buffer): Record<string, string> {
  const type = request.headers['content-type'] ?? ''
  if (/^application\/json\s*(;|$)/i.test(type)) return jsonFields(parseJson(raw))
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return parseUrlEncoded(raw)
  throw new UnsupportedMediaType('application/json or application/x-www-form-urlencoded')
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
  forms: Record<string, FormCredentials>
  publisher: Publisher
  clock: () => Date
}

export const formRoutes: FastifyPluginAsync<FormRouteOptions> = async (app, { forms, publisher, clock }) => {
  app.post<{ Params: { formKey: string } }>('/webhooks/forms/:formKey', async (request) => {
    const { formKey } = request.params
    const credentials = FORM_KEY.test(formKey) && Object.hasOwn(forms, formKey) ? forms[formKey] : undefined
    if (!credentials) throw new UnknownForm()
    const raw = rawBody(request)
    const now = clock()
    authenticate(request, raw, credentials, now)
    const event = formEvent(formKey, raw, readFields(request, raw), now, publisher)
    return { received: true, ...(await publisher.publish(request, [event])) }
  })
}
