// Meta's subscription handshake, shared by the Meta and WhatsApp routes (meta-lead-ads.md §1):
// hub.mode=subscribe and our verify token → the challenge echoed as text/plain; anything else → 403.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { VerificationFailed } from '../errors.js'
import { sameSecret } from '../schemes.js'

export function handshake(verifyToken: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>
    const mode = query['hub.mode']
    const token = query['hub.verify_token']
    const challenge = query['hub.challenge']
    const ok =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      sameSecret(verifyToken, token) &&
      typeof challenge === 'string' &&
      /^[\w.-]{1,256}$/.test(challenge)
    if (!ok) {
      request.outcomeReason = 'verification_failed'
      throw new VerificationFailed()
    }
    request.outcomeReason = 'verified'
    return reply.type('text/plain; charset=utf-8').send(challenge)
  }
}
