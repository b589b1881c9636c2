// The Fastify factory every HTTP service starts from: helmet, health and metrics endpoints, JSON 404,
// an error handler, JSON answers at the edges (edge-answers.ts) and one log line per answer. Must never
// send a stack trace or an internal error message to a client, and never log headers, bodies or query
// strings (they carry tokens and PII).
import helmet from '@fastify/helmet'
import type { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import type { Logger } from 'pino'
import { answerOnReply, answerOnSocket, connectionRefusal, routerRefusal, type EdgeRefusal } from './edge-answers.js'
import type { Metrics } from './metrics.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Why a request was refused or failed (e.g. `bad_signature`); logged and counted. */
    outcomeReason: string | undefined
    /** Ids of the events this request published, logged on its 'request completed' line (a journey's first step). */
    eventIds: readonly string[] | undefined
  }
}

export interface Readiness {
  ok: boolean
  checks: Record<string, boolean>
}

/** One answered request, as logged: `route` is the route pattern, `unknown` before or without routing. */
export interface Answer {
  route: string
  status: number
  outcome: 'ok' | 'refused' | 'failed'
  reason: string | undefined
}

export interface HttpServerOptions {
  service: string
  log: Logger
  metrics: Metrics
  /** Called by `/readyz`; 200 when ok, 503 otherwise, the checks as JSON either way. */
  ready?: () => Promise<Readiness>
  /** Called once per answer, the edge answers included: for a service's own counters. */
  onAnswer?: (answer: Answer) => void
  /**
   * Passed to Fastify: trustProxy (an IP/CIDR list, never a hop count), bodyLimit, timeouts.
   * `requestTimeout` (default 30 s) bounds the whole request, headers and body: a slower one gets a 408.
   */
  fastify?: Pick<FastifyServerOptions, 'trustProxy' | 'bodyLimit' | 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'>
}

/** The JSON body of every error answer. `code` is stable; `message` names the problem. */
export interface ErrorBody {
  statusCode: number
  code: string
  message: string
}

/** How much of an unknown path a 404 message repeats. */
const MAX_ECHOED_PATH = 100

/** Headers every response has before helmet runs; whatever else the probe answers with is helmet's. */
const BASE_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive'])

/**
 * The headers @fastify/helmet sets, computed once. @fastify/helmet rebuilds helmet's middleware (CSP
 * directive parsing included) on every request, which cost ~8% of the ingress's CPU under load; our
 * responses are JSON/text with one static policy, so the same headers are applied from a constant.
 */
async function helmetHeaders(): Promise<Record<string, string>> {
  const probe = Fastify()
  // The services answer JSON and text, never HTML: the tightest policy, and far fewer bytes per response
  // than helmet's default (a page-oriented CSP).
  await probe.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  })
  probe.get('/', async () => 'probe')
  const response = await probe.inject({ method: 'GET', url: '/' })
  await probe.close()
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (!BASE_HEADERS.has(name) && typeof value === 'string') headers[name] = value
  }
  return headers
}

/** Connections reading and discarding the rest of a body that was answered before it arrived. */
const draining = new WeakSet<Socket>()

/**
 * Answering before the body is in (413 on Content-Length, a refused signature, an unknown route): closing
 * the connection right after the answer resets it while the client is still sending, and the client never
 * reads the answer (11–22% of 4 MB posts got EPIPE). RFC 9112 §9.6's staged close instead: keep reading and
 * discarding the rest, then close if the client asked to (or when requestTimeout cuts the drain).
 */
function drainBeforeClosing(request: IncomingMessage, reply: FastifyReply): void {
  const { socket } = request
  if (!(socket instanceof Socket)) return // an injected request has no connection to keep
  const closeAfter = !reply.raw.shouldKeepAlive || reply.getHeader('connection') === 'close'
  void reply.removeHeader('connection')
  reply.raw.shouldKeepAlive = true
  draining.add(socket)
  request.unpipe()
  request.removeAllListeners('data')
  request.resume()
  request.once('end', () => {
    draining.delete(socket)
    if (closeAfter) socket.end()
  })
}

