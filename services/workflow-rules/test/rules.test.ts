// The rules file: the shipped default is valid and holds the four default rules; a bad file is refused with
// one message naming the rule and the field.
import t from 'tap'
import { ConfigError } from '@gassistant/runtime'
import { RulesError, loadRules, parseRules } from '../src/index.js'

const base = async (): Promise<Record<string, unknown> & { rules: Record<string, unknown>[] }> => structuredClone(await loadRules()) as never

t.test('the default rules file is valid and ships the default rules', async (t) => {
  const rules = await loadRules()
  t.same(rules.rules.map((rule) => rule.id), ['hot-lead', 'no-first-response', 'no-first-response-escalation', 'quotation-not-confirmed', 'large-deal'])
  t.match(rules.calendar, { timeZone: 'Asia/Riyadh' })
})

t.test('a bad rule names the rule and the field', async (t) => {
  const cases: [(file: Awaited<ReturnType<typeof base>>) => void, string][] = [
    [(file) => { delete (file.rules[0] as { actions?: unknown }).actions }, 'rule 0 ("hot-lead"): actions is missing'],
    [(file) => { (file.rules[1] as { trigger: { timer: { workingHours: unknown } } }).trigger.timer.workingHours = 'two' }, 'rule 1 ("no-first-response"): trigger.timer.workingHours must be number'],
    [(file) => { (file.rules[0] as { actions: { to: unknown }[] }).actions[0]!.to = 'manager' }, 'rule 0 ("hot-lead"): actions.0.to'],
    [(file) => { (file.rules[0] as { actions: { kind: unknown }[] }).actions[0]!.kind = 'email' }, 'rule 0 ("hot-lead"): actions.0.kind must be one of activity, notify, assign, tag'],
    [(file) => { (file.rules[0] as { trigger: { events: unknown } }).trigger.events = ['lead.won.v1'] }, 'rule 0 ("hot-lead"): trigger.events.0 must be one of lead.synced.v1, lead.scored.v1, inbound.odoo.lead.v1'],
    [(file) => { (file.rules[2] as { trigger: { timer: { after: unknown } } }).trigger.timer.after = 'no-such-rule' }, 'rule 2 ("no-first-response-escalation"): trigger.timer.after must be lead.created, order.quotation_sent or the id of a timer rule, not "no-such-rule"'],
    [(file) => { (file.rules[1] as { trigger: { timer: { after: unknown } } }).trigger.timer.after = 'no-first-response-escalation' }, 'rule 1 ("no-first-response"): trigger.timer.after makes a cycle through "no-first-response"'],
    [(file) => { (file.rules[1] as { trigger: { timer: { workingDays: unknown } } }).trigger.timer.workingDays = 3 }, 'rule 1 ("no-first-response"): trigger.timer needs exactly one of workingHours, workingDays'],
    [(file) => { (file.rules[4] as { trigger: { when: { tier: unknown } } }).trigger.when.tier = ['hot'] }, 'rule 4 ("large-deal"): trigger.when.tier is only known on events lead.scored.v1'],
    [(file) => { (file.rules[3] as { id: unknown }).id = 'hot-lead' }, 'rule 3 ("hot-lead"): id is used by an earlier rule'],
    [(file) => { (file.rules[0] as { id: unknown }).id = 'Hot Lead' }, 'rule 0 ("Hot Lead"): id must be lower-case letters, digits, - or _'],
    [(file) => { (file.rules[0] as { colour?: unknown }).colour = 'red' }, 'rule 0 ("hot-lead"): unknown field colour'],
    [(file) => { (file['calendar'] as { timeZone: unknown }).timeZone = 'Mars/Olympus' }, 'calendar.timeZone: "Mars/Olympus" is not an IANA time zone'],
    [(file) => { (file['calendar'] as { week: { sun: unknown } }).week.sun = [['09:00', '07:00']] }, 'calendar.week.sun: 09:00–07:00 ends before it starts'],
  ]
  for (const [change, message] of cases) {
    const file = await base()
    change(file)
    const thrown = ((): unknown => {
      try {
        parseRules(file)
      } catch (err) {
        return err
      }
      return undefined
    })()
    t.ok(thrown instanceof RulesError, `${message}: a RulesError`)
    t.match((thrown as Error).message, new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), message)
  }
})

t.test('a calendar read from Odoo is accepted as such', async (t) => {
  const file = await base()
  file['calendar'] = { fromOdoo: true }
  t.same(parseRules(file).calendar, { fromOdoo: true })
})

t.test('loadRules names WORKFLOW_RULES_FILE: unreadable, not JSON, invalid', async (t) => {
  await t.rejects(loadRules('/nonexistent/rules.json'), new ConfigError('WORKFLOW_RULES_FILE', 'cannot be read'))
  await t.rejects(loadRules(new URL(import.meta.url).pathname), new ConfigError('WORKFLOW_RULES_FILE', 'is not valid JSON'))
})
