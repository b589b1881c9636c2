// Reconciliation checkpoints in Odoo's system parameters, and what happens when the hub user may not read them.
import t from 'tap'
import { startOdooStandIn } from '@gassistant/sandbox'
import { checkpointKey, createOdooCheckpoints } from '../src/meta/checkpoints.js'
import { memoryLog, odooClientFor } from './helpers/harness.js'

const PAGE = '104857600112233'
const FORM = '555000000000001'

t.test('a checkpoint is one ir.config_parameter per form, written over as it moves', async (t) => {
  const server = await startOdooStandIn({ addonInstalled: true })
  const odoo = odooClientFor(server)
  t.teardown(async () => {
    odoo.close()
    await server.close()
  })
  const checkpoints = createOdooCheckpoints(odoo, memoryLog().log)
  t.equal(await checkpoints.get(PAGE, FORM), undefined, 'none at first')
  await checkpoints.set(PAGE, FORM, new Date('2026-01-08T10:00:00Z'))
  await checkpoints.set(PAGE, FORM, new Date('2026-01-08T11:00:00Z'))
  t.same(server.records('ir.config_parameter').map((r) => [r['key'], r['value']]), [[checkpointKey(PAGE, FORM), '2026-01-08T11:00:00.000Z']])
  t.same(await createOdooCheckpoints(odoo, memoryLog().log).get(PAGE, FORM), new Date('2026-01-08T11:00:00Z'), 'another replica (or a restart) reads the same checkpoint')
})

t.test('without Settings rights: checkpoints kept in the process, one warning', async (t) => {
  const server = await startOdooStandIn({ addonInstalled: true })
  const odoo = odooClientFor(server)
  t.teardown(async () => {
    odoo.close()
    await server.close()
  })
  const { log, lines } = memoryLog()
  const checkpoints = createOdooCheckpoints(odoo, log)
  await odoo.connect()
  server.faults.failNext(1, 'forbidden')
  t.equal(await checkpoints.get(PAGE, FORM), undefined)
  await checkpoints.set(PAGE, FORM, new Date('2026-01-08T10:00:00Z'))
  t.same(await checkpoints.get(PAGE, FORM), new Date('2026-01-08T10:00:00Z'), 'kept in memory')
  t.same(server.records('ir.config_parameter'), [], 'nothing written to Odoo')
  t.equal(lines.filter((l) => /system parameters/.test(l.msg)).length, 1, 'one warning')
})
