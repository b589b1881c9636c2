// Public surface of @gassistant/workflow-rules: its wiring (used by main.ts and the all-in-one hub), the service
// factory, its configuration schemas, the rules file, the engine (for `pnpm hub rules explain`) and the
// working-time calendar.
export { SERVICE, createWorkflowRules } from './service.js'
export type { WorkflowRules, WorkflowRulesDeps, WorkflowRulesReadiness } from './service.js'
export { WorkflowRulesEnv, WorkflowRulesSettings } from './config.js'
export type { WorkflowRulesConfig } from './config.js'
export { wireWorkflowRules } from './wiring.js'
export type { WorkflowRulesWiring } from './wiring.js'
export { DEFAULT_RULES_FILE, RULES_VARIABLE, RulesError, RulesFile, loadRules, parseRules, readRules } from './rules.js'
export type { RuleAction, WorkflowRule } from './rules.js'
export { createEngine } from './engine.js'
export type { Engine, PendingTimer, SweepResult } from './engine.js'
export { CLAIM_MODULE, claimKey, createClaims } from './claims.js'
export { createOdooRecords } from './odoo-records.js'
export { createCalendarSource, specOfOdooCalendar } from './odoo-calendar.js'
export { CalendarError, WEEKDAYS, createCalendar } from './calendar/index.js'
export type { Calendar, CalendarSpec, DayHours, WeekHours, Weekday } from './calendar/index.js'
