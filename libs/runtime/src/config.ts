// Environment configuration validated with TypeBox at start-up (12-factor).
// Must never echo a variable's value in an error: any of them may be a secret.
import { readFileSync } from 'node:fs'
import type { Static, TObject, TSchema } from 'typebox'
import { Value } from 'typebox/value'

/** A missing or invalid environment variable. The message is one line naming the variable, never its value. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
  readonly variable: string
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'ConfigError'
    this.variable = variable
  }
}

type Env = Record<string, string | undefined>

function isStructured(schema: TSchema): boolean {
  const type = (schema as { type?: unknown }).type
  return type === 'object' || type === 'array'
}

/** Allowed values of a union of literals, for a message such as "must be one of info, debug". */
function allowedValues(schema: TSchema): string[] | undefined {
  const anyOf = (schema as { anyOf?: { const?: unknown }[] }).anyOf
  if (!anyOf || !anyOf.every((member) => member.const !== undefined)) return undefined
  return anyOf.map((member) => String(member.const))
}

/**
 * The text of `name`: its own value, or else the content of the file `<name>_FILE` names (Docker and
 * Kubernetes secrets are mounted as files), without the trailing newline editors and `echo` add.
 * Errors name the variable and the reason, never the path's content.
 */
function textOf(name: string, env: Env): string | undefined {
  const direct = env[name]
  const fileVariable = `${name}_FILE`
  const path = env[fileVariable]
  const hasDirect = direct !== undefined && direct !== ''
  if (path === undefined || path === '') return hasDirect ? direct : undefined
  if (hasDirect) throw new ConfigError(name, `and ${fileVariable} are both set; set one of them`)
  let content: string
  try {
    content = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new ConfigError(fileVariable, `names a file that cannot be read (${code})`)
  }
  const text = content.replace(/[\r\n]+$/, '')
  if (text === '') throw new ConfigError(fileVariable, 'names an empty file')
  return text
}

/**
 * Reads the variables named by `schema` from `env`, converts strings to the schema's numbers, booleans
 * and JSON objects, applies defaults and validates. An empty string counts as unset (compose files
 * often write `FOO=`). A variable may instead be given as `<NAME>_FILE`, the path of a file holding
 * its value (secrets mounted by Docker or Kubernetes). Throws ConfigError on the first problem.
 */
export function loadConfig<S extends TObject>(schema: S, env: Env = process.env): Static<S> {
  const raw: Record<string, unknown> = {}
  for (const [name, property] of Object.entries(schema.properties)) {
    const text = textOf(name, env)
    if (text === undefined) continue
    if (isStructured(property)) {
      try {
        raw[name] = JSON.parse(text)
      } catch {
        throw new ConfigError(name, 'is not valid JSON')
      }
    } else {
      raw[name] = text
    }
  }
  const value = Value.Convert(schema, Value.Default(schema, raw))
  const errors = [...Value.Errors(schema, value)]
  const first = errors[0]
  if (!first) return value as Static<S>
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties ?? []
    throw new ConfigError(missing.join(', ') || 'a variable', missing.length > 1 ? 'are missing' : 'is missing')
  }
  const [name = '?', ...rest] = first.instancePath.split('/').filter(Boolean)
  const property = schema.properties[name]
  const allowed = property && allowedValues(property)
  const where = rest.length > 0 ? ` (at ${rest.join('.')})` : ''
  const problem = allowed ? `must be one of ${allowed.join(', ')}` : first.message
  throw new ConfigError(name, `${problem}${where}`)
}
