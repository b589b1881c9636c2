import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { ConfigError, runMain } from '../src/index.js'

const fixture = fileURLToPath(new URL('./fixtures/server.ts', import.meta.url))

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=gassistant-source', '--import', 'tsx', fixture], {
    env: { ...process.env, REQUIRED_SECRET: 'fixture-secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const lines = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)
  return { child, exited, lines, stderr: () => stderr }
}

t.test('SIGTERM lets the in-flight request finish, then exits 0', async (t) => {
  const server = start({ SLOW_MS: '400' })
  t.teardown(() => void server.child.kill('SIGKILL'))
  const address = await waitFor(() => server.lines().find((line) => typeof line.msg === 'string' && line.msg.startsWith('Server listening'))?.msg as string | undefined, 'the server to listen', 30_000)
  const url = `${/http:\/\/[\d.:]+/.exec(address)?.[0]}/slow`
  const inFlight = fetch(url).then(async (res) => ({ status: res.status, body: await res.json() }))
  await waitFor(() => server.lines().find((line) => line.msg === 'slow request started'), 'the slow request to start', 30_000)
  server.child.kill('SIGTERM')
  t.same(await inFlight, { status: 200, body: { done: true } })
  t.equal(await server.exited, 0, server.stderr())
  const messages = server.lines().map((line) => line.msg)
  t.ok(messages.includes('shutting down') && messages.includes('shut down cleanly'), 'logs the shutdown')
  await t.rejects(fetch(url), 'no new work once closed')
})

t.test('a request outliving the deadline makes the process exit 1 at the deadline', async (t) => {
  const server = start({ SLOW_MS: '60000', DEADLINE_MS: '300' })
  t.teardown(() => void server.child.kill('SIGKILL'))
  const address = await waitFor(() => server.lines().find((line) => typeof line.msg === 'string' && line.msg.startsWith('Server listening'))?.msg as string | undefined, 'the server to listen', 30_000)
  fetch(`${/http:\/\/[\d.:]+/.exec(address)?.[0]}/slow`).catch(() => undefined)
  await waitFor(() => server.lines().find((line) => line.msg === 'slow request started'), 'the slow request to start', 30_000)
  const signalled = Date.now()
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 1)
  t.ok(Date.now() - signalled < 5000, 'exits near the deadline, not when the request ends')
})

t.test('a missing variable stops the process with one line naming it', async (t) => {
  const server = start({ REQUIRED_SECRET: '' })
  t.equal(await server.exited, 1)
  t.equal(server.stderr(), 'fixture: configuration error: REQUIRED_SECRET is missing\n')
})

t.test('runMain writes one line and exits 1 for any start-up failure, never the config value', async (t) => {
  const written: string[] = []
  const codes: number[] = []
  const io = { stderr: { write: (line: string) => written.push(line) }, exit: (code: number) => void codes.push(code) }
  await runMain(async () => {
    throw new ConfigError('META_APP_SECRET', 'must be string')
  }, { service: 'ingress', ...io })
  await runMain(async () => {
    throw new Error('listen EADDRINUSE\n    at Server.listen')
  }, { service: 'ingress', ...io })
  await runMain(async () => 'fine', { service: 'ingress', ...io })
  t.same(written, ['ingress: configuration error: META_APP_SECRET must be string\n', 'ingress: failed to start: Error: listen EADDRINUSE at Server.listen\n'])
  t.same(codes, [1, 1])
})
