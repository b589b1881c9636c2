// The in-process transport against the shared conformance suite, plus what only it can show.
import t from 'tap'
import { createMemoryBus, done, park } from '../src/index.js'
import { busConformance } from './helpers/conformance.js'
import { leadSynced } from './helpers/events.js'
import { waitFor } from '@gassistant/test-support'

let counter = 0

busConformance(t, {
  async open(t, { declare = {}, now, log } = {}) {
    const run = ++counter
    const service = (label: string) => `${label}-${run}`
    const bus = createMemoryBus({
      declare: Object.entries(declare).map(([label, spec]) => ({ ...spec, service: service(label) })),
      ...(now ? { now } : {}),
      ...(log ? { log } : {}),
    })
    t.teardown(() => bus.close({ deadlineMs: 100 }))
    return { bus, service }
  },
})

t.test('every handled event logs the facts ops need and none of its data', async (t) => {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = []
  const capture = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message })
  const log = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') }
  const parkedAt = new Date('2026-01-08T10:30:00.000Z')
  const bus = createMemoryBus({ log, now: () => parkedAt })
  t.teardown(() => bus.close())
  await bus.subscribe({ service: 'logged', bindings: ['lead.synced.v1'], handler: async (e) => (e.id === 'log-2' ? park('bad data') : done) })
  await bus.publish([leadSynced('log-1'), leadSynced('log-2')])
  await waitFor(() => lines.length === 2, 'two log lines')

  const handled = lines.find((line) => line.fields.event_id === 'log-1')
  t.equal(handled?.level, 'info')
  t.equal(handled?.message, 'event handled')
  t.match(handled?.fields, { service: 'logged', type: 'lead.synced.v1', correlation_id: 'log-1', outcome: 'done', attempt: 1 })
  t.type(handled?.fields.duration_ms, 'number')
  const parkedLine = lines.find((line) => line.fields.event_id === 'log-2')
  t.match(parkedLine, { level: 'error', fields: { outcome: 'park', reason: 'bad data' } })
  t.notMatch(JSON.stringify(lines), /محمد|الرياض|externalRef/, 'no event data in any log line')
  const [parked] = await bus.deadLetters.list('logged')
  t.equal(parked?.parkedAt, '2026-01-08T10:30:00.000Z', 'parkedAt comes from the injected clock')
})
