// Answers Fastify and Node.js give before a request reaches a route: a malformed URL or an over-long path
// parameter (Fastify's "framework errors"), and a request Node.js gives up on at the connection (headers
// too large, not received in time, not HTTP). Each gets the JSON error shape every other refusal has.
// Must never echo the requested path or any header back: it is the attacker's text (up to 16 KB of it).
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply } from 'fastify'

/** One refusal: status, stable code, a message that names the problem without quoting the request. */
export interface EdgeRefusal {
  status: number
  code: string
  message: string
}

/** Fastify's router errors (FST_ERR_BAD_URL 400, FST_ERR_MAX_PARAM_LENGTH 414): their messages quote the path. */
export function routerRefusal(error: FastifyError): EdgeRefusal {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return { status: 414, code: 'URI_TOO_LONG', message: 'a path segment is too long' }
  if (error.code === 'FST_ERR_BAD_URL') return { status: 400, code: 'MALFORMED_URL', message: 'the URL is not validly encoded' }
  return { status: error.statusCode ?? 500, code: 'ROUTING_FAILED', message: 'the request could not be routed' }
}

/** Node.js `clientError`s worth an answer; undefined when the client is gone (nothing to answer). */
export function connectionRefusal(error: Error & { code?: string }, socket: Socket): EdgeRefusal | undefined {
  if (error.code === 'ECONNRESET' || socket.destroyed) return undefined
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' }
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are too large' }
  return { status: 400, code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1' }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

/**
 * Writes the refusal straight to the socket (there is no response object at this stage) and closes it,
 * unless a response already started on it (a half-written answer must not be followed by another).
 */
export function answerOnSocket(socket: Socket, refusal: EdgeRefusal, headers: Record<string, string>): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify({ statusCode: refusal.status, code: refusal.code, message: refusal.message })
    const lines = [`HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Error'}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close']
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`)
  }
  socket.destroy()
}

/** The same refusal through Fastify's reply, for router errors (which come with a request and reply). */
export function answerOnReply(reply: FastifyReply, refusal: EdgeRefusal, headers: Record<string, string>): void {
  void reply.headers(headers).code(refusal.status).send({ statusCode: refusal.status, code: refusal.code, message: refusal.message })
}
