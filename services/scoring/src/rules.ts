// The scoring rules file: its TypeBox schema, and the loader that validates it at start so a bad file stops
// the service with one message naming the rule (index and id) and the field. The file is JSON; the default
// ships in rules/default.json beside this package's src/ and dist/.
import { readFile } from 'node:fs/promises'
import { ConfigError, schemaProblem } from '@gassistant/runtime'
import Type, { type Static, type TSchema } from 'typebox'
import { RANGE_RULE } from './score.js'

/** Every reason is given in both languages a Gulf sales team reads. */
const Reason = Type.Object({ en: Type.String({ minLength: 1 }), ar: Type.String({ minLength: 1 }) }, { additionalProperties: false })
const Id = Type.String({ minLength: 1 })
const Words = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })

/** Matches where the lead came from; every condition given must hold (values compared case-insensitively). */
const SourceRule = Type.Object({
  id: Id,
  kind: Type.Literal('source'),
  channel: Type.Optional(Type.Array(Type.Union([Type.Literal('meta'), Type.Literal('whatsapp'), Type.Literal('form')]), { minItems: 1 })),
  utmSource: Type.Optional(Words),
  utmMedium: Type.Optional(Words),
  utmCampaign: Type.Optional(Words),
  points: Type.Number(),
  reason: Reason,
}, { additionalProperties: false })

/** A contact detail the lead has: a name, or a phone / email the lead-processor did not flag invalid. */
const CompleteRule = Type.Object({
  id: Id,
  kind: Type.Literal('complete'),
  field: Type.Union([Type.Literal('name'), Type.Literal('phone'), Type.Literal('email')]),
  points: Type.Number(),
  reason: Reason,
}, { additionalProperties: false })

/** A flag the lead-processor set: adds `points` (usually negative) and/or caps the total at `cap`. */
const FlagRule = Type.Object({
  id: Id,
  kind: Type.Literal('flag'),
  flag: Type.Union([
    Type.Literal('INVALID_EMAIL'),
    Type.Literal('INVALID_PHONE'),
    Type.Literal('DISPOSABLE_EMAIL'),
    Type.Literal('DO_NOT_CALL'),
    Type.Literal('TEST_LEAD'),
    Type.Literal('REPEAT_ENQUIRY'),
  ]),
  points: Type.Optional(Type.Number()),
  cap: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  reason: Reason,
}, { additionalProperties: false })

/** Odoo's expected revenue at or above `atLeast`; several rules make bands (each band that applies adds). */
const RevenueRule = Type.Object({
  id: Id,
  kind: Type.Literal('revenue'),
  atLeast: Type.Number({ minimum: 0 }),
  points: Type.Number(),
  reason: Reason,
}, { additionalProperties: false })

/**
 * The customer wrote on WhatsApp after the lead: at least `atLeast` (default 1) inbound messages logged on the
 * lead besides the one that created it, counting only those within `withinMinutes` of the lead's creation when given.
 */
const EngagementRule = Type.Object({
  id: Id,
  kind: Type.Literal('engagement'),
  atLeast: Type.Optional(Type.Integer({ minimum: 1 })),
  withinMinutes: Type.Optional(Type.Integer({ minimum: 1 })),
  points: Type.Number(),
  reason: Reason,
}, { additionalProperties: false })

/**
 * A form answer: the question is named as a form field in any language (`budget`, `ما_هي_ميزانيتك؟`) and
 * matched normalised (text-match.ts); the answer is one of `anyOf`, contains one of `contains` (whole words),
 * or is an amount within `atLeast` / `below`. Every matcher given must hold.
 */
const AnswerRule = Type.Object({
  id: Id,
  kind: Type.Literal('answer'),
  question: Words,
  anyOf: Type.Optional(Words),
  contains: Type.Optional(Words),
  atLeast: Type.Optional(Type.Number()),
  below: Type.Optional(Type.Number()),
  points: Type.Number(),
  reason: Reason,
}, { additionalProperties: false })

/**
 * Odoo's own predictive probability (0–100), when Odoo has computed one for the lead: adds
 * `weight × probability` points (rounded). `{probability}` in a reason is replaced by the percentage.
 */
const OdooProbabilityRule = Type.Object({
  id: Id,
  kind: Type.Literal('odoo-probability'),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  reason: Reason,
}, { additionalProperties: false })

const Rule = Type.Union([SourceRule, CompleteRule, FlagRule, RevenueRule, EngagementRule, AnswerRule, OdooProbabilityRule])

