// `pnpm topology:definitions`: writes deploy/rabbitmq/definitions.json from HUB_TOPOLOGY, the one
// declaration of who consumes what. test/definitions.test.ts fails when the file is out of step.
import { writeFile } from 'node:fs/promises'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { rabbitDefinitions } from '../src/index.js'

const target = new URL('../../../deploy/rabbitmq/definitions.json', import.meta.url)
await writeFile(target, `${JSON.stringify(rabbitDefinitions(Object.values(HUB_TOPOLOGY)), null, 2)}\n`)
process.stdout.write(`wrote ${target.pathname}\n`)
