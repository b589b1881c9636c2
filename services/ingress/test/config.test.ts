import t from 'tap'
import { loadIngressEnv } from '../src/config.js'

const base = { META_APP_SECRET: 'meta-app-secret', META_VERIFY_TOKEN: 'verify-me', ODOO_WEBHOOK_SECRET: 'odoo-webhook-secret', AMQP_URL: 'amqp://hub:pw@rabbit:5672' }

function refusal(env: Record<string, string>): string {
  try {
    loadIngressEnv(env)
  } catch (error) {
    return (error as Error).message
  }
  return 'accepted'
}

t.test('defaults, and WhatsApp falls back to the Meta pair', async (t) => {
  const { env, config } = loadIngressEnv(base)
  t.match(env, { PORT: 8080, HOST: '0.0.0.0', BODY_LIMIT: 1_048_576, LOG_LEVEL: 'info' })
  t.same(config.whatsapp, { appSecret: 'meta-app-secret', verifyToken: 'verify-me' })
  t.same(config.trustProxy, [])
  t.same(config.forms, {})
  const own = loadIngressEnv({ ...base, WHATSAPP_APP_SECRET: 'whatsapp-secret', WHATSAPP_VERIFY_TOKEN: 'wa' }).config.whatsapp
  t.same(own, { appSecret: 'whatsapp-secret', verifyToken: 'wa' })
})

t.test('TRUST_PROXY is a list of IPs and CIDRs, never a hop count or "true"', async (t) => {
  t.same(loadIngressEnv({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).config.trustProxy, ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8'])
  for (const value of ['1', 'true', '10.0.0.0/33', 'proxy.local']) {
    t.equal(refusal({ ...base, TRUST_PROXY: value }), 'TRUST_PROXY must be a comma-separated list of IP addresses or CIDR ranges', value)
  }
})

t.test('FORM_SECRETS is JSON of forms, each with a secret or an API key', async (t) => {
  const forms = loadIngressEnv({ ...base, FORM_SECRETS: '{"contact":{"secret":"contact-secret"},"crm":{"apiKey":"crm-api-key-1"}}' }).config.forms
  t.same(forms, { contact: { secret: 'contact-secret' }, crm: { apiKey: 'crm-api-key-1' } })
  t.equal(refusal({ ...base, FORM_SECRETS: '{"contact":{}}' }), 'FORM_SECRETS form contact needs a secret or an apiKey')
  t.equal(refusal({ ...base, FORM_SECRETS: '{contact}' }), 'FORM_SECRETS is not valid JSON')
  const short = refusal({ ...base, FORM_SECRETS: '{"contact":{"secret":"abc"}}' })
  t.match(short, /^FORM_SECRETS /)
  t.notMatch(short, /abc/, 'the value is not echoed')
})

t.test('ODOO_HUB_READY_URL is optional and must be an http(s) URL, never echoed', async (t) => {
  t.equal(loadIngressEnv(base).env.ODOO_HUB_READY_URL, undefined)
  const url = 'https://odoo.example.com/gassistant/hub-ready'
  t.equal(loadIngressEnv({ ...base, ODOO_HUB_READY_URL: url }).env.ODOO_HUB_READY_URL, url)
  for (const value of ['odoo.example.com/gassistant/hub-ready', 'ftp://odoo.example.com/x', 'https://user:secret@']) {
    t.equal(refusal({ ...base, ODOO_HUB_READY_URL: value }), 'ODOO_HUB_READY_URL must be a URL starting with http:// or https://', value)
  }
})

t.test('missing secrets stop the service with the variable named', async (t) => {
  t.equal(refusal({ META_VERIFY_TOKEN: 'v', ODOO_WEBHOOK_SECRET: 'odoo-webhook-secret', AMQP_URL: base.AMQP_URL }), 'META_APP_SECRET is missing')
  t.equal(refusal({ ...base, PORT: 'http' }), 'PORT must be integer')
  t.equal(refusal({ ...base, AMQP_URL: 'http://user:pw@rabbit' }), 'AMQP_URL must be a URL starting with amqp:// or amqps://', 'the URL with its password is not echoed')
  t.equal(refusal({ ...base, AMQP_URL: 'not-a-url' }), 'AMQP_URL must be a URL starting with amqp:// or amqps://')
  const { AMQP_URL: _unset, ...withoutBroker } = base
  t.equal(refusal(withoutBroker), 'AMQP_URL is missing', 'no silent fallback to a guest broker on localhost')
})
