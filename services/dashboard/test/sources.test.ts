// Log sources: lines split across chunks arrive whole, a followed file is read as it grows and again from
// its start when truncated, and a spend CSV is read with quoted names or refused naming the row.
import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { followFile, lineSplitter, readStream } from '../src/ingest/sources.js'
import { SpendFileError, parseSpendCsv } from '../src/sources/spend.js'

t.test('lines split across chunks (and inside a multi-byte character) arrive whole', async (t) => {
  const lines: string[] = []
  const splitter = lineSplitter((line) => lines.push(line))
  const text = Buffer.from('{"a":"مرحبا"}\n{"b":2}\npartial')
  for (let i = 0; i < text.length; i += 3) splitter.push(text.subarray(i, i + 3))
  t.same(lines, ['{"a":"مرحبا"}', '{"b":2}'])
  splitter.end()
  t.same(lines.at(-1), 'partial')
  const streamed: string[] = []
  await readStream(Readable.from([Buffer.from('one\ntw'), Buffer.from('o\n')]), (line) => streamed.push(line))
  t.same(streamed, ['one', 'two'])
})

t.test('a followed file is read as it grows, and from its start again after truncation', async (t) => {
  const path = join(t.testdir(), 'hub.log')
  await writeFile(path, 'first\n')
  const lines: string[] = []
  const follower = followFile(path, (line) => lines.push(line), { pollMs: 20 })
  t.teardown(() => follower.stop())
  await follower.caughtUp
  t.same(lines, ['first'])
  await appendFile(path, 'second\nthi')
  await appendFile(path, 'rd\n')
  await waitFor(() => lines.length === 3, 'the appended lines', 5_000)
  t.same(lines, ['first', 'second', 'third'])
  await writeFile(path, 'new\n')
  await waitFor(() => lines.length === 4, 'the truncated file', 5_000)
  t.equal(lines[3], 'new')
})

t.test('a spend CSV: quoted campaign names, thousands separators, rows summed; a bad row named', async (t) => {
  t.same([...parseSpendCsv('\uFEFFCampaign,Spend\n"Ramadan, 2026","1,200.50"\nbrand-en,10\nbrand-en,5\n')], [['Ramadan, 2026', 1200.5], ['brand-en', 15]])
  t.throws(() => parseSpendCsv('name,cost\nx,1\n'), new SpendFileError('spend CSV needs a header row with columns campaign and spend'))
  t.throws(() => parseSpendCsv('campaign,spend\nx,-1\n'), { message: 'spend CSV row 2: needs a campaign name and a non-negative spend' })
})
