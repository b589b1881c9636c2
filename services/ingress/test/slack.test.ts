// Slack's Interactivity Request URL: a signed click on a lead button becomes one inbound.slack.action.v1 with the
// click's own id (a retried click is the same event); a tampered, stale or unsigned post is a 401 and publishes
// nothing; clicks that are not ours are acknowledged without an event; without a signing secret the route does not exist.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { blockActionsPayload, sendInteraction } from '@gassistant/sandbox'
import { harness, waitFor } from './helpers.js'

const SIGNING_SECRET = 'slack-signing-secret-for-tests'
const NAME = 'محمد عبدالله القحطاني'
const blocks = [{ type: 'section', block_id: 'head', text: { type: 'mrkdwn', text: `*New lead*: \u2068${NAME}\u2069` } }]

async function listening(t: Test, app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  return `${address}/webhooks/slack/interactivity`
}

const click = (actionId: string, actionTs = '1767868260.123456') => blockActionsPayload({
  userId: 'U0SARA0001', teamId: 'T0HUB00001', channel: 'D0SARA0001', messageTs: '1767868200.000100', actionId, value: '42', actionTs, messageBlocks: blocks,
})

t.test('a signed "Contacted" click is published once per click, with the message it belongs to', async (t) => {
  const { app, received } = await harness(t, { config: { slack: { signingSecret: SIGNING_SECRET } }, clock: () => new Date() })
  const url = await listening(t, app)
  const first = await sendInteraction(url, click('lead_contacted'), { signingSecret: SIGNING_SECRET })
  t.equal(first.status, 200)
  t.same(JSON.parse(first.body), { received: true, events: 1 })
  const retried = await sendInteraction(url, click('lead_contacted'), { signingSecret: SIGNING_SECRET })
  t.equal(retried.status, 200, 'Slack retrying the same click')
  await waitFor(() => received.length === 2, 'both deliveries')
  t.equal(received[0]?.routingKey, 'inbound.slack.action.v1')
  t.equal(received[0]?.event.id, 'slack:T0HUB00001:U0SARA0001:lead_contacted:1767868260.123456')
  t.equal(received[1]?.event.id, received[0]?.event.id, 'a retried click is the same event')
  t.same(received[0]?.event.data, {
    action: 'contacted',
    leadId: 42,
    slackUserId: 'U0SARA0001',
    slackTeamId: 'T0HUB00001',
    channel: 'D0SARA0001',
    messageTs: '1767868200.000100',
    actionTs: '1767868260.123456',
    messageBlocks: blocks,
  }, 'the Arabic name in the blocks arrives intact')
})

t.test('a tampered, stale, future or unsigned click is a 401 and publishes nothing', async (t) => {
  const { app, received } = await harness(t, { config: { slack: { signingSecret: SIGNING_SECRET } }, clock: () => new Date() })
  const url = await listening(t, app)
  const now = Math.floor(Date.now() / 1000)
  const cases = [
    { name: 'tampered', options: { signingSecret: SIGNING_SECRET, tamper: (body: string) => body.replace('42', '43') }, code: 'INVALID_SIGNATURE' },
    { name: 'wrong secret', options: { signingSecret: 'another-signing-secret' }, code: 'INVALID_SIGNATURE' },
    { name: 'stale (6 min old)', options: { signingSecret: SIGNING_SECRET, timestamp: now - 360 }, code: 'STALE_SIGNATURE' },
    { name: 'in the future', options: { signingSecret: SIGNING_SECRET, timestamp: now + 360 }, code: 'STALE_SIGNATURE' },
  ]
  for (const c of cases) {
    const res = await sendInteraction(url, click('lead_contacted'), c.options)
    t.equal(res.status, 401, c.name)
    t.equal((JSON.parse(res.body) as { code: string }).code, c.code, `${c.name}: ${c.code}`)
  }
  const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'payload=%7B%7D' })
  t.equal(unsigned.status, 401, 'unsigned')
  t.match(await unsigned.json(), { code: 'MISSING_SIGNATURE', message: 'missing X-Slack-Signature header' })
  // A good click after them: it is the only event on the exchange.
  t.equal((await sendInteraction(url, click('lead_assign_to_me'), { signingSecret: SIGNING_SECRET })).status, 200)
  await waitFor(() => received.length >= 1, 'the good click')
  t.equal(received.length, 1, 'refused clicks published nothing')
  t.equal(received[0]?.event.data['action'], 'assign_to_me')
})

t.test('clicks that are not a lead button are acknowledged without an event; a broken payload is a 400', async (t) => {
  const { app } = await harness(t, { config: { slack: { signingSecret: SIGNING_SECRET } }, clock: () => new Date() })
  const url = await listening(t, app)
  const open = await sendInteraction(url, click('lead_open'), { signingSecret: SIGNING_SECRET })
  t.same([open.status, JSON.parse(open.body)], [200, { received: true, events: 0 }], 'the "Open in Odoo" link button')
  const shortcut = await sendInteraction(url, { type: 'shortcut', callback_id: 'x' }, { signingSecret: SIGNING_SECRET })
  t.same([shortcut.status, JSON.parse(shortcut.body)], [200, { received: true, events: 0 }], 'another kind of interaction')
  const broken = await sendInteraction(url, { type: 'block_actions', user: {}, actions: [] }, { signingSecret: SIGNING_SECRET })
  t.equal(broken.status, 400)
  t.match(JSON.parse(broken.body), { code: 'INVALID_PAYLOAD', message: /^\/payload / })
})

t.test('without SLACK_SIGNING_SECRET there is no Slack route', async (t) => {
  const { app } = await harness(t)
  const res = await app.inject({ method: 'POST', url: '/webhooks/slack/interactivity', payload: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(res.statusCode, 404)
})

t.test("Slack's published signature example passes the check (then is refused as not an interaction)", async (t) => {
  // https://api.slack.com/authentication/verifying-requests-from-slack: a slash command body, signed at 1531420618.
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' }
  const at = (seconds: number) => harness(t, { config: { slack: { signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' } }, clock: () => new Date(seconds * 1000) })
  const { app } = await at(1531420618 + 60)
  const res = await app.inject({ method: 'POST', url: '/webhooks/slack/interactivity', payload: body, headers })
  t.equal(res.statusCode, 400, 'signature good: the body is read, and it is no interaction')
  t.match(res.json(), { code: 'INVALID_PAYLOAD', message: /payload/ })
  const late = await (await at(1531420618 + 301)).app.inject({ method: 'POST', url: '/webhooks/slack/interactivity', payload: body, headers })
  t.equal(late.statusCode, 401, 'the same request 5 min 1 s later is a replay')
  t.match(late.json(), { code: 'STALE_SIGNATURE' })
})
