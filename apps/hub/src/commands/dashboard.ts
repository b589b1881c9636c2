// `pnpm hub dashboard hash-password`: the value of DASHBOARD_PASSWORD_HASH for the password in
// DASHBOARD_PASSWORD (an environment variable, so it stays out of the argument list other users can see;
// `read -rs DASHBOARD_PASSWORD && export DASHBOARD_PASSWORD` keeps it out of the shell history too).
// Prints the hash only, never the password.
import { hashPassword } from '@gassistant/dashboard'
import { UsageError, type CommandGroup } from './command.js'

export const USAGE = 'dashboard hash-password   (reads the password from DASHBOARD_PASSWORD)'

/** Shorter passwords are refused: the dashboard shows Odoo's customer data. */
const MIN_LENGTH = 12

export const dashboard: CommandGroup = {
  usage: USAGE,
  async run(argv, env, io) {
    const [, action, ...extra] = argv
    if (action === '--help' || action === '-h') {
      io.out(`usage: pnpm hub ${USAGE}`)
      return 0
    }
    if (action !== 'hash-password') throw new UsageError(action === undefined ? 'missing action: hash-password' : `unknown action: ${action}`)
    if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`)
    const password = env['DASHBOARD_PASSWORD']
    if (password === undefined || password.length < MIN_LENGTH) throw new UsageError(`set DASHBOARD_PASSWORD to a password of ${MIN_LENGTH} characters or more`)
    io.out(`DASHBOARD_PASSWORD_HASH=${await hashPassword(password)}`)
    return 0
  },
}
