import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadRules, parseRules, RulesError } from '../src/index.js'

const reason = { en: 'why', ar: 'لماذا' }
const tiers = { hot: { min: 70, stars: '3' }, warm: { min: 40, stars: '2' }, cold: { stars: '1' } }
const valid = { tiers, rules: [{ id: 'name', kind: 'complete', field: 'name', points: 10, reason }] }

function problem(file: unknown): string {
  try {
    parseRules(file)
  } catch (err) {
    if (err instanceof RulesError) return err.message
    throw err
  }
  return 'no error'
}

t.test('the shipped default file is valid', async (t) => {
  const rules = await loadRules()
  t.ok(rules.rules.length > 0)
})

t.test('a valid file parses', async (t) => {
  t.same(parseRules(valid), valid)
})

t.test('errors name the rule (index and id) and the field', async (t) => {
  t.equal(problem({ tiers, rules: [valid.rules[0], { id: 'paid', kind: 'source', points: 'ten', reason }] }), 'rule 1 ("paid"): points must be number')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'complete', field: 'fax', points: 1, reason }] }), 'rule 0 ("x"): field must be one of name, phone, email')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'flag', flag: 'TEST_LEAD', reason }] }), 'rule 0 ("x"): a flag rule needs points or cap')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'complete', field: 'name', points: 1, reason: { en: 'only english' } }] }), 'rule 0 ("x"): reason.ar is missing')
  t.equal(problem({ tiers, rules: [{ kind: 'complete', field: 'name', points: 1, reason }] }), 'rule 0: id is missing')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'vibes', points: 1, reason }] }), 'rule 0 ("x"): kind must be one of source, complete, flag, revenue, engagement, answer, odoo-probability')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'revenue', atLeast: 5, points: 1, reason, extra: true }] }), 'rule 0 ("x"): unknown field extra')
  t.equal(problem({ tiers, rules: [valid.rules[0], valid.rules[0]] }), 'rule 1 ("name"): id is used by an earlier rule')
  t.equal(problem({ tiers, rules: [{ ...valid.rules[0], id: 'score-range' }] }), 'rule 0 ("score-range"): id is reserved for the 0–100 range in the breakdown')
})

t.test('engagement, answer and odoo-probability rules are checked like the others', async (t) => {
  const engagement = { id: 'fast', kind: 'engagement', withinMinutes: 60, points: 15, reason }
  const answer = { id: 'budget', kind: 'answer', question: ['budget', 'ما_هي_ميزانيتك؟'], atLeast: 50_000, points: 10, reason }
  const probability = { id: 'odoo', kind: 'odoo-probability', weight: 0.2, reason }
  t.same(parseRules({ tiers, rules: [engagement, answer, probability] }).rules, [engagement, answer, probability])
  t.equal(problem({ tiers, rules: [{ ...engagement, withinMinutes: 0 }] }), 'rule 0 ("fast"): withinMinutes must be >= 1')
  t.equal(problem({ tiers, rules: [{ id: 'budget', kind: 'answer', question: ['budget'], points: 10, reason }] }), 'rule 0 ("budget"): an answer rule needs anyOf, contains, atLeast or below')
  t.equal(problem({ tiers, rules: [{ ...answer, question: [] }] }), 'rule 0 ("budget"): question must not have fewer than 1 items')
  t.equal(problem({ tiers, rules: [{ ...probability, weight: 2 }] }), 'rule 0 ("odoo"): weight must be <= 1')
  t.equal(problem({ tiers, rules: [{ ...probability, points: 5 }] }), 'rule 0 ("odoo"): unknown field points')
})

t.test('errors outside the rules name the field', async (t) => {
  t.equal(problem({ tiers: { ...tiers, warm: { min: 80, stars: '2' } }, rules: valid.rules }), 'tiers.warm.min must be below tiers.hot.min')
  t.equal(problem({ tiers: { ...tiers, hot: { min: 70, stars: '5' } }, rules: valid.rules }), 'tiers.hot.stars must be one of 0, 1, 2, 3')
  t.equal(problem({ rules: valid.rules }), 'tiers is missing')
  t.equal(problem({ tiers, rules: [{ id: 'x', kind: 'flag', flag: 'SPAM', points: 1, reason }] }), 'rule 0 ("x"): flag must be one of INVALID_EMAIL, INVALID_PHONE, DISPOSABLE_EMAIL, DO_NOT_CALL, TEST_LEAD, REPEAT_ENQUIRY')
})

t.test('an unreadable, malformed or invalid file is named by its setting', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'scoring-rules-'))
  const broken = join(dir, 'broken.json')
  await writeFile(broken, '{ not json')
  await t.rejects(loadRules(broken), { name: 'ConfigError', message: 'SCORING_RULES_FILE is not valid JSON' })
  await t.rejects(loadRules(join(dir, 'missing.json')), { name: 'ConfigError', message: 'SCORING_RULES_FILE cannot be read' })
  const bad = join(dir, 'bad.json')
  await writeFile(bad, JSON.stringify({ tiers, rules: [{ id: 'paid', kind: 'source', points: 'ten', reason }] }))
  await t.rejects(loadRules(bad), { name: 'ConfigError', message: 'SCORING_RULES_FILE is invalid: rule 0 ("paid"): points must be number' })
})
