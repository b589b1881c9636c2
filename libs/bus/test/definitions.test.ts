// deploy/rabbitmq/definitions.json is derived from HUB_TOPOLOGY: it must stay in step, and a broker
// seeded from it must accept the services' own declarations unchanged.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { createAmqpBus, done, rabbitDefinitions } from '../src/index.js'
import { leadSynced, metaLeadgen } from './helpers/events.js'
import { rabbitVhost, rabbitmqctl } from './helpers/rabbit.js'
import { waitFor } from '@gassistant/test-support'

const FILE = new URL('../../../deploy/rabbitmq/definitions.json', import.meta.url)

t.test('deploy/rabbitmq/definitions.json is what HUB_TOPOLOGY says (else run `pnpm topology:definitions`)', async (t) => {
  const committed: unknown = JSON.parse(await readFile(FILE, 'utf8'))
  t.same(committed, rabbitDefinitions(Object.values(HUB_TOPOLOGY)), 'out of step: run `pnpm topology:definitions` and commit the file')
})

t.test('a broker seeded from the definitions accepts the lead-processor as it subscribes, and routes its events', async (t) => {
  const vhost = await rabbitVhost(t)
  const file = join(tmpdir(), `gassistant-definitions-${vhost.name}.json`)
  await writeFile(file, JSON.stringify(rabbitDefinitions(Object.values(HUB_TOPOLOGY), { vhost: vhost.name })))
  t.teardown(() => rm(file, { force: true }))
  await rabbitmqctl('import_definitions', file)

  // A publisher that declares nothing: the seeded queue alone must keep the event.
  const publisher = await createAmqpBus({ url: vhost.url, connectTimeoutMs: 3_000 })
  t.teardown(() => publisher.close({ deadlineMs: 200 }))
  await publisher.publish([metaLeadgen('seeded-1'), leadSynced('unbound-1')])

  const consumer = await createAmqpBus({ url: vhost.url, connectTimeoutMs: 3_000 })
  t.teardown(() => consumer.close({ deadlineMs: 200 }))
  const seen: string[] = []
  // Any argument differing from the definitions would make this a TopologyError (406).
  await consumer.subscribe({ ...HUB_TOPOLOGY['lead-processor'], handler: async (event) => (seen.push(event.id), done) })
  await waitFor(() => seen.length === 1, 'the seeded queue delivering')
  t.same(seen, ['seeded-1'], 'the event waited in the seeded queue; an unbound type was not routed there')
})
