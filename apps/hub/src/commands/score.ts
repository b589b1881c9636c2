// `pnpm hub score explain <lead id>`: the score and breakdown a rep sees on the lead, each rule with its
// points and its reason in English and Arabic, read from the Odoo at ODOO_* (one read, nothing written). A lead
// not scored yet is explained as the rules (SCORING_RULES_FILE, or the shipped default) score it now. Never
// prints the lead's name or contact details, nor the Odoo password.
import { createOdooClient } from '@gassistant/odoo'
import { loadConfig } from '@gassistant/runtime'
import { ScoringEnv, explainLead, formatExplanation, loadRules } from '@gassistant/scoring'
import Type from 'typebox'
import { UsageError, leadIdArg, readArgs, type CommandGroup } from './command.js'

export const USAGE = 'score explain <lead id>'

/** Pure: the arguments after `hub` (starting with `score`) to the lead id to explain; throws UsageError. */
export function parseCommand(argv: readonly string[]): { readonly kind: 'help' } | { readonly kind: 'explain'; readonly leadId: number } {
  const parsed = readArgs(argv, {})
  if (parsed.values.help === true) return { kind: 'help' }
  const [, action, id, ...extra] = parsed.positionals
  if (action !== 'explain') throw new UsageError(action === undefined ? 'missing action: explain' : `unknown action: score ${action}`)
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`)
  return { kind: 'explain', leadId: leadIdArg(id) }
}

const CliEnv = Type.Pick(ScoringEnv, ['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_PASSWORD', 'SCORING_RULES_FILE'])

export const score: CommandGroup = {
  usage: USAGE,
  async run(argv, env, io) {
    const command = parseCommand(argv)
    if (command.kind === 'help') {
      io.out(`usage: pnpm hub ${USAGE}`)
      return 0
    }
    const settings = loadConfig(CliEnv, env)
    const rules = await loadRules(settings.SCORING_RULES_FILE)
    const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, timeoutMs: 30_000 })
    try {
      const explanation = await explainLead(odoo, rules, command.leadId)
      if (explanation === undefined) {
        io.err(`error: no lead ${command.leadId} in Odoo database ${settings.ODOO_DB}`)
        return 1
      }
      for (const line of formatExplanation(explanation)) io.out(line)
      return 0
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error)
      io.err(`error: ${text.split(settings.ODOO_PASSWORD).join('***').replace(/\s+/g, ' ')}`)
      return 1
    } finally {
      odoo.close()
    }
  },
}
