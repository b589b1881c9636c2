// The hub-ready wake-up, through the wired ingress (wireIngress, as main.ts runs it) on the real RabbitMQ:
// a local HTTP server stands in for the addon's /gassistant/hub-ready and checks what arrives.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { createAmqpBus } from '@gassistant/bus'
import { signGAssistant, verifyGAssistant } from '@gassistant/contracts'
import { createMetrics, loadConfig } from '@gassistant/runtime'
import { IngressSettings, wireIngress, type HubReadyTiming } from '../src/index.js'
import { AMQP_URL, ODOO_SECRET, captureLog, recordExchange, waitFor } from './helpers.js'

interface Call { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }
interface LogLine { level: string; msg: string; [key: string]: unknown }

/** The addon's route as a local server: records each call and answers `statuses` in turn (the last repeats); 0 never answers. */
async function addon(t: Test, statuses: number[]): Promise<{ url: string; calls: Call[] }> {
  const calls: Call[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      calls.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      const status = statuses[Math.min(calls.length, statuses.length) - 1] ?? 202
      if (status === 0) return
      response.writeHead(status, { 'content-type': 'application/json' }).end(status === 202 ? '{"woken":true}' : '{"error":"refused"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gassistant/hub-ready`, calls }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The ingress as main.ts wires it, on a unique exchange, listening on an OS-assigned port. */
async function startIngress(t: Test, env: Record<string, string>, hubReady: HubReadyTiming = {}) {
  const exchange = `test.ingress.hubready.${randomBytes(6).toString('hex')}`
  const received = await recordExchange(t, exchange)
  const logs = captureLog()
  const settings = loadConfig(IngressSettings, {
    META_APP_SECRET: 'meta-app-secret', META_VERIFY_TOKEN: 'verify-me', ODOO_WEBHOOK_SECRET: ODOO_SECRET, PORT: '0', HOST: '127.0.0.1', ...env,
  })
  const bus = await createAmqpBus({ url: AMQP_URL, exchange, connectionName: 'ingress-hubready-test' })
  const ingress = await wireIngress(settings, { bus, log: logs.log, metrics: createMetrics('ingress', { defaultMetrics: false }), hubReady })
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await ingress.stop()
    await bus.close()
  }
  t.teardown(stop)
  const address = await ingress.start()
  const lines = (): LogLine[] => logs.text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine)
  return { address, received, logs, lines, stop }
}

const vectors = JSON.parse(readFileSync(new URL('../../../libs/contracts/test-vectors/gassistant-signature.json', import.meta.url), 'utf8')) as { body: string }[]
const leadCreated = vectors.find((v) => v.body.includes('"event":"lead.created"') && !v.body.includes('\\u0627'))!.body

/** A lead.created webhook signed now, as the addon sends it. */
async function postOdooWebhook(address: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${address}/webhooks/odoo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gassistant-signature': signGAssistant(ODOO_SECRET, Math.floor(Date.now() / 1000), leadCreated) },
    body: leadCreated,
  })
  return { status: response.status, body: await response.json() }
}

const hubReadyLines = (lines: LogLine[]) => lines.filter((line) => /hub is ready|hub-ready/.test(line.msg))

t.test('once listening, the ingress sends Odoo one hub.ready signed with the shared secret', async (t) => {
  const odoo = await addon(t, [202])
  const { logs, lines } = await startIngress(t, { ODOO_HUB_READY_URL: odoo.url })
  const info = await waitFor(() => lines().find((line) => line.msg === 'told Odoo the hub is ready, its backlog follows'), 'the info line')
  t.equal(odoo.calls.length, 1)
  const call = odoo.calls[0]!
  t.match(call, { method: 'POST', path: '/gassistant/hub-ready', headers: { 'content-type': 'application/json' } })
  t.same(JSON.parse(call.body), { event: 'hub.ready' })
  const signature = call.headers['x-gassistant-signature']
  t.equal(verifyGAssistant(typeof signature === 'string' ? signature : undefined, call.body, ODOO_SECRET, Date.now() / 1000), undefined, 'the signature holds')
  t.match(info, { host: new URL(odoo.url).host, status: 202, attempts: 1 })
  t.notOk(logs.text().includes(ODOO_SECRET) || logs.text().includes(String(signature)), 'neither the secret nor the signature is logged')
})

