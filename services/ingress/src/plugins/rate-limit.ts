// One request budget per client IP, shared by every webhook route and every unknown path (a scanner
// probing for routes spends the same budget); health, readiness and metrics are never limited.
// The key is the plugin's default, request.ip (the socket address unless the hop is in TRUST_PROXY: then
// the first untrusted X-Forwarded-For entry), IPv6 masked to its /64 so one host cannot rotate through its
// prefix. Must never key on a header the client controls.
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { RateLimited } from '../errors.js'

export interface RateLimitOptions {
  max: number
  windowMs: number
}

const LIMITED_PREFIX = '/webhooks/'

export const rateLimiting = fp<RateLimitOptions>(
  async (app, { max, windowMs }) => {
    await app.register(rateLimit, {
      global: false,
      max,
      timeWindow: windowMs,
      errorResponseBuilder: (_request, context) => new RateLimited(context.after),
      // Senders under the limit need no X-RateLimit-* headers; a 429 still carries them and Retry-After.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    })
    const limit = app.rateLimit()
    // A root hook reaches the not-found handler too, which a route's own hook cannot.
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.is404 && !request.routeOptions.url?.startsWith(LIMITED_PREFIX)) return done()
      limit.call(app, request, reply).then(() => done(), done)
    })
  },
  { name: 'rate-limiting', fastify: '5.x' },
)
