// Public surface of @gassistant/scoring: its wiring (used by main.ts and the all-in-one hub), the service
// factory, its configuration schemas, the rules file and the pure scoring function.
export { SERVICE, createScoring, scoredEventId } from './service.js'
export type { Scoring, ScoringDeps, ScoringReadiness } from './service.js'
export { ScoringEnv, ScoringSettings } from './config.js'
export type { ScoringConfig } from './config.js'
export { wireScoring } from './wiring.js'
export type { ScoringWiring } from './wiring.js'
export { RulesFile, RulesError, DEFAULT_RULES_FILE, loadRules, parseRules } from './rules.js'
export type { ScoringRule } from './rules.js'
export { scoreLead, tierOf } from './score.js'
export type { BreakdownEntry, FormAnswer, LeadFacts, LeadFlag, ScoreResult, Tier } from './score.js'
export { explainLead, formatExplanation } from './explain.js'
export type { Explanation } from './explain.js'