const outcomeOf = (status: number): Answer['outcome'] => (status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed')

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { log, metrics, ready, onAnswer } = options
  const securityHeaders = await helmetHeaders()
  const requestTimeout = options.fastify?.requestTimeout ?? 30_000
  // Answers given before routing have no request lifecycle: they are logged and counted here.
  const edge = (method: string, refusal: EdgeRefusal, durationMs: number) => {
    answered(method, { route: 'unknown', status: refusal.status, outcome: outcomeOf(refusal.status), reason: refusal.code.toLowerCase() }, durationMs, log)
  }
  const app = Fastify({
    loggerInstance: log,
    // Fastify's own per-request lines log the URL (query strings carry hub.verify_token): ours replace them.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Behind a proxy that keeps connections open: outlive its idle timeout (nginx default 60 s).
    keepAliveTimeout: 72_000,
    ...options.fastify,
    requestTimeout,
    // Node.js enforces requestTimeout only while headersTimeout (60 s by default) is not longer, and looks
    // every connectionsCheckingInterval (30 s): without both, a body trickling in at 1 byte/s held its
    // connection for minutes.
    http: requestTimeout > 0 ? { headersTimeout: Math.min(requestTimeout, 60_000), connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeout / 2)) } : {},
    frameworkErrors: (error, request, reply) => {
      const refusal = routerRefusal(error)
      answerOnReply(reply, refusal, securityHeaders)
      edge(request.method, refusal, reply.elapsedTime)
    },
    clientErrorHandler: (error, socket) => {
      const refusal = connectionRefusal(error, socket)
      // A connection draining a refused body already has its answer: the timeout just ends the drain.
      if (!refusal || draining.has(socket)) return socket.destroy()
      answerOnSocket(socket, refusal, securityHeaders)
      edge('unknown', refusal, 0)
    },
  }) as unknown as FastifyInstance

  const requests = metrics.counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['method', 'route', 'status_code'],
  })
  const duration = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  })

  app.decorateRequest('outcomeReason', undefined)
  app.decorateRequest('eventIds', undefined)

  // While closing, Fastify answers new requests 503, but a keep-alive connection whose request was in
  // flight would stay open and hold close() until the deadline: tell the client to hang up instead.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close')
    else if (!request.raw.complete) drainBeforeClosing(request.raw, reply)
    done(null, payload)
  })
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders)
    done()
  })

  // Label sets repeat: keep each child rather than hashing the labels on every request.
  const series = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>()
  /** One log line and one count per answer, wherever it was given. */
  function answered(method: string, answer: Answer, durationMs: number, logger: FastifyBaseLogger, eventIds?: readonly string[]): void {
    const key = `${method} ${answer.route} ${answer.status}`
    let metric = series.get(key)
    if (!metric) {
      metric = { count: requests.labels(method, answer.route, String(answer.status)), time: duration.labels(method, answer.route) }
      series.set(key, metric)
    }
    metric.count.inc()
    metric.time.observe(durationMs / 1000)
    onAnswer?.(answer)
    const line = {
      method,
      route: answer.route,
      status: answer.status,
      outcome: answer.outcome,
      ...(answer.reason ? { reason: answer.reason } : {}),
      duration_ms: Math.round(durationMs * 100) / 100,
      ...(eventIds ? { event_ids: eventIds } : {}),
    }
    logger[answer.status >= 500 ? 'error' : 'info'](line, 'request completed')
  }

  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode
    answered(request.method, { route: request.routeOptions.url ?? 'unknown', status, outcome: outcomeOf(status), reason: request.outcomeReason }, reply.elapsedTime, request.log, request.eventIds)
    done()
  })

  app.setNotFoundHandler((request, reply) => {
    request.outcomeReason = 'not_found'
    const path = request.url.split('?')[0] ?? ''
    // The path is the client's text: echo a bounded prefix at most.
    const shown = path.length > MAX_ECHOED_PATH ? `${path.slice(0, MAX_ECHOED_PATH)}…` : path
    const body: ErrorBody = { statusCode: 404, code: 'NOT_FOUND', message: `no route ${request.method} ${shown}` }
    return reply.code(404).send(body)
  })

  app.setErrorHandler((error: FastifyError & { headers?: Record<string, string> }, request, reply) => {
    // An error that carries its own statusCode was thrown on purpose (a typed error or Fastify's
    // body/validation errors): its message is meant for the client. Anything else is a bug: 500, no details.
    const deliberate = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
    const status = deliberate ? (error.statusCode as number) : 500
    request.outcomeReason ??= deliberate ? (error.code ?? 'error').toLowerCase() : 'internal_error'
    if (!deliberate) request.log.error({ err: error }, 'request failed')
    if (error.headers) void reply.headers(error.headers)
    const body: ErrorBody = deliberate
      ? { statusCode: status, code: error.code ?? 'ERROR', message: error.message }
      : { statusCode: 500, code: 'INTERNAL', message: 'internal error' }
    return reply.code(status).send(body)
  })

  app.get('/healthz', async () => ({ ok: true }))
  app.get('/readyz', async (_request, reply) => {
    const state = ready ? await ready().catch((): Readiness => ({ ok: false, checks: { ready: false } })) : { ok: true, checks: {} }
    return reply.code(state.ok ? 200 : 503).send(state)
  })
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })

  return app
}
