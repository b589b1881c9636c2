// A burst to one channel: every notification is delivered once, none closer to the previous one than the
// channel's limit (read from the stand-in's record of when it accepted each post, which refuses faster ones with
// 429), and the notifier paces itself rather than leaning on 429s. A 429 with Retry-After is waited out in the
// channel's queue without spending an attempt.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { postedKeys, startRig } from './helpers/rig.js'

const INTERVAL_MS = 150

t.test('30 notifications to one channel in a burst: all delivered, once each, never faster than the channel limit', async (t) => {
  const rig = await startRig(t, { channelIntervalMs: INTERVAL_MS })
  const keys = Array.from({ length: 30 }, (_, i) => `burst:${i}`)
  await Promise.all(keys.map((key) => rig.request(`req-${key}`, { dedupeKey: key, text: `Notification ${key}` })))
  await waitFor(() => rig.outcomes.length === 30, 'thirty delivered events', 60_000)

  t.same([...postedKeys(rig.slackServer)].sort(), [...keys].sort(), 'every notification posted exactly once')
  t.ok(rig.slackServer.messages.every((message) => message.channel === 'C0GENERAL'))
  const accepted = rig.slackServer.messages.map((message) => message.postedAt)
  const gaps = accepted.slice(1).map((at, i) => at - (accepted[i] as number))
  t.ok(gaps.every((gap) => gap >= INTERVAL_MS), `no two posts closer than ${INTERVAL_MS} ms (smallest gap ${Math.min(...gaps)} ms)`)
  t.equal(rig.slackServer.requests.filter((request) => request.status === 429).length, 0, 'the notifier paced itself: Slack never had to say 429')
  t.equal(new Set(rig.outcomes.map((event) => event.id)).size, 30, 'one delivered event per request')
})

t.test('429 Retry-After is waited out in the channel without spending attempts', async (t) => {
  const rig = await startRig(t, { channelIntervalMs: INTERVAL_MS })
  rig.slackServer.rateLimitNext(2, 1)
  await rig.request('req-limited', { dedupeKey: 'limited', text: 'hello' })
  await waitFor(() => rig.outcomes.length === 1, 'the delivered event')
  t.same(postedKeys(rig.slackServer), ['limited'], 'posted once')
  const limited = rig.slackServer.requests.filter((request) => request.status === 429)
  t.equal(limited.length, 2, 'two 429 answers')
  const handled = rig.lines.filter((line) => line['event_id'] === 'req-limited' && typeof line['outcome'] === 'string')
  t.same(handled.map((line) => [line['outcome'], line['attempt']]), [['done', 1]], 'handled once, on its first attempt')
  t.equal(rig.lines.filter((line) => line.msg === 'Slack rate limited the channel: waiting Retry-After').length, 2)
  t.match(await rig.metrics.registry.getSingleMetricAsString('notifier_rate_limited_waits_total'), /notifier_rate_limited_waits_total\{service="notifier"\} 2/)
  t.match(await rig.metrics.registry.getSingleMetricAsString('notifier_rate_limited_wait_seconds_total'), /\} 2$/m)
})

t.test("a 429 outside a channel's queue (the rep's look-up) keeps the request without spending an attempt", async (t) => {
  const rig = await startRig(t, { channelIntervalMs: INTERVAL_MS })
  const lead = await rig.lead({ name: 'x', user_id: await rig.userId('sara') })
  rig.slackServer.rateLimitNext(1, 1)
  await rig.request('req-lookup', { dedupeKey: 'lookup', leadId: lead })
  await waitFor(() => rig.outcomes.length === 1, 'the delivered event')
  t.equal(rig.slackServer.requests[0]?.method, 'users.lookupByEmail')
  t.equal(rig.slackServer.requests[0]?.status, 429)
  const handled = rig.lines.filter((line) => line['event_id'] === 'req-lookup' && typeof line['outcome'] === 'string')
  t.same(handled.map((line) => [line['outcome'], line['attempt']]), [['unavailable', 1], ['done', 1]], 'kept, then done on its first attempt')
  t.same(postedKeys(rig.slackServer), ['lookup'])
})
