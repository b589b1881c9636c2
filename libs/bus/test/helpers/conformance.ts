// The behaviours both transports must share, written once and run against each: this is what
// "the in-process bus has the same semantics as RabbitMQ" means in practice.
import type { Test } from 'tap'
import { ContractError, type AnyEvent } from '@gassistant/contracts'
import { Registry } from 'prom-client'
import {
  BrokerUnavailableError,
  PublishRejectedError,
  QueueNotFoundError,
  done,
  park,
  retry,
  unavailable,
  type Bus,
  type BusLogger,
  type DeliveryContext,
  type QueueSpec,
} from '../../src/index.js'
import { leadSynced, metaLeadgen } from './events.js'
import { waitFor } from '@gassistant/test-support'
import { captureLog, fakeClock, gate } from './wait.js'

export interface OpenOptions {
  /** Service labels → queues the bus declares at creation (its `declare` option). */
  readonly declare?: Record<string, Omit<QueueSpec, 'service'>>
  readonly now?: () => Date
  readonly log?: BusLogger
}

export interface Harness {
  /** A fresh bus; the harness closes it and removes what it declared when the test ends. */
  open(t: Test, options?: OpenOptions): Promise<{ bus: Bus; service: (label: string) => string }>
}

const MINUTE = 60_000
/** Short delays keep retry tests fast on either transport; the budget is spent on a fake clock. */
const FAST = { delaysMs: [20, 40], budgetMs: 2.5 * MINUTE }

interface Seen {
  event: AnyEvent
  ctx: DeliveryContext
}

