// The edges of HTTP, through real sockets: what a client gets when its request is too big, too slow,
// malformed or aimed at nothing. Every refusal is the same JSON shape, is logged and counted, never echoes
// the client's path or headers, and never reaches the broker.
import http from 'node:http'
import net from 'node:net'
import t from 'tap'
import { fixture, harness, hubSignature, waitFor, type Harness } from './helpers.js'

const single = fixture('meta-leadgen-webhook.json')
const SIGNED = { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(single) }

async function listen(app: Harness['app']): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as net.AddressInfo).port
}

interface Answer {
  status?: number
  body?: string
  /** Set when the connection failed instead of answering (EPIPE, ECONNRESET). */
  error?: string
}

/** One request on its own connection; a reset instead of an answer is reported, not thrown. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer }): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, agent: false, method: options.method ?? 'POST', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end(options.body)
  })
}

/** Raw bytes on a fresh connection (optionally one more byte every `dripMs`); everything read until the server closes. */
function raw(port: number, bytes: string, dripMs?: number): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let drip: NodeJS.Timeout | undefined
    socket.on('connect', () => {
      socket.write(bytes)
      if (dripMs) drip = setInterval(() => socket.writable && socket.write(' '), dripMs)
    })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearInterval(drip)
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', body = ''] = text.split('\r\n\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
      if (Number.isNaN(status)) reject(new Error('no HTTP answer'))
      else resolve({ status, headers: head.toLowerCase(), body })
    })
  })
}

function completedLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request completed')
}

/**
 * Sends the head and the first 64 KB of a 4 MB body, waits for the answer, then sends the rest:
 * what a client still uploading when the server refuses experiences, made deterministic.
 */
function uploadAfterAnswer(port: number, headers: string[]): Promise<{ answer: string; error?: string; closedCleanly: boolean }> {
  const body = Buffer.alloc(4 * 1024 * 1024, 'a')
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let answer = ''
    let error: string | undefined
    let sending = false
    socket.on('connect', () => socket.write(`${[...headers, `Content-Length: ${body.length}`].join('\r\n')}\r\n\r\n`) && socket.write(body.subarray(0, 65_536)))
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8')
      if (sending || !answer.includes('\r\n\r\n{')) return
      sending = true
      socket.write(body.subarray(65_536))
    })
    socket.on('error', (failure: NodeJS.ErrnoException) => (error = failure.code ?? failure.message))
    socket.on('close', (hadError) => resolve({ answer, ...(error ? { error } : {}), closedCleanly: !hadError }))
  })
}

t.test('a 4 MB body gets its 413 and the rest of the upload is read, never reset', async (t) => {
  const { app, received } = await harness(t)
  const port = await listen(app)
  const head = ['POST /webhooks/meta HTTP/1.1', 'Host: ingress', 'Content-Type: application/json', `X-Hub-Signature-256: ${hubSignature(single)}`, 'Connection: close']
  const upload = await uploadAfterAnswer(port, head)
  t.match(upload.answer, /^HTTP\/1\.1 413 /)
  t.match(upload.answer, /\{"statusCode":413,"code":"FST_ERR_CTP_BODY_TOO_LARGE","message":"Request body is too large"\}/)
  t.equal(upload.error, undefined, 'no EPIPE or ECONNRESET while the client finishes sending')
  t.ok(upload.closedCleanly, 'the server closes once the client sent everything, as it asked')

  const refusedEarly = await uploadAfterAnswer(port, ['POST /webhooks/meta HTTP/1.1', 'Host: ingress', 'Content-Type: application/json', 'Connection: close'])
  t.match(refusedEarly.answer, /^HTTP\/1\.1 401 /, 'a refusal from the headers alone, same treatment')
  t.equal(refusedEarly.error, undefined)

  const answers = await Promise.all(Array.from({ length: 10 }, () => request(port, { path: '/webhooks/meta', headers: SIGNED, body: Buffer.alloc(4 * 1024 * 1024, 'a') })))
  t.same(answers.map((answer) => answer.error ?? answer.status), Array(10).fill(413), 'an ordinary client reads its 413 every time')
  t.equal(received.length, 0, 'nothing published')
})

