import t from 'tap'
import { normalizeEmail } from '../src/normalize/email.js'
import { joinName, normalizeName } from '../src/normalize/name.js'
import { normalizePhone } from '../src/normalize/phone.js'

t.test('phones in Gulf and Egyptian formats become E.164', async (t) => {
  const cases: [string, string, string][] = [
    ['٠٥٥١٢٣٤٥٦٧', 'SA', '+966551234567'], // Arabic-Indic, national Saudi mobile
    ['۰۵۵۱۲۳۴۵۶۷', 'SA', '+966551234567'], // Persian digits
    ['055 123 4567', 'SA', '+966551234567'],
    ['055-123-4567', 'SA', '+966551234567'],
    ['00966551234567', 'SA', '+966551234567'],
    ['+966 55 123 4567', 'SA', '+966551234567'],
    ['966551234567', 'SA', '+966551234567'], // international without + (as WhatsApp writes it)
    ['\u200f+966 55 123 4567\u200e', 'SA', '+966551234567'], // bidi marks from Arabic text
    ['050 123 4567', 'AE', '+971501234567'],
    ['+971501234567', 'SA', '+971501234567'],
    ['+965 5123 4567', 'SA', '+96551234567'], // Kuwait
    ['5123 4567', 'KW', '+96551234567'],
    ['+974 3312 3456', 'SA', '+97433123456'], // Qatar
    ['+973 3600 1234', 'SA', '+97336001234'], // Bahrain
    ['+968 9212 3456', 'SA', '+96892123456'], // Oman
    ['010 0123 4567', 'EG', '+201001234567'], // Egypt national
    ['٠١٠٠١٢٣٤٥٦٧', 'EG', '+201001234567'],
    ['0020 100 123 4567', 'SA', '+201001234567'],
    ['(+20) 100-123-4567', 'SA', '+201001234567'],
  ]
  for (const [raw, region, e164] of cases) {
    const r = normalizePhone(raw, region)
    t.same(r.ok ? r.e164 : r, e164, `${raw} (${region})`)
  }
  const sa = normalizePhone('0551234567', 'SA')
  t.equal(sa.ok && sa.country, 'SA', 'the country of the number is known')
})

t.test('numbers that are not phones are reported invalid, never guessed', async (t) => {
  for (const raw of ['12', 'call me', '<test lead: dummy data for phone_number>', '+966 12', '05512345678901', '']) {
    t.equal(normalizePhone(raw, 'SA').ok, false, JSON.stringify(raw))
  }
})

t.test('emails are trimmed, lower-cased and syntax-checked', async (t) => {
  const ok = normalizeEmail(' M.Qahtani@Gmail.com ')
  t.same(ok, { ok: true, email: 'm.qahtani@gmail.com', domain: 'gmail.com' })
  for (const bad of ['m.qahtani@gmail', 'no at sign', 'a@@b.com', 'a b@c.com', '@example.com', 'x@.com', 'a..b@c.com']) {
    t.equal(normalizeEmail(bad).ok, false, bad)
  }
  t.equal(normalizeEmail('layla.hassan@example.ae').ok, true)
})

t.test('names are trimmed and collapsed, Arabic letters untouched', async (t) => {
  t.equal(normalizeName('  محمد   عبدالله\tالقحطاني '), 'محمد عبدالله القحطاني')
  // Presentation forms, tatweel and diacritics survive exactly (no NFKC).
  const styled = 'مُحَمَّـــد \uFEEB'
  t.equal(normalizeName(styled), styled)
  t.equal(normalizeName('   '), undefined)
  t.equal(joinName(' Layla ', ' Hassan'), 'Layla Hassan')
  t.equal(joinName(undefined, undefined), undefined)
})