/** Odoo's priority selection: '0' (none) to '3' (three stars). */
const Stars = Type.Union([Type.Literal('0'), Type.Literal('1'), Type.Literal('2'), Type.Literal('3')])

export const RulesFile = Type.Object({
  tiers: Type.Object({
    hot: Type.Object({ min: Type.Integer({ minimum: 0, maximum: 100 }), stars: Stars }, { additionalProperties: false }),
    warm: Type.Object({ min: Type.Integer({ minimum: 0, maximum: 100 }), stars: Stars }, { additionalProperties: false }),
    cold: Type.Object({ stars: Stars }, { additionalProperties: false }),
  }, { additionalProperties: false }),
  rules: Type.Array(Rule, { minItems: 1 }),
}, { additionalProperties: false })

export type RulesFile = Static<typeof RulesFile>
export type ScoringRule = RulesFile['rules'][number]

/** A rules file that cannot be used; the message names the rule (index and id) and the field. */
export class RulesError extends Error {
  readonly code = 'RULES_INVALID'
  constructor(message: string) {
    super(message)
    this.name = 'RulesError'
  }
}

const RULES_VARIABLE = 'SCORING_RULES_FILE'

export const DEFAULT_RULES_FILE = new URL('../rules/default.json', import.meta.url)

const KINDS: Record<string, TSchema> = {
  source: SourceRule,
  complete: CompleteRule,
  flag: FlagRule,
  revenue: RevenueRule,
  engagement: EngagementRule,
  answer: AnswerRule,
  'odoo-probability': OdooProbabilityRule,
}

function describeRule(rules: unknown, index: number): string {
  const rule = Array.isArray(rules) ? (rules[index] as { id?: unknown } | undefined) : undefined
  return typeof rule?.id === 'string' ? `rule ${index} ("${rule.id}")` : `rule ${index}`
}

/** The first problem of one rule, checked against the schema of its own kind so the message is precise. */
function ruleProblem(rule: unknown): string | undefined {
  const kind = (rule as { kind?: unknown } | null)?.kind
  const schema = typeof kind === 'string' ? KINDS[kind] : undefined
  if (schema === undefined) return `kind must be one of ${Object.keys(KINDS).join(', ')}`
  return schemaProblem(schema, rule)?.text
}

/** Validates a parsed rules file; throws RulesError naming the rule and the field. */
export function parseRules(value: unknown): RulesFile {
  const rules = (value as { rules?: unknown } | null)?.rules
  if (Array.isArray(rules)) {
    rules.forEach((rule, index) => {
      const problem = ruleProblem(rule)
      if (problem !== undefined) throw new RulesError(`${describeRule(rules, index)}: ${problem}`)
    })
  }
  const problem = schemaProblem(RulesFile, value)?.text
  if (problem !== undefined) throw new RulesError(problem)
  const file = value as RulesFile
  if (file.tiers.warm.min >= file.tiers.hot.min) throw new RulesError('tiers.warm.min must be below tiers.hot.min')
  const seen = new Set<string>()
  file.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) throw new RulesError(`rule ${index} ("${rule.id}"): id is used by an earlier rule`)
    if (rule.id === RANGE_RULE) throw new RulesError(`rule ${index} ("${rule.id}"): id is reserved for the 0–100 range in the breakdown`)
    seen.add(rule.id)
    if (rule.kind === 'flag' && rule.points === undefined && rule.cap === undefined) {
      throw new RulesError(`rule ${index} ("${rule.id}"): a flag rule needs points or cap`)
    }
    if (rule.kind === 'answer' && rule.anyOf === undefined && rule.contains === undefined && rule.atLeast === undefined && rule.below === undefined) {
      throw new RulesError(`rule ${index} ("${rule.id}"): an answer rule needs anyOf, contains, atLeast or below`)
    }
  })
  return file
}

/**
 * Reads and validates a rules file (the shipped default when `path` is unset). Throws ConfigError naming
 * SCORING_RULES_FILE, so the service stops at start with one line (the rule and the field, never the file's text).
 */
export async function loadRules(path?: string): Promise<RulesFile> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path ?? DEFAULT_RULES_FILE, 'utf8'))
  } catch (err) {
    throw new ConfigError(RULES_VARIABLE, err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read')
  }
  try {
    return parseRules(parsed)
  } catch (err) {
    if (err instanceof RulesError) throw new ConfigError(RULES_VARIABLE, `is invalid: ${err.message}`)
    throw err
  }
}
