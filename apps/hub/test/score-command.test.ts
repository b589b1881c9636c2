// `pnpm hub score explain <lead id>` run as an operator runs it: a subprocess reading the Odoo stand-in
// (ODOO_*): the breakdown a rep sees, in English and Arabic; a lead not scored yet as the rules score it
// now; a missing lead, a bad id or a missing setting as one line and its exit code; no personal data printed.
import t from 'tap'
import { createOdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { loadRules } from '@gassistant/scoring'
import { runScript } from '@gassistant/test-support'
import { USAGE as CLI_USAGE } from '../src/cli.js'
import { USAGE, parseCommand } from '../src/commands/score.js'

const server = await startOdooStandIn({ addonInstalled: true })
t.teardown(() => server.close())
const ODOO = { ODOO_URL: server.url, ODOO_DB: server.db, ODOO_USER: server.username, ODOO_PASSWORD: server.password }
const hub = (args: readonly string[], env: Record<string, string | undefined> = ODOO) => runScript('apps/hub/src/cli.ts', args, env)

const odoo = createOdooClient({ url: server.url, db: server.db, username: server.username, password: server.password })
t.teardown(() => odoo.close())
await odoo.connect()
const metaTag = await odoo.refs.tag('Meta Lead Ads')
const CONTACT = { contact_name: 'محمد القحطاني', phone: '+966551234567', email_from: 'm.qahtani@example.com' }

t.test('parseCommand reads the lead id, or throws a UsageError', async (t) => {
  t.same(parseCommand(['score', 'explain', '42']), { kind: 'explain', leadId: 42 })
  t.same(parseCommand(['score', '--help']), { kind: 'help' })
  for (const bad of [['score'], ['score', 'explain'], ['score', 'why', '1'], ['score', 'explain', 'x'], ['score', 'explain', '0'], ['score', 'explain', '1.5'], ['score', 'explain', '1', '2']]) {
    t.throws(() => parseCommand(bad), { name: 'UsageError' }, `refuses: ${bad.join(' ')}`)
  }
  t.match(CLI_USAGE, `pnpm hub ${USAGE}`, 'listed in the CLI usage')
})

t.test('a scored lead: its score and breakdown as written in Odoo, in both languages', async (t) => {
  const leadId = await odoo.create('crm.lead', { name: 'عرض رمضان', tag_ids: [[6, 0, [metaTag]]], ...CONTACT })
  const breakdown = [
    { rule: 'paid-meta-ad', points: 25, reason: { ar: 'جاء من إعلان ميتا مدفوع', en: 'Came from a paid Meta lead ad' } },
    { rule: 'has-name', points: 10, reason: { ar: 'ذكر اسمه', en: 'Gave a name' } },
    { rule: 'valid-phone', points: 20, reason: { ar: 'رقم هاتف صالح', en: 'Valid phone number' } },
    { rule: 'valid-email', points: 15, reason: { ar: 'بريد إلكتروني صالح', en: 'Valid email address' } },
  ]
  await odoo.write('crm.lead', [leadId], { gassistant_score: 70, gassistant_score_breakdown: JSON.stringify(breakdown), priority: '3' })
  const { code, stdout, stderr } = await hub(['score', 'explain', String(leadId)])
  t.equal(code, 0, stderr)
  t.same(stdout.trimEnd().split('\n'), [
    `lead ${leadId}: score 70/100, hot — التقييم 70/100، ساخن`,
    'as written on the lead in Odoo — كما هو مسجل في أودو',
    ' +25  paid-meta-ad: Came from a paid Meta lead ad',
    '      جاء من إعلان ميتا مدفوع',
    ' +10  has-name: Gave a name',
    '      ذكر اسمه',
    ' +20  valid-phone: Valid phone number',
    '      رقم هاتف صالح',
    ' +15  valid-email: Valid email address',
    '      بريد إلكتروني صالح',
  ])
  t.notMatch(stdout, /محمد|966551234567|qahtani|عرض رمضان/, 'no name, phone, email or title')
  t.equal(server.calls.count('crm.lead', 'write'), 1, 'nothing written by explain')

  // A rep raised the expected revenue after the score: a re-score would give more, and the command says so.
  await odoo.write('crm.lead', [leadId], { expected_revenue: 60_000 })
  const changed = await hub(['score', 'explain', String(leadId)])
  t.match(changed.stdout, 'a re-score now would give 90/100, hot — إعادة التقييم الآن: 90/100، ساخن')
})

t.test('a lead not scored yet is explained as the rules score it now', async (t) => {
  const leadId = await odoo.create('crm.lead', { name: 'new', tag_ids: [[6, 0, [metaTag]]], contact_name: 'Omar' })
  const { code, stdout } = await hub(['score', 'explain', String(leadId)])
  t.equal(code, 0)
  t.match(stdout, `lead ${leadId}: score 35/100, cold — التقييم 35/100، بارد`)
  t.match(stdout, 'not scored yet: as the rules score it now')
  t.match(stdout, ' +25  paid-meta-ad: Came from a paid Meta lead ad')
  t.ok((await loadRules()).rules.some((rule) => rule.id === 'paid-meta-ad'), 'the shipped rules were used')
})

t.test('a missing lead, a bad id, a missing setting: one line and the exit code', async (t) => {
  const missing = await hub(['score', 'explain', '999999'])
  t.equal(missing.code, 1)
  t.equal(missing.stderr.trim(), `error: no lead 999999 in Odoo database ${server.db}`)
  const bad = await hub(['score', 'explain', 'abc'])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /^error: <lead id> must be a whole number ≥ 1: abc; usage: pnpm hub score explain <lead id>/)
  const unset = await hub(['score', 'explain', '1'], { ...ODOO, ODOO_URL: undefined })
  t.equal(unset.code, 2)
  t.equal(unset.stderr.trim(), 'error: ODOO_URL is missing')
  const refused = await hub(['score', 'explain', '1'], { ...ODOO, ODOO_PASSWORD: 'wrong-s3cret' })
  t.equal(refused.code, 1)
  t.match(refused.stderr, /^error: /)
  t.notMatch(refused.stderr, 'wrong-s3cret', 'the password is never printed')
})
