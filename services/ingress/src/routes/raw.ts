// Access to the raw body bytes the app's content-type parser kept (signatures cover the exact bytes).
import type { FastifyRequest } from 'fastify'
import { InvalidPayload, UnsupportedMediaType } from '../errors.js'

export function rawBody(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new InvalidPayload('body is empty')
  return request.body
}

export function requireJson(request: FastifyRequest): void {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new UnsupportedMediaType('application/json')
}
