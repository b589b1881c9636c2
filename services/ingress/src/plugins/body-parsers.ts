// The ingress's only body parsers: JSON, and for forms urlencoded too, declared in UTF-8 or with no charset.
// They run once the signature plugin let the raw bytes through, and keep those bytes as request.rawBody
// (a form's id is a digest of them). Must never guess a charset: another one is a 415.
import type { FastifyInstance } from 'fastify'
import { parseJson, parseUrlEncoded, requireUtf8 } from '../body.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes the body was parsed from (set by the parsers below). */
    rawBody: Buffer | undefined
  }
}

export function jsonBodies(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('rawBody')) app.decorateRequest('rawBody', undefined)
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    requireUtf8(request.headers['content-type'], 'application/json')
    request.rawBody = raw as Buffer
    done(null, parseJson(raw as Buffer))
  })
}

export function urlEncodedBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, raw, done) => {
    requireUtf8(request.headers['content-type'], 'application/x-www-form-urlencoded')
    request.rawBody = raw as Buffer
    done(null, parseUrlEncoded(raw as Buffer))
  })
}
