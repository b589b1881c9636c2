import t from 'tap'
import { appSecretProof, createGraphClient } from '../src/graph/client.js'
import { GraphError } from '../src/graph/errors.js'
import { fixtureBytes } from '@gassistant/test-support'

function fakeFetch(status: number, body: Buffer | string, seen: URL[] = []): typeof fetch {
  return (async (input: URL | string) => {
    seen.push(new URL(String(input)))
    return new Response(body, { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

const tokens = () => ({ '104857600112233': 'page-token-1' })

t.test('reads a lead with the page token and appsecret_proof', async (t) => {
  const seen: URL[] = []
  const graph = createGraphClient({ baseUrl: 'http://graph.test/v25.0/', appSecret: 'test-app-secret', pageTokens: tokens, fetch: fakeFetch(200, fixtureBytes('meta-lead-graph-response.json'), seen) })
  const lead = await graph.getLead('2100000000000001', '104857600112233')
  t.equal(lead.platform, 'ig')
  const url = seen[0]!
  t.equal(url.pathname, '/v25.0/2100000000000001')
  t.equal(url.searchParams.get('access_token'), 'page-token-1')
  t.equal(url.searchParams.get('appsecret_proof'), appSecretProof('test-app-secret', 'page-token-1'))
  t.match(url.searchParams.get('fields'), /field_data/)
})

async function failure(status: number, fixture: string): Promise<GraphError> {
  const graph = createGraphClient({ baseUrl: 'http://graph.test/v25.0', appSecret: 's', pageTokens: tokens, fetch: fakeFetch(status, fixtureBytes(fixture)) })
  try {
    await graph.getLead('2100000000000001', '104857600112233')
  } catch (err) {
    if (err instanceof GraphError) return err
    throw err
  }
  throw new Error('expected a GraphError')
}

t.test('an expired token is permanent and names the page, without the token', async (t) => {
  const err = await failure(400, 'meta-graph-error-expired-token.json')
  t.equal(err.code, 'GRAPH_TOKEN_INVALID')
  t.equal(err.retryable, false)
  t.match(err.message, /page 104857600112233/)
  t.match(err.message, /META_PAGE_TOKENS/)
  t.notMatch(err.message, /page-token-1/)
})

t.test('rate limits and 5xx are retryable; unknown objects are not', async (t) => {
  const limited = await failure(403, 'meta-graph-error-rate-limit-app.json')
  t.same([limited.code, limited.retryable], ['GRAPH_RATE_LIMITED', true])
  const missing = await failure(400, 'meta-graph-error-object-not-found.json')
  t.same([missing.code, missing.retryable], ['GRAPH_NOT_FOUND', false])
  const graph = createGraphClient({ baseUrl: 'http://graph.test/v25.0', appSecret: 's', pageTokens: tokens, fetch: fakeFetch(502, '<html>bad gateway</html>') })
  await t.rejects(graph.getLead('1', '104857600112233'), { code: 'GRAPH_UNAVAILABLE', retryable: true })
})

t.test('a page without a configured token is parked with an operator hint', async (t) => {
  const graph = createGraphClient({ baseUrl: 'http://graph.test/v25.0', appSecret: 's', pageTokens: tokens, fetch: fakeFetch(200, '{}') })
  await t.rejects(graph.getLead('1', '999'), { code: 'GRAPH_NO_TOKEN', retryable: false, message: /page 999/ })
})

t.test('a Graph timeout is retryable', async (t) => {
  const hang = (async (_: unknown, init?: RequestInit) =>
    new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch
  const graph = createGraphClient({ baseUrl: 'http://graph.test/v25.0', appSecret: 's', pageTokens: tokens, fetch: hang, timeoutMs: 50 })
  // AbortSignal.timeout's timer does not keep the process alive; a running service has its sockets.
  const keepAlive = setTimeout(() => undefined, 5_000)
  await t.rejects(graph.getLead('1', '104857600112233'), { code: 'GRAPH_UNAVAILABLE', retryable: true, message: /50 ms/ })
  clearTimeout(keepAlive)
})

t.test("a rate limit names the 'graph' dependency and Meta's wait from the usage headers", async (t) => {
  const body = JSON.stringify({ error: { message: '(#613) Calls to this api have exceeded the rate limit.', code: 613, is_transient: true } })
  const usage = (headers: Record<string, string>) => (async () => new Response(body, { status: 400, headers })) as unknown as typeof fetch
  const read = (headers: Record<string, string>) =>
    createGraphClient({ baseUrl: 'http://graph.test/v25.0', appSecret: 's', pageTokens: tokens, fetch: usage(headers) }).getLead('1', '104857600112233').catch((e: unknown) => e as GraphError)
  const buc = await read({ 'x-business-use-case-usage': JSON.stringify({ '104857600112233': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 5 }, { type: 'ads_management', estimated_time_to_regain_access: 2 }] }) })
  t.match(buc, { code: 'GRAPH_RATE_LIMITED', retryable: true, dependency: 'graph', retryAfterMs: 5 * 60_000 }, 'the longest wait of any bucket, in minutes')
  const account = await read({ 'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 90 }) })
  t.match(account, { retryAfterMs: 90_000 }, 'reset_time_duration is in seconds')
  const none = await read({ 'x-app-usage': JSON.stringify({ call_count: 100 }) })
  t.match(none, { dependency: 'graph', retryAfterMs: undefined }, 'app limits say no time: the consumer probes at its interval')
  const expired = await failure(400, 'meta-graph-error-expired-token.json')
  t.equal(expired.dependency, undefined, 'a bad token is no outage')
})
