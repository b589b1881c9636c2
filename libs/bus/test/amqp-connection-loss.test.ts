// The acceptance test for recovery: every connection is force-closed (as an operator or
// a broker failover would) in the middle of a stream of 1,000 events. Every event must be handled —
// duplicates allowed, nothing lost, nothing parked — with no help beyond what an ingress does anyway:
// publish again what was refused with a retryable error (its 503 makes the sender retry).
import t from 'tap'
import { BrokerUnavailableError, PublishTimeoutError, done, silentLogger, type Bus, type BusLogger } from '../src/index.js'
import { leadSynced } from './helpers/events.js'
import { rabbitScope, rabbitVhost } from './helpers/rabbit.js'
import { waitFor } from '@gassistant/test-support'

const TOTAL = 1_000
const BATCH = 10
/** The publisher never runs further ahead of the consumer than this, as an ingress behind a busy hub. */
const MAX_AHEAD = 100
/**
 * Simulated work per event (an Odoo call) until the kill lands: rabbitmqctl takes 1–6 s to act on this
 * machine, and the slow pace keeps the stream flowing, with messages in flight, whenever it does.
 */
const WORK_MS = 10

/** Counts "lost connection" lines (proof the force-close hit this bus) and notes the first one. */
function dropCounter(onFirst: () => void = () => undefined): { log: BusLogger; drops: () => number } {
  let drops = 0
  const warn = (_fields: Record<string, unknown>, message: string): void => {
    if (!message.startsWith('lost connection')) return
    if (++drops === 1) onFirst()
  }
  return { log: { ...silentLogger, warn }, drops: () => drops }
}

/** Publishes a batch until the broker confirms it, re-publishing after a retryable refusal like a retried webhook. */
async function publishUntilConfirmed(bus: Bus, batch: Parameters<Bus['publish']>[0]): Promise<number> {
  for (let refused = 0; ; refused++) {
    try {
      await bus.publish(batch)
      return refused
    } catch (error) {
      if (!(error instanceof BrokerUnavailableError || error instanceof PublishTimeoutError)) throw error
      await waitFor(() => bus.isReady(), 'the publisher to reconnect', 15_000)
    }
  }
}

t.test('all connections force-closed mid-stream of 1,000 events: every event handled, none lost, none parked', async (t) => {
  // Its own vhost, so the force-close hits every connection of this test and none of other tests'.
  const vhost = await rabbitVhost(t)
  const scope = await rabbitScope(t, vhost.url)
  const name = scope.service('stream')
  const handled = new Set<string>()
  let deliveries = 0
  let inFlight = 0
  let handledAtKill = -1
  let inFlightAtKill = -1
  const publisherDrops = dropCounter()
  const consumerDrops = dropCounter(() => {
    handledAtKill = handled.size
    inFlightAtKill = inFlight
  })
  // Two buses, two connections: the ingress and the consuming service are separate processes.
  const publisher = await scope.bus({ reconnectSeconds: 0.2, log: publisherDrops.log, declare: [{ service: name, bindings: ['lead.synced.v1'] }] })
  const consumer = await scope.bus({ reconnectSeconds: 0.2, log: consumerDrops.log })
  await consumer.subscribe({
    service: name,
    bindings: ['lead.synced.v1'],
    prefetch: 2,
    handler: async (event) => {
      deliveries++
      inFlight++
      if (consumerDrops.drops() === 0) await new Promise((resolve) => setTimeout(resolve, WORK_MS))
      handled.add(event.id)
      inFlight--
      return done
    },
  })

  const events = Array.from({ length: TOTAL }, (_, i) => leadSynced(`${name}-${i}`))
  const confirmed = new Set<string>()
  let republishedBatches = 0
  const started = performance.now()
  let killedAt = 0
  // rabbitmqctl takes a second or two to act; the stream is under way when it does.
  const kill = vhost.closeAllConnections().then(() => {
    killedAt = performance.now()
  })
  for (let i = 0; i < TOTAL; i += BATCH) {
    // Keep the last events for after the kill, so it always lands mid-stream however slow the machine.
    if (i === TOTAL - 100) await kill
    await waitFor(() => confirmed.size - handled.size <= MAX_AHEAD, 'the consumer to catch up', 20_000)
    const batch = events.slice(i, i + BATCH)
    if ((await publishUntilConfirmed(publisher, batch)) > 0) republishedBatches++
    for (const event of batch) confirmed.add(event.id)
  }
  await waitFor(() => handled.size === TOTAL, `all ${TOTAL} events handled`, 30_000)
  const doneAt = performance.now()

  t.ok(publisherDrops.drops() >= 1 && consumerDrops.drops() >= 1, 'both connections were force-closed')
  t.ok(handledAtKill > 0 && handledAtKill < TOTAL, `the kill landed mid-stream (${handledAtKill} handled, ${inFlightAtKill} in flight)`)
  t.equal(confirmed.size, TOTAL, 'every event was eventually confirmed to the publisher')
  t.same([...confirmed].filter((id) => !handled.has(id)), [], 'no confirmed event was lost')
  t.equal(handled.size, TOTAL, 'distinct events handled')
  t.same(await consumer.deadLetters.list(name), [], 'nothing parked')
  t.comment(
    `kill at ${(killedAt - started).toFixed(0)} ms with ${handledAtKill} handled and ${inFlightAtKill} in flight; all handled ${(doneAt - killedAt).toFixed(0)} ms later; ` +
      `${deliveries - TOTAL} duplicate deliveries, ${republishedBatches} batches re-published`,
  )
})