export function busConformance(t: Test, harness: Harness): void {
  t.test('an event reaches every service bound to its type and no other, text intact', async (t) => {
    const { bus, service } = await harness.open(t)
    const seen: Record<string, Seen[]> = { exact: [], wildcard: [], other: [] }
    const record = (name: string) => async (event: AnyEvent, ctx: DeliveryContext) => {
      seen[name]?.push({ event, ctx })
      return done
    }
    await bus.subscribe({ service: service('exact'), bindings: ['lead.synced.v1'], handler: record('exact') })
    await bus.subscribe({ service: service('wildcard'), bindings: ['lead.*.v1'], handler: record('wildcard') })
    await bus.subscribe({ service: service('other'), bindings: ['inbound.#'], handler: record('other') })

    const lead = leadSynced()
    await bus.publish(lead)
    const inbound = metaLeadgen()
    await bus.publish(inbound)

    await waitFor(() => seen.exact?.length === 1 && seen.wildcard?.length === 1 && seen.other?.length === 1, 'deliveries')
    t.same(seen.exact?.[0]?.event, lead, 'exact binding got the event unchanged, Arabic text included')
    t.same(seen.wildcard?.[0]?.event, lead, 'wildcard binding got it too')
    t.equal(seen.other?.[0]?.event.id, inbound.id, 'an unrelated binding got only its own event')
    t.equal(seen.exact?.[0]?.ctx.attempt, 1)
    t.equal(seen.exact?.[0]?.ctx.service, service('exact'))
  })

  t.test('replicas of a service share its queue: each event handled once, at most prefetch each', async (t) => {
    const { bus, service } = await harness.open(t)
    const held = gate()
    const handledBy: string[][] = [[], []]
    let inFlight = 0
    const replica = (index: number) => async (event: AnyEvent) => {
      inFlight++
      await held.promise
      inFlight--
      handledBy[index]?.push(event.id)
      return done
    }
    const name = service('shared')
    await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], prefetch: 1, handler: replica(0) })
    await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], prefetch: 1, handler: replica(1) })
    const events = Array.from({ length: 6 }, () => leadSynced())
    await bus.publish(events)

    await waitFor(() => inFlight === 2, 'both replicas busy')
    t.equal(inFlight, 2, 'one message in flight per replica with prefetch 1')
    held.open()
    await waitFor(() => (handledBy[0]?.length ?? 0) + (handledBy[1]?.length ?? 0) === 6, 'all six handled')
    t.ok((handledBy[0]?.length ?? 0) > 0 && (handledBy[1]?.length ?? 0) > 0, 'both replicas did work')
    t.same([...(handledBy[0] ?? []), ...(handledBy[1] ?? [])].sort(), events.map((e) => e.id).sort(), 'each event exactly once')
  })

  t.test('a retried event comes back with the next attempt number, then is done', async (t) => {
    const { bus, service } = await harness.open(t)
    const attempts: number[] = []
    const name = service('retrying')
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      handler: async (_event, ctx) => {
        attempts.push(ctx.attempt)
        return ctx.attempt === 1 ? retry('odoo timed out') : done
      },
    })
    await bus.publish(leadSynced())
    await waitFor(() => attempts.length === 2, 'second attempt')
    t.same(attempts, [1, 2])
    t.same(await bus.deadLetters.list(name), [], 'nothing parked')
  })

  t.test('an unclassified error is retried, the last delay repeating, then parked once the retry budget is spent', async (t) => {
    const clock = fakeClock()
    const { bus, service } = await harness.open(t, { now: clock.now })
    const attempts: number[] = []
    const name = service('failing')
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      handler: async (_event, ctx) => {
        attempts.push(ctx.attempt)
        clock.advance(MINUTE)
        throw new Error('connect ECONNREFUSED odoo:8069')
      },
    })
    const event = leadSynced()
    await bus.publish(event)
    const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length > 0 && list }, 'parked message')
    t.same(attempts, [1, 2, 3, 4], 'two delays, the second repeated, until 3 minutes after the first failure exceed 2.5')
    t.equal(parked.length, 1)
    t.equal(parked[0]?.eventId, event.id)
    t.equal(parked[0]?.type, 'lead.synced.v1')
    t.equal(parked[0]?.attempts, 4)
    t.equal(parked[0]?.reason, 'retry budget of 2.5 min exhausted after 4 attempts: Error: connect ECONNREFUSED odoo:8069')
    t.equal(parked[0]?.parkedAt, clock.now().toISOString(), 'parkedAt comes from the bus clock')
    t.same(JSON.parse(parked[0]?.body.toString('utf8') ?? '{}'), event, 'the original body is kept')
  })

  t.test('a 30-minute outage inside the default 6-hour budget parks nothing: the event is handled once after it', async (t) => {
    const clock = fakeClock()
    const { bus, service } = await harness.open(t, { now: clock.now })
    const name = service('outage')
    const outageEnds = clock.ms() + 30 * MINUTE
    const attempts: number[] = []
    const handled: string[] = []
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: { delaysMs: FAST.delaysMs },
      handler: async (event, ctx) => {
        attempts.push(ctx.attempt)
        if (clock.ms() < outageEnds) {
          clock.advance(5 * MINUTE)
          throw Object.assign(new Error('connect ECONNREFUSED odoo:8069'), { code: 'ECONNREFUSED' })
        }
        handled.push(event.id)
        return done
      },
    })
    const event = leadSynced()
    await bus.publish(event)
    await waitFor(() => handled.length === 1, 'the event handled after the outage')
    t.same(attempts, [1, 2, 3, 4, 5, 6, 7], 'six failures over 30 minutes, then success')
    t.same(handled, [event.id])
    t.same(await bus.deadLetters.list(name), [], 'nothing parked')
  })

  t.test('a dependency outage pauses the consumer: nothing handled while the probe fails, no attempt counted, each event once after', async (t) => {
    const clock = fakeClock()
    const { lines, log } = captureLog()
    const { bus, service } = await harness.open(t, { now: clock.now, log })
    const name = service('paused')
    const registry = new Registry()
    // The outage lasts 30 minutes on the fake clock once the test has looked at the paused consumer:
    // from then on each failed probe moves the clock 5 minutes.
    let outageEnds = Number.POSITIVE_INFINITY
    const down = (): boolean => clock.ms() < outageEnds
    let probes = 0
    const calls: { id: string; attempt: number; probesBefore: number }[] = []
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      prefetch: 1,
      retry: FAST,
      probeIntervalMs: 10,
      metrics: registry,
      probes: {
        odoo: async () => {
          probes++
          if (down()) {
            if (Number.isFinite(outageEnds)) clock.advance(5 * MINUTE)
            throw new Error('connect ECONNREFUSED odoo:8069')
          }
        },
      },
      handler: async (event, ctx) => {
        calls.push({ id: event.id, attempt: ctx.attempt, probesBefore: probes })
        return down() ? unavailable('odoo', 'connect ECONNREFUSED odoo:8069') : done
      },
    })
    const events = [leadSynced(), leadSynced(), leadSynced()]
    await bus.publish(events)
    // The metrics show the pause: the gauge, and the kept event back in the queue beside the two never handled.
    await waitFor(async () => { const text = await registry.metrics(); return text.includes(`bus_consumer_paused{queue="${name}"} 1\n`) && text.includes(`bus_queue_messages{queue="${name}"} 3\n`) && text }, 'a paused consumer with all three events waiting in its queue')
    t.same(calls, [{ id: events[0]?.id, attempt: 1, probesBefore: 0 }], 'only the first event met the outage so far')
    const probesBefore = probes
    outageEnds = clock.ms() + 30 * MINUTE
    await waitFor(() => calls.length === 4, 'all three events after recovery')

    t.equal(probes - probesBefore, 7, 'six failed probes over the 30 minutes, then one that succeeded')
    t.same(
      calls.slice(1).map((call) => call.probesBefore),
      [probes, probes, probes],
      'no event was handled while the probe failed: all waited for the successful probe',
    )
    t.same(
      calls.slice(1).map((call) => call.id).sort(),
      events.map((event) => event.id).sort(),
      'each event handled once after recovery',
    )
    t.same(calls.map((call) => call.attempt), [1, 1, 1, 1], 'the outage counted no attempt')
    t.same(await bus.deadLetters.list(name), [], 'nothing parked')
    const paused = lines.filter((line) => line.message === 'dependency unavailable, consumer paused')
    const resumed = lines.filter((line) => line.message === 'dependency answers again, consumer resumed')
    t.match(paused, [{ level: 'warn', fields: { service: name, dependency: 'odoo', reason: 'connect ECONNREFUSED odoo:8069' } }], 'one line when it paused')
    t.match(resumed, [{ level: 'info', fields: { service: name, dependencies: ['odoo'], paused_ms: Number } }], 'one line when it resumed')
    const after = await waitFor(async () => { const text = await registry.metrics(); return text.includes(`queue="${name}",outcome="done"} 3\n`) && text }, 'three done counted')
    t.match(after, `bus_consumer_paused{queue="${name}"} 0\n`, 'the paused gauge is back to 0')
    t.match(after, `bus_events_handled_total{queue="${name}",outcome="unavailable"} 1\n`)
    t.match(after, `bus_events_handled_total{queue="${name}",outcome="done"} 3\n`)
  })

  t.test('a thrown DependencyError pauses too; with no probe the consumer resumes after retryAfterMs', async (t) => {
    const { bus, service } = await harness.open(t)
    const name = service('rate-limited')
    const calls: number[] = []
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      handler: async (_event, ctx) => {
        calls.push(ctx.attempt)
        if (calls.length === 1) throw Object.assign(new Error('Graph rate limit (code 4)'), { retryable: true, dependency: 'graph', retryAfterMs: 30 })
        return done
      },
    })
    await bus.publish(leadSynced())
    await waitFor(() => calls.length === 2, 'the event handled again')
    t.same(calls, [1, 1], 'handled again at the same attempt')
    t.same(await bus.deadLetters.list(name), [], 'nothing parked')
  })

  for (const prefetch of [1, 10]) {
    t.test(`a poison message does not hold up the events behind it (prefetch ${prefetch})`, async (t) => {
      const clock = fakeClock()
      const { bus, service } = await harness.open(t, { now: clock.now })
      const name = service(`poison-${prefetch}`)
      const poison = leadSynced()
      const others = Array.from({ length: 5 }, () => leadSynced())
      const timeline: { id: string; attempt: number }[] = []
      await bus.subscribe({
        service: name,
        bindings: ['lead.synced.v1'],
        prefetch,
        retry: FAST,
        handler: async (event, ctx) => {
          timeline.push({ id: event.id, attempt: ctx.attempt })
          if (event.id === poison.id) {
            clock.advance(MINUTE)
            throw new Error('odoo: cannot parse this partner, ever')
          }
          return done
        },
      })
      // The poison goes first, so everything behind it would wait if it blocked the queue.
      await bus.publish([poison, ...others])
      const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length > 0 && list }, 'the poison parked')

      const poisonAttempts = timeline.filter((entry) => entry.id === poison.id).map((entry) => entry.attempt)
      t.same(poisonAttempts, [1, 2, 3, 4], 'the poison used its whole budget')
      const secondTry = timeline.findIndex((entry) => entry.id === poison.id && entry.attempt === 2)
      const handledMeanwhile = timeline.slice(0, secondTry).filter((entry) => entry.id !== poison.id)
      t.same(
        handledMeanwhile.map((entry) => entry.id).sort(),
        others.map((event) => event.id).sort(),
        'every later event was handled before the poison even came back for its second attempt',
      )
      t.same(
        timeline.filter((entry) => entry.id !== poison.id).map((entry) => entry.attempt),
        [1, 1, 1, 1, 1],
        'each later event was handled once, at its first attempt',
      )
      t.same(
        parked.map((p) => ({ eventId: p.eventId, attempts: p.attempts })),
        [{ eventId: poison.id, attempts: 4 }],
        'only the poison is parked',
      )
      t.match(parked[0]?.reason, /retry budget of 2.5 min exhausted after 4 attempts: Error: odoo: cannot parse this partner, ever/)
    })
  }

  t.test('a park outcome or a permanent error parks at once, without retries', async (t) => {
    const { bus, service } = await harness.open(t)
    const attempts: string[] = []
    const name = service('parking')
    const permanent = Object.assign(new Error('Access Denied'), { code: 'ODOO_ACCESS_DENIED', retryable: false })
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      handler: async (event) => {
        attempts.push(event.id)
        if (event.id.endsWith('-throws')) throw permanent
        return park('phone number is not a number')
      },
    })
    await bus.publish([leadSynced('p-returns'), leadSynced('p-throws')])
    const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length >= 2 && list }, 'two parked messages')
    const byId = Object.fromEntries(parked.map((p) => [p.eventId, p]))
    t.equal(byId['p-returns']?.reason, 'phone number is not a number')
    t.equal(byId['p-throws']?.reason, 'ODOO_ACCESS_DENIED: Access Denied')
    t.equal(byId['p-throws']?.attempts, 1)
    t.equal(attempts.length, 2, 'no retries happened')
  })

  t.test('operators replay parked events with a fresh attempt count, or purge them', async (t) => {
    const { bus, service } = await harness.open(t)
    const name = service('replay')
    let healthy = false
    const handled: { id: string; attempt: number }[] = []
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      handler: async (event, ctx) => {
        if (!healthy) return park('odoo rejected the partner')
        handled.push({ id: event.id, attempt: ctx.attempt })
        return done
      },
    })
    await bus.publish([leadSynced('r-1'), leadSynced('r-2'), leadSynced('r-3')])
    const parked = await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length >= 3 && list }, 'three parked messages')
    t.equal(parked.length, 3, 'three parked')
    t.same((await bus.deadLetters.list(name)).length, 3, 'listing does not consume')

    healthy = true
    t.equal(await bus.deadLetters.replay(name, { eventIds: ['r-2'] }), 1, 'replayed only the chosen one')
    await waitFor(() => handled.length === 1, 'replayed event handled')
    t.same(handled, [{ id: 'r-2', attempt: 1 }])
    t.same((await bus.deadLetters.list(name)).map((p) => p.eventId).sort(), ['r-1', 'r-3'], 'the others stay parked')

    t.equal(await bus.deadLetters.purge(name), 2, 'purge reports what it deleted')
    t.same(await bus.deadLetters.list(name), [])
    t.equal(await bus.deadLetters.replay(name), 0, 'nothing left to replay')
  })

  t.test('an invalid event is refused before anything is sent', async (t) => {
    const { bus, service } = await harness.open(t)
    const seen: string[] = []
    await bus.subscribe({ service: service('strict'), bindings: ['#'], handler: async (e) => (seen.push(e.id), done) })
    const broken = { ...leadSynced('bad-1'), data: { outcome: 'created' } } as unknown as AnyEvent
    await t.rejects(bus.publish([leadSynced('good-in-bad-batch'), broken]), ContractError)
    await t.rejects(bus.publish(broken), { code: 'CONTRACT_VIOLATION', field: '/data' })
    await bus.publish(leadSynced('after'))
    await waitFor(() => seen.length >= 1, 'the valid event')
    t.same(seen, ['after'], 'no part of a refused batch was delivered')
  })

  t.test('dead letters of an unknown service are an error, not an empty list', async (t) => {
    const { bus, service } = await harness.open(t)
    await t.rejects(bus.deadLetters.list(service('never-subscribed')), QueueNotFoundError)
    await t.rejects(bus.deadLetters.purge(service('never-subscribed')), { code: 'QUEUE_NOT_FOUND' })
  })

  t.test('close waits for in-flight handlers, then refuses publishes', async (t) => {
    const { bus, service } = await harness.open(t)
    const held = gate()
    let started = false
    let finished = false
    await bus.subscribe({
      service: service('closing'),
      bindings: ['lead.synced.v1'],
      handler: async () => {
        started = true
        await held.promise
        finished = true
        return done
      },
    })
    await bus.publish(leadSynced())
    await waitFor(() => started, 'handler started')
    t.ok(bus.isReady(), 'ready while open')
    let closed = false
    const closing = bus.close({ deadlineMs: 5_000 }).then(() => (closed = true))
    await waitFor(() => !bus.isReady(), 'not ready once closing')
    t.notOk(closed, 'close is still waiting for the handler')
    held.open()
    await closing
    t.ok(finished, 'the in-flight handler finished before close resolved')
    await t.rejects(bus.publish(leadSynced()), BrokerUnavailableError)
  })

  t.test('cancelling a subscription stops deliveries to it after in-flight work finishes', async (t) => {
    const { bus, service } = await harness.open(t)
    const name = service('cancel')
    const first: string[] = []
    const second: string[] = []
    const subscription = await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async (e) => (first.push(e.id), done) })
    await bus.publish(leadSynced('c-1'))
    await waitFor(() => first.length === 1, 'first delivery')
    await subscription.cancel()
    await bus.publish(leadSynced('c-2'))
    // The queue outlives the consumer: a later replica picks up what arrived meanwhile.
    await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], handler: async (e) => (second.push(e.id), done) })
    await waitFor(() => second.length === 1, 'delivery to the new replica')
    t.same(first, ['c-1'])
    t.same(second, ['c-2'])
  })

  t.test('an event published before its consumer first starts waits in a declared queue', async (t) => {
    const { bus, service } = await harness.open(t, { declare: { early: { bindings: ['lead.synced.v1'] } } })
    await bus.publish([leadSynced('early-1'), metaLeadgen('early-unbound')])
    const seen: string[] = []
    await bus.subscribe({ service: service('early'), bindings: ['lead.synced.v1'], handler: async (e) => (seen.push(e.id), done) })
    await bus.publish(leadSynced('early-2'))
    await waitFor(() => seen.length === 2, 'both events')
    t.same(seen, ['early-1', 'early-2'], 'the early event was kept, in order; the unbound one never arrived')
  })

  t.test('bus metrics count what the consumer did, by outcome, with handling times and queue depth', async (t) => {
    const { bus, service } = await harness.open(t)
    const name = service('metered')
    const registry = new Registry()
    const seen: string[] = []
    await bus.subscribe({
      service: name,
      bindings: ['lead.synced.v1'],
      retry: FAST,
      metrics: registry,
      handler: async (event, ctx) => {
        seen.push(event.id)
        if (event.id === 'm-park') return park('no contact')
        if (event.id === 'm-retry' && ctx.attempt === 1) return retry('odoo 503')
        return done
      },
    })
    await bus.publish([leadSynced('m-done'), leadSynced('m-retry'), leadSynced('m-park')])
    await waitFor(async () => { const list = await bus.deadLetters.list(name); return list.length === 1 && list }, 'the parked event')
    // Counted once each delivery's outcome is settled, just after its handler returned.
    const text = await waitFor(async () => { const text = await registry.metrics(); return text.includes(`queue="${name}",outcome="done"} 2\n`) && text }, 'both done counted')
    t.equal(seen.length, 4, 'four deliveries')
    for (const [outcome, count] of [['done', 2], ['retry', 1], ['park', 1], ['unavailable', 0]] as const) {
      t.match(text, `bus_events_handled_total{queue="${name}",outcome="${outcome}"} ${count}\n`, `${outcome}: ${count}`)
    }
    t.match(text, `bus_handling_duration_seconds_count{queue="${name}",outcome="done"} 2\n`, 'handling time observed per delivery')
    t.match(text, `bus_queue_messages{queue="${name}.dead"} 1\n`, 'the parked event shows in the dead-letter depth')
    t.match(text, `bus_queue_messages{queue="${name}"} 0\n`, 'nothing waits in the queue')
    t.match(text, `bus_consumer_paused{queue="${name}"} 0\n`)
  })

  t.test('a declared queue whose consumer is down keeps events up to its bound, then refuses the publish', async (t) => {
    const { bus, service } = await harness.open(t, { declare: { bounded: { bindings: ['lead.synced.v1'], bound: { maxLength: 3 } } } })
    const name = service('bounded')
    // A quorum queue checks the bound before it enqueues: it refuses once it is over it, holding one more.
    for (const id of ['b-1', 'b-2', 'b-3', 'b-4']) await bus.publish(leadSynced(id))
    const refused = await bus.publish(leadSynced('b-5')).catch((error: unknown) => error)
    t.type(refused, PublishRejectedError, 'the next is refused: the sender must retry later (ingress: 503)')
    t.equal((refused as PublishRejectedError).code, 'PUBLISH_REJECTED')
    const seen: string[] = []
    await bus.subscribe({ service: name, bindings: ['lead.synced.v1'], bound: { maxLength: 3 }, handler: async (e) => (seen.push(e.id), done) })
    await waitFor(() => seen.length === 4, 'the kept events')
    await bus.publish(leadSynced('b-6'))
    await waitFor(() => seen.length === 5, 'a publish after the queue drained')
    t.same(seen, ['b-1', 'b-2', 'b-3', 'b-4', 'b-6'], 'nothing kept was lost; the refused one was never queued')
  })
}
