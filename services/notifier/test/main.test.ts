// The notifier container's entry point (src/main.ts) run as its container runs it: a bad setting or routing file
// stops it with one line before it connects to anything; and the crash that matters most — killed (SIGKILL) after
// Slack posted the message but before the broker had the ack — ends with the message on Slack once: the next
// process gets the redelivered request, finds the message by its dedupe key and only reports it delivered.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { createAmqpBus } from '@gassistant/bus'
import { EXCHANGE, createEvent, type AnyEvent } from '@gassistant/contracts'
import { startOdooStandIn, startSlackStandIn } from '@gassistant/sandbox'
import { checkRefusedStarts, rabbitVhost, startScript, waitFor, type RunningScript } from '@gassistant/test-support'
import t from 'tap'

const MAIN = 'services/notifier/src/main.ts'
/** Valid settings; the broker's port 1 answers nothing, so a setting wrongly accepted cannot reach a real queue. */
const VALID = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  ODOO_URL: 'http://127.0.0.1:1',
  ODOO_DB: 'crm',
  ODOO_USER: 'admin',
  ODOO_PASSWORD: 'odoo-password',
  ODOO_PUBLIC_URL: 'https://crm.example.sa',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_API_URL: undefined,
  SLACK_DEFAULT_CHANNEL: 'C0GENERAL',
  SLACK_ROUTES_FILE: undefined,
  SLACK_CHANNEL_INTERVAL_MS: undefined,
  LOG_LEVEL: undefined,
  PORT: '0',
  HOST: '127.0.0.1',
}

t.test('a bad setting or routing file is one line naming it, and exit 1', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'notifier-main-'))
  const badRoutes = join(dir, 'routes.json')
  await writeFile(badRoutes, JSON.stringify({ users: { 'sara@example.com': 'not a slack id' } }))
  const cases = [
    { env: { SLACK_BOT_TOKEN: undefined }, line: 'configuration error: SLACK_BOT_TOKEN is missing' },
    { env: { ODOO_PUBLIC_URL: 'crm.example.sa' }, line: 'configuration error: ODOO_PUBLIC_URL must be a URL starting with http:// or https://' },
    { env: { SLACK_ROUTES_FILE: badRoutes }, line: 'configuration error: SLACK_ROUTES_FILE is invalid: users.sara@example.com must match pattern "^[A-Z0-9]{2,}$"' },
    { env: { SLACK_ROUTES_FILE: join(dir, 'missing.json') }, line: 'configuration error: SLACK_ROUTES_FILE cannot be read' },
  ]
  await checkRefusedStarts(t, MAIN, 'notifier', VALID, cases)
})

t.test('killed between Slack posting the message and the ack: the redelivered request posts nothing more; the survivor is ready and stops on SIGTERM', async (t) => {
  const vhost = await rabbitVhost(t)
  const odoo = await startOdooStandIn({ addonInstalled: true })
  const slack = await startSlackStandIn({ token: 'xoxb-crash-test', channelIntervalMs: 50 })
  t.teardown(async () => {
    await odoo.close()
    await slack.close()
  })
  const env = { ...VALID, AMQP_URL: vhost.url, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.username, ODOO_PASSWORD: odoo.password, SLACK_BOT_TOKEN: 'xoxb-crash-test', SLACK_API_URL: slack.url, SLACK_CHANNEL_INTERVAL_MS: '50' }
  const children: RunningScript[] = []
  t.teardown(() => children.forEach((child) => child.child.kill('SIGKILL')))
  const start = async (): Promise<RunningScript> => {
    const child = startScript(MAIN, env)
    children.push(child)
    const consuming = await waitFor(() => child.stdout().includes('notifier consuming') || (child.child.exitCode !== null && 'exited'), 'the notifier to consume', 60_000)
    t.equal(consuming, true, child.stderr())
    return child
  }

  const connection = await amqp.connect(vhost.url)
  t.teardown(() => connection.close())
  const channel = await connection.createChannel()
  const { queue } = await channel.assertQueue('', { exclusive: true })
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true })
  await channel.bindQueue(queue, EXCHANGE, 'notification.delivered.v1')
  const delivered: AnyEvent[] = []
  await channel.consume(queue, (message) => void (message && delivered.push(JSON.parse(message.content.toString('utf8')) as AnyEvent)), { noAck: true })

  const first = await start()
  const held = slack.holdNextPost()
  const bus = await createAmqpBus({ url: vhost.url, connectionName: 'crash-test' })
  t.teardown(() => bus.close())
  await bus.publish(createEvent({ type: 'notification.requested.v1', source: '/workflow-rules', id: 'req-crash', data: { dedupeKey: 'crash:1', channel: 'slack', recipient: {}, text: 'محمد عبدالله القحطاني wants a call back' } }))
  const posted = await held.posted
  first.child.kill('SIGKILL')
  await first.exited
  held.release()
  t.equal(slack.messages.length, 1, 'Slack has the message; the process that posted it died before acking')

  const second = await start()
  await waitFor(() => delivered.length === 1, 'the delivered event from the second process', 30_000)
  t.equal(slack.messages.length, 1, 'still one message')
  t.equal(slack.requests.filter((request) => request.method === 'chat.postMessage').length, 1, 'no second post was even tried')
  t.match(delivered[0], { id: 'delivered:req-crash', data: { dedupeKey: 'crash:1', target: 'C0GENERAL', messageTs: posted.ts } })
  t.equal(posted.text, 'محمد عبدالله القحطاني wants a call back', 'the Arabic text intact')

  // The survivor serves readiness (broker, Odoo, Slack) and its metrics, and stops on SIGTERM.
  const address = await waitFor(() => /Server listening at (http:\/\/\S+?)"/.exec(second.stdout())?.[1], 'the HTTP address')
  const ready = await fetch(`${address}/readyz`)
  t.same([ready.status, await ready.json()], [200, { ok: true, checks: { broker: true, odoo: true, slack: true } }])
  t.match(await (await fetch(`${address}/metrics`)).text(), /notifier_messages_sent_total\{route="default",already="true",service="notifier"\} 1/)
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0)
})
