// The shared test support does what every package's tests rely on: fixtures read byte for byte, and
// waitFor resolving with what it waited for or failing with what never happened.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FIXTURES_DIR, fixtureBytes, fixtureJson, fixtureText, waitFor } from '../src/index.js'

t.test('fixtures are read unchanged, and each exists once', async (t) => {
  const bytes = fixtureBytes('meta-leadgen-webhook.json')
  t.equal(fixtureText('meta-leadgen-webhook.json'), bytes.toString('utf8'))
  t.match(fixtureJson('meta-leadgen-webhook.json'), { object: 'page' })
  const digests = readdirSync(FIXTURES_DIR).map((name) => createHash('sha256').update(fixtureBytes(name)).digest('hex'))
  t.equal(new Set(digests).size, digests.length, 'no two fixture files are copies of each other')
  // No package keeps payload copies of its own.
  const root = join(FIXTURES_DIR, '../../..')
  const strays = ['libs', 'services', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((pkg) => {
      const dir = join(root, group, pkg, 'test', 'fixtures')
      return existsSync(dir) ? readdirSync(dir).filter((name) => /\.(json|xml)$/.test(name)).map((name) => `${group}/${pkg}/test/fixtures/${name}`) : []
    }),
  )
  t.same(strays, [], 'payload fixtures live only here')
})

t.test('waitFor resolves with the first value that is not undefined, null or false', async (t) => {
  let calls = 0
  t.equal(await waitFor(() => ++calls >= 3 && calls, 'three calls'), 3)
  t.equal(await waitFor(async () => true, 'a true condition'), true)
  t.same(await waitFor(() => [], 'an empty list'), [], 'an empty list is a value')
})

t.test('waitFor fails naming what never happened', async (t) => {
  await t.rejects(waitFor(() => false, 'the impossible', 30), { message: 'timed out after 30 ms waiting for the impossible' })
})
