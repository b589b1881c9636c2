// What /readyz reports for a dependency: the last real observation while fresh, else one shared probe.
import t from 'tap'
import { createHealth } from '../src/index.js'

t.test('a fresh observation answers without a call; a stale one is replaced by one probe shared by concurrent checks', async (t) => {
  let clock = 0
  let calls = 0
  let answering = true
  const health = createHealth({ probes: { odoo: async () => { calls++; if (!answering) throw new Error('down') } }, now: () => clock })
  health.record('odoo', false)
  t.equal(await health.check('odoo'), false, 'the last real use says down')
  t.equal(calls, 0, 'no call while that is fresh')
  clock = 5_000
  t.same(await Promise.all([health.check('odoo'), health.check('odoo')]), [true, true], 'stale: the probe decides')
  t.equal(calls, 1, 'concurrent readiness requests share one probe')
  answering = false
  clock = 10_000
  t.equal(await health.check('odoo'), false)
})

t.test("a paused consumer's probe counts as an observation, and its failure still reaches the bus", async (t) => {
  let up = false
  const health = createHealth({ probes: {}, now: () => 0 })
  const probe = health.recorded('odoo', async () => { if (!up) throw new Error('ECONNREFUSED') })
  await t.rejects(probe(), /ECONNREFUSED/)
  t.equal(await health.check('odoo'), false)
  up = true
  await probe()
  t.equal(await health.check('odoo'), true)
})

t.test('a dependency without a probe reports its last observation, even a stale one; up until one is seen', async (t) => {
  let clock = 0
  const health = createHealth({ probes: {}, now: () => clock })
  t.equal(await health.check('graph'), true)
  health.record('graph', false)
  clock = 60_000
  t.equal(await health.check('graph'), false, 'no Graph call is spent on readiness')
})
