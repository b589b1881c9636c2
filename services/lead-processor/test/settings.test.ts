// The lead-processor's environment → its processing settings: defaults, the retry budget, and one clear line
// naming the variable when a value is wrong.
import t from 'tap'
import { ConfigError, loadConfig } from '@gassistant/runtime'
import { LeadProcessorEnv } from '../src/config.js'
import { processingConfigFrom } from '../src/settings.js'

const required = {
  AMQP_URL: 'amqp://localhost', ODOO_URL: 'http://odoo.test', ODOO_DB: 'crm', ODOO_USER: 'hub', ODOO_PASSWORD: 'secret', META_APP_SECRET: 'meta-secret',
}

t.test('defaults: the lead type follows Odoo\'s Leads setting, the retry policy and prefetch are the service\'s', async (t) => {
  const config = await processingConfigFrom(loadConfig(LeadProcessorEnv, required))
  t.equal(config.leadType, 'auto')
  t.equal(config.retry, undefined, "the bus's policy: 1 s … 300 s, within 6 h")
  t.equal(config.prefetch, undefined, 'the service default (200)')
})

t.test('RETRY_DELAYS_MS and RETRY_BUDGET_HOURS set the retry policy', async (t) => {
  const config = await processingConfigFrom(loadConfig(LeadProcessorEnv, { ...required, RETRY_DELAYS_MS: '1000,60000', RETRY_BUDGET_HOURS: '24', LEAD_TYPE: 'opportunity' }))
  t.same(config.retry, { delaysMs: [1000, 60_000], budgetMs: 24 * 3_600_000 })
  t.equal(config.leadType, 'opportunity')
})

t.test('a bad value is refused with the variable named, never its value', async (t) => {
  for (const [name, value] of [['LEAD_TYPE', 'prospect'], ['RETRY_BUDGET_HOURS', '-3.5'], ['PREFETCH', '-7']] as const) {
    const err = (() => { try { loadConfig(LeadProcessorEnv, { ...required, [name]: value }); return undefined } catch (e) { return e } })()
    t.type(err, ConfigError, name)
    t.match(String((err as Error).message), name)
    t.notOk(String((err as Error).message).includes(value), 'the value is not echoed')
  }
})
