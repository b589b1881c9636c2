// `pnpm hub rules check <file>` validates a workflow rules file (one line: what it holds, or the rule and field
// that is wrong); `pnpm hub rules explain <lead id>` reads the lead from the Odoo at ODOO_URL and prints how each
// rule of WORKFLOW_RULES_FILE (default: the shipped rules) stands for it, with each timer's due time in the
// calendar's local time. Reads only: never claims, fires or publishes; never prints the Odoo password.
import { createOdooClient } from '@gassistant/odoo'
import { loadConfig } from '@gassistant/runtime'
import {
  RulesError, WorkflowRulesEnv, createCalendarSource, createClaims, createOdooRecords, explainLead, formatExplanation, loadRules, readRules,
} from '@gassistant/workflow-rules'
import Type from 'typebox'
import { UsageError, leadIdArg, readArgs, type CommandGroup } from './command.js'

export const USAGE = 'rules check <file> | rules explain <lead id>'

const ExplainEnv = Type.Pick(WorkflowRulesEnv, ['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_PASSWORD', 'WORKFLOW_RULES_FILE'])

export type Command = { readonly kind: 'help' } | { readonly kind: 'check'; readonly file: string } | { readonly kind: 'explain'; readonly leadId: number }

/** Pure: the arguments after `hub` (starting with `rules`), to the command they ask for. Throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const parsed = readArgs(argv, {})
  if (parsed.values.help === true) return { kind: 'help' }
  const [, action, target, ...extra] = parsed.positionals
  if (action === undefined) throw new UsageError('missing action: check or explain')
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`)
  if (action === 'check') {
    if (target === undefined || target === '') throw new UsageError('missing <file> for rules check')
    return { kind: 'check', file: target }
  }
  if (action === 'explain') return { kind: 'explain', leadId: leadIdArg(target) }
  throw new UsageError(`unknown action: rules ${action}`)
}

export const rules: CommandGroup = {
  usage: USAGE,
  async run(argv, env, io) {
    const command = parseCommand(argv)
    if (command.kind === 'help') {
      io.out(`usage: pnpm hub ${USAGE}`)
      return 0
    }
    if (command.kind === 'check') {
      try {
        const file = await readRules(command.file)
        const calendar = 'fromOdoo' in file.calendar ? "Odoo's company working calendar" : `calendar ${file.calendar.timeZone}`
        io.out(`ok: ${command.file}: ${file.rules.length} rules (${file.rules.map((rule) => rule.id).join(', ')}); ${calendar}`)
        return 0
      } catch (error) {
        if (!(error instanceof RulesError)) throw error
        io.err(`error: ${command.file}: ${error.message}`)
        return 1
      }
    }
    const settings = loadConfig(ExplainEnv, env)
    const ruleSet = await loadRules(settings.WORKFLOW_RULES_FILE)
    const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD })
    try {
      const now = (): Date => new Date()
      const explanation = await explainLead({ rules: ruleSet, records: createOdooRecords(odoo), claims: createClaims(odoo), calendar: createCalendarSource(ruleSet, odoo, now), now }, command.leadId)
      if (explanation === undefined) {
        io.err(`error: no lead ${command.leadId} in Odoo ${settings.ODOO_DB} at ${settings.ODOO_URL}`)
        return 1
      }
      for (const line of formatExplanation(explanation)) io.out(line)
      return 0
    } catch (error) {
      io.err(`error: ${(error instanceof Error ? error.message : String(error)).split(settings.ODOO_PASSWORD).join('***').replace(/\s+/g, ' ')}`)
      return 1
    } finally {
      odoo.close()
    }
  },
}
