// The first thing a TypeBox schema refuses in a value, as one line a person can act on: the field as a
// dotted path, then what is wrong with it. For the files operators write (scoring and workflow rules, Slack
// routes), whose loaders prefix the file's variable and the rule.
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'

export interface SchemaProblem {
  /** Dotted path of the field ('' for the value itself). */
  readonly field: string
  /** The TypeBox error keyword ('required', 'const', 'pattern', …), for a caller that words one itself. */
  readonly keyword: string
  /** e.g. "rules.0.points must be integer", "trigger.events is missing", "unknown field weight". */
  readonly text: string
}

export function schemaProblem(schema: TSchema, value: unknown): SchemaProblem | undefined {
  const errors = [...Value.Errors(schema, value)]
  const first = errors[0]
  if (first === undefined) return undefined
  const field = first.instancePath.split('/').filter(Boolean).join('.')
  const problem = (text: string): SchemaProblem => ({ field, keyword: first.keyword, text })
  if (first.keyword === 'boolean' || first.keyword === 'additionalProperties') return problem(`unknown field ${field}`)
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties ?? []
    return problem(`${missing.map((name) => (field === '' ? name : `${field}.${name}`)).join(', ')} is missing`)
  }
  if (first.keyword === 'const') {
    // A union of literals reports one error per allowed value: list them.
    const allowed = errors
      .filter((error) => error.keyword === 'const' && error.instancePath === first.instancePath)
      .map((error) => String((error.params as { allowedValue?: unknown }).allowedValue))
    return problem(`${field} must be one of ${allowed.join(', ')}`)
  }
  return problem(`${field || 'the file'} ${first.message}`)
}
