import t from 'tap'
import { createLogger, maskEmail, maskPhone } from '../src/index.js'
import { captureLog } from './helpers.js'

t.test('every line is NDJSON with the service and a level label', async (t) => {
  const out = captureLog()
  const log = createLogger({ service: 'ingress', destination: out.stream })
  log.info({ event_id: 'meta:1' }, 'event handled')
  const [line] = out.lines()
  t.match(line, { service: 'ingress', level: 'info', event_id: 'meta:1', msg: 'event handled' })
  t.match(line?.time, /^\d{4}-\d{2}-\d{2}T/)
})

t.test('service appears once per line, naming the service the line is about', async (t) => {
  const out = captureLog()
  const hub = createLogger({ service: 'hub', destination: out.stream })
  hub.info({ service: 'lead-processor', event_id: 'meta:1' }, 'event handled')
  hub.child({ reqId: 'r1' }).info('request completed')
  hub.info('hub line')
  const raw = out.text().split('\n').filter(Boolean)
  t.same(raw.map((line) => line.match(/"service":/g)?.length), [1, 1, 1], 'one service key per line')
  t.same(out.lines().map((line) => line.service), ['lead-processor', 'hub', 'hub'])
})

t.test('authorization headers, signatures, tokens, secrets and passwords are redacted', async (t) => {
  const out = captureLog()
  const log = createLogger({ service: 'ingress', destination: out.stream })
  log.info({
    req: {
      headers: {
        authorization: 'Bearer abc.def',
        'x-hub-signature-256': 'sha256=deadbeef',
        'x-hub-signature': 'sha1=deadbeef',
        'x-gassistant-signature': 't=1,v1=deadbeef',
        'x-api-key': 'form-api-key',
        'content-type': 'application/json',
      },
    },
    page: { token: 'EAAG-page-token', id: '104857600112233' },
    odoo: { password: 'odoo-pass' },
    form: { secret: 'form-secret' },
    secret: 'top-secret',
  }, 'request with credentials')
  const text = out.text()
  for (const value of ['abc.def', 'deadbeef', 'form-api-key', 'EAAG-page-token', 'odoo-pass', 'form-secret', 'top-secret']) {
    t.notOk(text.includes(value), `${value} does not reach the log`)
  }
  t.match(out.lines()[0], { req: { headers: { 'content-type': 'application/json', authorization: '[REDACTED]' } }, page: { id: '104857600112233' } })
})

t.test('secrets are censored at any depth, in a copy; errors keep their message', async (t) => {
  const out = captureLog()
  const log = createLogger({ service: 'ingress', destination: out.stream })
  const fields = { config: { meta: { pages: [{ id: '1', token: 'EAAG-deep-token' }] } }, err: new Error('broker refused') }
  log.warn(fields, 'deep')
  t.notOk(out.text().includes('EAAG-deep-token'), 'a token three levels down does not reach the log')
  t.match(out.lines()[0], { config: { meta: { pages: [{ id: '1', token: '[REDACTED]' }] } }, err: { message: 'broker refused' } })
  t.equal(fields.config.meta.pages[0]?.token, 'EAAG-deep-token', "the caller's object is left as it was")
})

t.test('personal data helpers keep only what tells records apart', async (t) => {
  t.equal(maskEmail('m.qahtani@gmail.com'), 'm***@gmail.com')
  t.equal(maskEmail('not-an-email'), '***')
  t.equal(maskPhone('+966551234567'), '+966*****4567')
  t.equal(maskPhone('0551234567'), '******4567')
  t.equal(maskPhone('123'), '****')
})

t.test('the level filters lower lines out', async (t) => {
  const out = captureLog()
  const log = createLogger({ service: 'scoring', level: 'warn', destination: out.stream })
  log.info('hidden')
  log.warn('shown')
  t.same(out.lines().map((line) => line.msg), ['shown'])
})