t.test('a body trickling in is cut after REQUEST_TIMEOUT_MS with a JSON 408, logged and counted once', async (t) => {
  const { app, received, logs } = await harness(t, { config: { requestTimeoutMs: 300 } })
  const port = await listen(app)
  const head = ['POST /webhooks/meta?hub.verify_token=meta-verify-token HTTP/1.1', 'Host: ingress', 'Content-Type: application/json', `X-Hub-Signature-256: ${hubSignature(single)}`, `Content-Length: ${single.length}`]
  const answer = await raw(port, `${head.join('\r\n')}\r\n\r\n{`, 50)
  t.equal(answer.status, 408)
  t.match(answer.headers, /content-type: application\/json/)
  t.match(answer.headers, /x-content-type-options: nosniff/, 'the security headers of every answer')
  t.same(JSON.parse(answer.body), { statusCode: 408, code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' })
  const lines = await waitFor(() => completedLines(logs.text()).length > 0 && completedLines(logs.text()), 'the log line')
  t.match(lines, [{ status: 408, outcome: 'refused', reason: 'request_timeout' }])
  t.equal(lines.length, 1, 'one line for the request')
  const metrics = (await app.inject({ url: '/metrics' })).body
  t.match(metrics, /ingress_requests_total\{source="unknown",outcome="refused",reason="request_timeout",service="ingress"\} 1/)
  t.notMatch(logs.text(), /verify_token|meta-verify-token/, 'the query string is never logged')
  t.equal(received.length, 0, 'nothing published')
})

t.test('414, 431, a malformed URL and a request that is not HTTP: one JSON shape, no echo, logged and counted', async (t) => {
  const { app, received, logs } = await harness(t)
  const port = await listen(app)
  const longKey = 'k'.repeat(8_000)
  const tooLong = await request(port, { path: `/webhooks/forms/${longKey}`, headers: SIGNED, body: single })
  t.equal(tooLong.status, 414)
  t.same(JSON.parse(tooLong.body ?? '{}'), { statusCode: 414, code: 'URI_TOO_LONG', message: 'a path segment is too long' })

  const malformed = await request(port, { path: '/webhooks/forms/evil%E0%A4%zz', headers: SIGNED, body: single })
  t.equal(malformed.status, 400)
  t.same(JSON.parse(malformed.body ?? '{}'), { statusCode: 400, code: 'MALFORMED_URL', message: 'the URL is not validly encoded' })

  const hugeHeader = await raw(port, `GET /webhooks/meta HTTP/1.1\r\nHost: ingress\r\nX-Pad: ${'h'.repeat(20_000)}\r\n\r\n`)
  t.equal(hugeHeader.status, 431)
  t.same(JSON.parse(hugeHeader.body), { statusCode: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are too large' })
  t.match(hugeHeader.headers, /connection: close/)

  const notHttp = await raw(port, 'HELLO /webhooks/evil\r\n\r\n')
  t.equal(notHttp.status, 400)
  t.same(JSON.parse(notHttp.body), { statusCode: 400, code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1' })

  for (const body of [tooLong.body, malformed.body, hugeHeader.body, notHttp.body]) t.notMatch(body, /kkkk|evil|hhhh|%E0/, 'the request is not echoed')
  const lines = await waitFor(() => completedLines(logs.text()).length >= 4 && completedLines(logs.text()), 'four log lines')
  t.same(
    lines.map((line) => [line.route, line.status, line.reason]),
    [['unknown', 414, 'uri_too_long'], ['unknown', 400, 'malformed_url'], ['unknown', 431, 'headers_too_large'], ['unknown', 400, 'bad_request']],
  )
  t.notMatch(logs.text(), /kkkk|evil|hhhh/, 'nor logged')
  const metrics = (await app.inject({ url: '/metrics' })).body
  for (const reason of ['uri_too_long', 'malformed_url', 'headers_too_large', 'bad_request']) {
    t.match(metrics, new RegExp(`ingress_requests_total\\{source="unknown",outcome="refused",reason="${reason}",service="ingress"\\} 1`), reason)
  }
  t.equal(received.length, 0, 'nothing published')
})

t.test('a JSON body in another charset is refused with 415, not read as UTF-8; utf-8 in any spelling is read', async (t) => {
  const { app, received } = await harness(t)
  const port = await listen(app)
  const utf16 = Buffer.from(single.toString('utf8'), 'utf16le')
  for (const [type, body] of [['application/json; charset=utf-16', utf16], ['application/json; charset=ISO-8859-1', single]] as const) {
    const answer = await request(port, { path: '/webhooks/meta', headers: { 'content-type': type, 'x-hub-signature-256': hubSignature(body) }, body })
    t.equal(answer.status, 415, type)
    t.same(JSON.parse(answer.body ?? '{}'), { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content type must be application/json in UTF-8' })
  }
  const quoted = await request(port, { path: '/webhooks/meta', headers: { ...SIGNED, 'content-type': 'application/json; charset="UTF-8"' }, body: single })
  t.equal(quoted.status, 200, 'charset="UTF-8" is UTF-8')
  await waitFor(() => received.length > 0, 'the accepted event')
  t.equal(received.length, 1, 'only the UTF-8 body was published')
})

t.test('unknown routes spend the same per-client budget as the webhooks and get 429 once it is spent', async (t) => {
  const { app } = await harness(t, { config: { rateLimit: { max: 3, windowMs: 60_000 } } })
  const port = await listen(app)
  const scan = (path: string) => request(port, { method: 'GET', path })
  t.equal((await scan('/wp-login.php')).status, 404)
  t.equal((await scan('/.env')).status, 404)
  t.equal((await request(port, { method: 'GET', path: '/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=meta-verify-token' })).status, 200)
  const limited = await scan('/admin')
  t.equal(limited.status, 429, 'the fourth request of this client')
  t.match(JSON.parse(limited.body ?? '{}'), { statusCode: 429, code: 'RATE_LIMITED' })
  t.equal((await request(port, { method: 'GET', path: '/healthz' })).status, 200, 'health checks are never limited')
  const metrics = (await app.inject({ url: '/metrics' })).body
  t.match(metrics, /ingress_requests_total\{source="unknown",outcome="refused",reason="not_found",service="ingress"\} 2/)
  t.match(metrics, /ingress_requests_total\{source="unknown",outcome="refused",reason="rate_limited",service="ingress"\} 1/)
})
