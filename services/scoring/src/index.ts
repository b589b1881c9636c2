// Public surface of @gassistant/scoring: the rules file (schema, loader) and the pure scoring function.
export { RulesFile, RulesError, DEFAULT_RULES_FILE, loadRules, parseRules } from './rules.js'
export type { ScoringRule } from './rules.js'
export { scoreLead, tierOf } from './score.js'
export type { BreakdownEntry, LeadFacts, LeadFlag, ScoreResult, Tier } from './score.js'