t.test('a 5xx is retried, each attempt signed, then the 202 counts', async (t) => {
  const odoo = await addon(t, [503, 202])
  const { lines } = await startIngress(t, { ODOO_HUB_READY_URL: odoo.url }, { backoffMs: 1 })
  const info = await waitFor(() => lines().find((line) => line.msg.startsWith('told Odoo')), 'the info line')
  t.match(info, { status: 202, attempts: 2 })
  t.equal(odoo.calls.length, 2)
  for (const call of odoo.calls) {
    const signature = call.headers['x-gassistant-signature']
    t.equal(verifyGAssistant(typeof signature === 'string' ? signature : undefined, call.body, ODOO_SECRET, Date.now() / 1000), undefined, 'each attempt is signed')
  }
  t.equal(hubReadyLines(lines()).length, 1, 'one line for the whole call')
})

const failures: { name: string; receiver: (t: Test) => Promise<string>; hubReady: HubReadyTiming; facts: Record<string, unknown> }[] = [
  {
    name: 'a 401 (another secret) is not retried',
    receiver: async (t) => (await addon(t, [401])).url,
    hubReady: { backoffMs: 1 },
    facts: { status: 401, attempts: 1, reason: /refused the signature: ODOO_WEBHOOK_SECRET differs/ },
  },
  {
    name: 'an unreachable Odoo is tried three times',
    receiver: async () => `http://127.0.0.1:${await closedPort()}/gassistant/hub-ready`,
    hubReady: { backoffMs: 1 },
    facts: { attempts: 3, reason: 'not reachable (ECONNREFUSED)' },
  },
  {
    name: 'an Odoo that never answers times out',
    receiver: async (t) => (await addon(t, [0])).url,
    hubReady: { timeoutMs: 50, attempts: 2, backoffMs: 1 },
    facts: { attempts: 2, reason: 'no answer within 50 ms' },
  },
]

for (const failure of failures) {
  t.test(`${failure.name}: the ingress starts and answers webhooks all the same, with one warn line`, async (t) => {
    const url = await failure.receiver(t)
    const { address, received, lines, logs } = await startIngress(t, { ODOO_HUB_READY_URL: url }, failure.hubReady)
    t.same(await postOdooWebhook(address), { status: 200, body: { received: true, events: 1 } })
    await waitFor(() => received.length === 1, 'the published event')
    const warn = await waitFor(() => lines().find((line) => line.level === 'warn' && line.msg.startsWith('could not tell Odoo')), 'the warn line')
    t.match(warn, { host: new URL(url).host, ...failure.facts })
    t.equal(hubReadyLines(lines()).length, 1, 'one line for the whole call')
    t.notOk(logs.text().includes('/gassistant/hub-ready') || logs.text().includes(ODOO_SECRET), 'only the host, never the path or the secret')
  })
}

t.test('stopping the ingress ends a pause between attempts at once, quietly', async (t) => {
  const odoo = await addon(t, [503])
  const { lines, stop } = await startIngress(t, { ODOO_HUB_READY_URL: odoo.url }, { backoffMs: 600_000 })
  await waitFor(() => odoo.calls.length === 1, 'the first attempt')
  await stop()
  t.match(hubReadyLines(lines()), [{ msg: 'hub-ready call dropped: the ingress is stopping' }])
  t.equal(odoo.calls.length, 1)
})

t.test('without ODOO_HUB_READY_URL nothing is sent', async (t) => {
  const { address, lines, stop } = await startIngress(t, {})
  t.equal((await postOdooWebhook(address)).status, 200)
  // stop() waits for a call in flight, so any attempt would have logged by now.
  await stop()
  t.same(hubReadyLines(lines()), [])
})
