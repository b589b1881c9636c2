// The dashboard as its API tests drive it: built by wireDashboard (as main.ts does) without listening,
// a known admin password, and a signed-in session (cookie + CSRF token) for inject calls.
import type { Test } from 'tap'
import type { DeadLetters } from '@gassistant/bus'
import { createLogger, createMetrics, loadConfig } from '@gassistant/runtime'
import { Writable } from 'node:stream'
import { hashPassword } from '../../src/auth.js'
import { DashboardSettings } from '../../src/config.js'
import { LogStore } from '../../src/ingest/log-store.js'
import { wireDashboard } from '../../src/wiring.js'

export const PASSWORD = 'correct horse battery staple'
export const SECRET = 'a-session-secret-of-at-least-32-characters'
let passwordHash: Promise<string> | undefined

export async function testSettings(overrides: Record<string, string> = {}): Promise<DashboardSettings> {
  passwordHash ??= hashPassword(PASSWORD)
  return loadConfig(DashboardSettings, {
    DASHBOARD_PASSWORD_HASH: await passwordHash,
    DASHBOARD_SESSION_SECRET: SECRET,
    DASHBOARD_SECURE_COOKIE: 'false',
    DASHBOARD_MAX_JOURNEYS: '1000',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  })
}

export interface Rig {
  readonly store: LogStore
  readonly url: string
  /** The dashboard's own log lines. */
  readonly lines: Record<string, unknown>[]
  /** Cookie header and CSRF token of a signed-in admin. */
  signIn(): Promise<{ cookie: string; csrf: string }>
  get(path: string, session?: { cookie: string }): Promise<Response>
  post(path: string, body: unknown, session?: { cookie: string; csrf?: string }, headers?: Record<string, string>): Promise<Response>
}

export async function startDashboard(t: Test, options: { settings?: Record<string, string>; deadLetters?: { amqpUrl: string } | { bus: DeadLetters } } = {}): Promise<Rig> {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      callback()
    },
  })
  const store = new LogStore()
  const dashboard = await wireDashboard(await testSettings(options.settings), {
    log: createLogger({ service: 'dashboard', destination }),
    metrics: createMetrics('dashboard', { defaultMetrics: false }),
    store,
    ...(options.deadLetters === undefined ? {} : { deadLetters: options.deadLetters }),
  })
  const url = await dashboard.start()
  t.teardown(() => dashboard.stop())
  const get = (path: string, session?: { cookie: string }) => fetch(`${url}${path}`, { redirect: 'manual', headers: session ? { cookie: session.cookie } : {} })
  const post = (path: string, body: unknown, session?: { cookie: string; csrf?: string }, headers: Record<string, string> = {}) => fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
      ...(session ? { cookie: session.cookie } : {}),
      ...(session?.csrf ? { 'x-csrf-token': session.csrf } : {}),
      ...headers,
    },
  })
  return {
    store,
    url,
    lines,
    get,
    post,
    async signIn() {
      const answer = await post('/login', { user: 'admin', password: PASSWORD })
      if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status}`)
      const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const { csrf } = (await answer.json()) as { csrf: string }
      return { cookie, csrf }
    },
  }
}
