// `pnpm hub dashboard hash-password`: prints a DASHBOARD_PASSWORD_HASH the dashboard accepts for the
// password in DASHBOARD_PASSWORD, never the password; a short or missing password is a usage error.
import t from 'tap'
import { verifyPassword } from '@gassistant/dashboard'
import { main } from '../src/cli.js'

const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) })
  return { code, out, err }
}

t.test('hash-password prints a hash that verifies, and not the password', async (t) => {
  const { code, out } = await run(['dashboard', 'hash-password'], { DASHBOARD_PASSWORD: 'كلمة-سر-طويلة-2026' })
  t.equal(code, 0)
  const [line] = out
  t.match(line, /^DASHBOARD_PASSWORD_HASH=scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/)
  t.ok(await verifyPassword('كلمة-سر-طويلة-2026', (line ?? '').split('=')[1] ?? ''))
  t.notMatch(out.join('\n'), 'كلمة-سر')
})

t.test('a missing or short password, or an unknown action, is a usage error', async (t) => {
  const short = await run(['dashboard', 'hash-password'], { DASHBOARD_PASSWORD: 'short' })
  t.equal(short.code, 2)
  t.match(short.err[0], 'set DASHBOARD_PASSWORD to a password of 12 characters or more')
  t.notMatch(short.err.join(''), 'short;')
  t.equal((await run(['dashboard', 'hash-password'], {})).code, 2)
  t.match((await run(['dashboard', 'nope'], {})).err[0], 'unknown action: nope')
})
