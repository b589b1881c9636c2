// Sign-in, sign-out and the language switch, plus the hook that keeps every other page and API route
// behind a session: a page redirects to /login, an API route answers 401 JSON, and a POST without the
// session's CSRF token answers 403. Only /login, /lang, the assets and the runtime's probes are public.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SESSION_COOKIE, SESSION_MS, csrfMatches, csrfToken, parseSession, sessionValue, verifyPassword, type Session } from '../../auth.js'
import { html } from '../html.js'
import { formatter, langOf, type Formatter } from '../i18n.js'
import { layout } from '../layout.js'

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | undefined
  }
}

export interface SessionOptions {
  readonly passwordHash: string
  readonly secret: string
  readonly secureCookie: boolean
  readonly timeZone: string
  readonly now: () => number
}

export const ADMIN = 'admin'
const PUBLIC = new Set(['/login', '/lang', '/healthz', '/readyz', '/metrics'])

/** A path on this site to go back to; anything else (another host, `//evil`) goes home. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/'
}

export function formatterFor(request: FastifyRequest, timeZone: string): Formatter {
  return formatter(langOf(request.cookies['lang']), timeZone)
}

export function csrfOf(request: FastifyRequest, secret: string): string | undefined {
  return request.session === undefined ? undefined : csrfToken(secret, request.session)
}

const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ statusCode: status, code, message })

export function sessionRoutes(app: FastifyInstance, options: SessionOptions): void {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.secureCookie, signed: true }
  app.decorateRequest('session', undefined)

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE]
    if (raw !== undefined) {
      const unsigned = request.unsignCookie(raw)
      if (unsigned.valid && unsigned.value !== null) request.session = parseSession(unsigned.value, options.now())
    }
    const path = request.url.split('?')[0] ?? '/'
    if (PUBLIC.has(path) || path.startsWith('/assets/')) return
    if (request.session === undefined) {
      request.outcomeReason = 'not_signed_in'
      if (path.startsWith('/api/')) return refuse(reply, 401, 'NOT_SIGNED_IN', 'sign in first: POST /login')
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`)
    }
  })
  // After the body is parsed: the token comes in the form (pages) or the x-csrf-token header (API).
  app.addHook('preHandler', async (request, reply) => {
    // Signing in again while signed in needs no token: the password is the proof.
    if (request.method !== 'POST' || request.session === undefined || request.url === '/login') return
    const body = request.body as Record<string, unknown> | undefined
    if (!csrfMatches(options.secret, request.session, request.headers['x-csrf-token'] ?? body?.['_csrf'])) {
      request.outcomeReason = 'bad_csrf'
      return refuse(reply, 403, 'BAD_CSRF_TOKEN', 'missing or wrong CSRF token: reload the page and try again')
    }
  })

  const loginPage = (request: FastifyRequest, failed: boolean, next: string) => {
    const f = formatterFor(request, options.timeZone)
    return layout({
      f,
      title: f.words.signIn,
      path: `/login?next=${encodeURIComponent(next)}`,
      body: html`<form method="post" action="/login" class="card login">
${failed ? html`<p role="alert" class="error">${f.words.badLogin}</p>` : ''}
<input type="hidden" name="next" value="${next}">
<label for="user">${f.words.user}</label>
<input id="user" name="user" autocomplete="username" value="${ADMIN}" required>
<label for="password">${f.words.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${f.words.signIn}</button>
</form>`,
    }).text
  }

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>)['next'])
    return reply.type('text/html; charset=utf-8').send(loginPage(request, false, next))
  })

  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const next = safeNext(body['next'])
    const json = !request.headers['content-type']?.includes('form')
    const ok = body['user'] === ADMIN && typeof body['password'] === 'string' && (await verifyPassword(body['password'], options.passwordHash))
    if (!ok) {
      request.outcomeReason = 'bad_login'
      if (json) return refuse(reply, 401, 'BAD_LOGIN', 'wrong user or password')
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage(request, true, next))
    }
    const value = sessionValue(ADMIN, options.now())
    void reply.setCookie(SESSION_COOKIE, value, { ...cookieOptions, maxAge: SESSION_MS / 1000 })
    const session = parseSession(value, options.now()) as Session
    if (json) return { user: ADMIN, csrf: csrfToken(options.secret, session) }
    return reply.redirect(next, 303)
  })

  app.post('/logout', async (_request, reply) => {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/login', 303)
  })

  app.get('/lang', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    void reply.setCookie('lang', langOf(query['to']), { path: '/', sameSite: 'lax', secure: options.secureCookie, maxAge: 365 * 24 * 3600 })
    return reply.redirect(safeNext(query['next']), 303)
  })
}
