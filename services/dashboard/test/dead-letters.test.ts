// Dead letters through the JSON API on a real RabbitMQ (a vhost of the test's own): a parked message is
// listed with its reason, replay needs confirmation and the CSRF token and moves it back to the service's
// queue, purge deletes it, an unknown service is a 404 and an unreachable broker a 503.
import amqp from 'amqplib'
import t from 'tap'
import { createAmqpBus, done, type Bus, type Subscription } from '@gassistant/bus'
import { EXCHANGE, HUB_TOPOLOGY } from '@gassistant/contracts'
import { rabbitVhost, waitFor } from '@gassistant/test-support'
import { startDashboard } from './helpers/rig.js'

interface Listed { services: { service: string; messages: { eventId: string; type: string; reason: string; attempts: number }[] }[] }

t.test('parked messages are listed, replayed to their queue and purged', async (t) => {
  const vhost = await rabbitVhost(t)
  const bus: Bus = await createAmqpBus({ url: vhost.url, connectionName: 'dashboard-test', declare: Object.values(HUB_TOPOLOGY) })
  t.teardown(() => bus.close())
  const subscribe = (): Promise<Subscription> => bus.subscribe({ ...HUB_TOPOLOGY['scoring'], handler: async () => done })
  let subscription = await subscribe()

  // A body that fails its contract is parked at once by the bus, with the reason.
  const connection = await amqp.connect(vhost.url)
  t.teardown(() => connection.close())
  const channel = await connection.createChannel()
  channel.publish(EXCHANGE, 'lead.synced.v1', Buffer.from(JSON.stringify({ specversion: '1.0', id: 'synced:meta:1', type: 'lead.synced.v1' })), { messageId: 'synced:meta:1', type: 'lead.synced.v1', persistent: true })

  const rig = await startDashboard(t, { deadLetters: { amqpUrl: vhost.url } })
  const session = await rig.signIn()
  const list = async (): Promise<Listed> => (await (await rig.get('/api/dead-letters', session)).json()) as Listed
  const parked = async (service: string) => (await list()).services.find((entry) => entry.service === service)?.messages ?? []
  await waitFor(async () => (await parked('scoring')).length === 1, 'the invalid event to be parked', 10_000)
  t.match(await parked('scoring'), [{ eventId: 'synced:meta:1', type: 'lead.synced.v1', reason: /^invalid event/, attempts: 1 }])
  t.same(await parked('lead-processor'), [], 'every consuming service is listed')

  // Replay: refused without confirmation, then the message goes back to `scoring` (no consumer now).
  await subscription.cancel()
  const unconfirmed = await rig.post('/api/dead-letters/scoring/replay', {}, session)
  t.equal(unconfirmed.status, 400)
  t.match(await unconfirmed.json(), { message: /confirm/ })
  const replay = await rig.post('/api/dead-letters/scoring/replay', { confirm: true }, session)
  t.same(await replay.json(), { service: 'scoring', replayed: 1 })
  t.equal((await channel.checkQueue('scoring')).messageCount, 1, 'the message is back on the service queue')
  t.equal((await channel.checkQueue('scoring.dead')).messageCount, 0)

  // The consumer takes it again and parks it again; purge deletes it.
  subscription = await subscribe()
  t.teardown(() => subscription.cancel())
  await waitFor(async () => (await parked('scoring')).length === 1, 'the replayed event to be parked again', 10_000)
  const purge = await rig.post('/api/dead-letters/scoring/purge', { confirm: true }, session)
  t.same(await purge.json(), { service: 'scoring', purged: 1 })
  t.equal((await channel.checkQueue('scoring.dead')).messageCount, 0, 'purged')

  const unknown = await rig.post('/api/dead-letters/no-such-service/purge', { confirm: true }, session)
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { code: 'UNKNOWN_SERVICE' })
})

t.test('an unreachable broker is a 503 on the API and a notice on the page', async (t) => {
  const rig = await startDashboard(t, { deadLetters: { amqpUrl: 'amqp://guest:guest@127.0.0.1:1' } })
  const session = await rig.signIn()
  const answer = await rig.get('/api/dead-letters', session)
  t.equal(answer.status, 503)
  t.match(await answer.json(), { code: 'BROKER_UNAVAILABLE' })
  t.match(await (await rig.get('/dead-letters', session)).text(), 'The message broker cannot be reached.')
  t.match(rig.lines.find((line) => line['msg'] === 'dead letters could not be read'), { err: /127\.0\.0\.1:1/ }, 'logged, naming the broker')
  t.notMatch(JSON.stringify(rig.lines), 'guest:guest')
})

t.test('without a broker configured, dead letters say so', async (t) => {
  const rig = await startDashboard(t)
  const session = await rig.signIn()
  const answer = await rig.get('/api/dead-letters', session)
  t.equal(answer.status, 404)
  t.match(await answer.json(), { code: 'DEAD_LETTERS_OFF', message: /AMQP_URL/ })
})
