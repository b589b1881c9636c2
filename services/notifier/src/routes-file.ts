// The optional routing file (SLACK_ROUTES_FILE): who is who on Slack when Slack's own look-up is not the answer
// (a rep whose Slack email differs from Odoo's), and which channel a sales team's leads go to. Read once at start:
// a bad file stops the start with one line naming the variable and the field.
import { readFile } from 'node:fs/promises'
import { ConfigError, schemaProblem } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

const SlackId = Type.String({ pattern: '^[A-Z0-9]{2,}$' })

export const RoutesFile = Type.Object({
  /** Odoo user email (lower case) or Odoo user id → Slack user id (`U…`); wins over users.lookupByEmail. */
  users: Type.Record(Type.String({ minLength: 1 }), SlackId, { default: {} }),
  /** crm.team id or exact name → Slack channel id (`C…`) for leads whose salesperson has no Slack DM. */
  teams: Type.Record(Type.String({ minLength: 1 }), SlackId, { default: {} }),
}, { additionalProperties: false })

export type RoutesFile = Static<typeof RoutesFile>

const VARIABLE = 'SLACK_ROUTES_FILE'
export const NO_ROUTES: RoutesFile = Object.freeze({ users: {}, teams: {} })

/** Validates a parsed routing file; throws ConfigError naming SLACK_ROUTES_FILE and the first bad field. */
export function parseRoutes(value: unknown): RoutesFile {
  const withDefaults = Value.Default(RoutesFile, structuredClone(value))
  const problem = schemaProblem(RoutesFile, withDefaults)
  if (problem !== undefined) throw new ConfigError(VARIABLE, `is invalid: ${problem.text}`)
  const routes = withDefaults as RoutesFile
  return { users: Object.fromEntries(Object.entries(routes.users).map(([key, id]) => [key.toLowerCase(), id])), teams: routes.teams }
}

/** The file's routes, or none when the variable is unset. */
export async function loadRoutes(path: string | undefined): Promise<RoutesFile> {
  if (path === undefined) return NO_ROUTES
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new ConfigError(VARIABLE, 'cannot be read')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ConfigError(VARIABLE, 'is not valid JSON')
  }
  return parseRoutes(value)
}
