import t from 'tap'
import { loadRules, scoreLead, type LeadFacts } from '../src/index.js'

const rules = await loadRules()

const completePaid: LeadFacts = {
  channel: 'meta',
  flags: [],
  name: 'Aisha Al-Harbi',
  phone: '+966501234567',
  email: 'aisha@example.com',
}
const incompleteOrganic: LeadFacts = { channel: 'form', flags: [], name: 'Omar' }

t.test('a complete paid lead scores above an incomplete organic one', async (t) => {
  const paid = scoreLead(completePaid, rules)
  const organic = scoreLead(incompleteOrganic, rules)
  t.equal(paid.score, 70)
  t.equal(paid.tier, 'hot')
  t.equal(paid.stars, '3')
  t.equal(organic.score, 20)
  t.equal(organic.tier, 'cold')
  t.equal(organic.stars, '1')
  t.ok(paid.score > organic.score)
})

t.test('the breakdown names each rule with its points and reasons in Arabic and English', async (t) => {
  const result = scoreLead(completePaid, rules)
  t.same(result.breakdown.map((entry) => [entry.rule, entry.points]), [
    ['paid-meta-ad', 25],
    ['has-name', 10],
    ['valid-phone', 20],
    ['valid-email', 15],
  ])
  t.same(result.breakdown[0]?.reason, { en: 'Came from a paid Meta lead ad', ar: 'جاء من إعلان ميتا مدفوع' })
  t.equal(result.breakdown.reduce((sum, entry) => sum + entry.points, 0), result.score)
})

t.test('utm conditions: a paid web form earns more than an organic one', async (t) => {
  const paid = scoreLead({ ...incompleteOrganic, utmMedium: 'CPC' }, rules)
  t.same(paid.breakdown.map((entry) => entry.rule), ['paid-web-form', 'web-form', 'has-name'])
  t.equal(paid.score, 40)
  t.equal(paid.tier, 'warm')
})

t.test('each flag has its effect', async (t) => {
  const base = scoreLead(completePaid, rules).score
  const withFlag = (flag: LeadFacts['flags'][number]) => scoreLead({ ...completePaid, flags: [flag] }, rules)

  const invalidEmail = withFlag('INVALID_EMAIL')
  t.equal(invalidEmail.score, base - 15 - 10, 'invalid email: loses the email points and 10 more')
  t.notOk(invalidEmail.breakdown.some((entry) => entry.rule === 'valid-email'))

  const invalidPhone = withFlag('INVALID_PHONE')
  t.equal(invalidPhone.score, base - 20 - 15, 'invalid phone: loses the phone points and 15 more')

  t.equal(withFlag('DISPOSABLE_EMAIL').score, base - 15)

  const dnc = withFlag('DO_NOT_CALL')
  t.equal(dnc.score, 39, 'do-not-call caps the score')
  t.equal(dnc.tier, 'cold')
  t.same(dnc.breakdown.find((entry) => entry.rule === 'do-not-call')?.points, 39 - base, 'the cap shows what it took away')
  t.equal(dnc.breakdown.reduce((sum, entry) => sum + entry.points, 0), dnc.score)

  const test = withFlag('TEST_LEAD')
  t.equal(test.score, 0)
  t.equal(test.tier, 'cold')

  t.equal(withFlag('REPEAT_ENQUIRY').score, base + 10, 'a repeat enquiry raises the score')
})

t.test('the lowest cap wins and a cap above the score takes nothing', async (t) => {
  const both = scoreLead({ ...completePaid, flags: ['DO_NOT_CALL', 'TEST_LEAD'] }, rules)
  t.equal(both.score, 0)
  t.equal(both.breakdown.find((entry) => entry.rule === 'do-not-call')?.points, 0)
  const low = scoreLead({ ...incompleteOrganic, flags: ['DO_NOT_CALL'] }, rules)
  t.equal(low.score, 20)
  t.equal(low.breakdown.find((entry) => entry.rule === 'do-not-call')?.points, 0)
})

t.test('expected revenue bands add up', async (t) => {
  t.equal(scoreLead({ ...incompleteOrganic, expectedRevenue: 9_999 }, rules).score, 20)
  t.equal(scoreLead({ ...incompleteOrganic, expectedRevenue: 10_000 }, rules).score, 30)
  t.equal(scoreLead({ ...incompleteOrganic, expectedRevenue: 80_000 }, rules).score, 40)
})

t.test('the score stays within 0–100', async (t) => {
  const sum = (result: ReturnType<typeof scoreLead>): number => result.breakdown.reduce((total, entry) => total + entry.points, 0)
  const many = scoreLead({ ...completePaid, flags: ['REPEAT_ENQUIRY'], expectedRevenue: 100_000, whatsappMinutesAfterLead: [3] }, rules)
  t.equal(many.score, 100)
  t.same(many.breakdown.at(-1), { rule: 'score-range', points: -15, reason: { en: 'The score stays within 0–100', ar: 'التقييم لا يتجاوز النطاق من ٠ إلى ١٠٠' } }, 'what the range took off is shown')
  t.equal(sum(many), 100, 'the breakdown adds up to the score')
  const none = scoreLead({ channel: 'whatsapp', flags: ['INVALID_PHONE', 'INVALID_EMAIL', 'DISPOSABLE_EMAIL'] }, rules)
  t.equal(none.score, 0)
  t.equal(sum(none), 0)
  t.notOk(scoreLead(completePaid, rules).breakdown.some((entry) => entry.rule === 'score-range'), 'within range: no entry')
})

t.test('the same inputs give the same result', async (t) => {
  t.same(scoreLead(completePaid, rules), scoreLead({ ...completePaid }, rules))
})

t.test('engagement: a WhatsApp message within an hour of the lead, and three or more messages', async (t) => {
  const at = (...minutes: number[]) => scoreLead({ ...incompleteOrganic, whatsappMinutesAfterLead: minutes }, rules)
  const rulesOf = (result: ReturnType<typeof at>) => result.breakdown.map((entry) => entry.rule)
  t.equal(at().score, 20, 'no message: nothing')
  t.same(rulesOf(at(12)), ['web-form', 'has-name', 'wrote-within-1h'])
  t.equal(at(12).score, 35)
  t.same(rulesOf(at(60)), ['web-form', 'has-name', 'wrote-within-1h'], 'at the hour still counts')
  t.same(rulesOf(at(61)), ['web-form', 'has-name'], 'later: not within the hour')
  t.same(rulesOf(at(200, 300, 400)), ['web-form', 'has-name', 'engaged-on-whatsapp'], 'three late messages')
  t.equal(at(5, 300, 400).score, 45, 'both')
  t.same(at(5).breakdown.find((entry) => entry.rule === 'wrote-within-1h')?.reason, { en: 'Wrote on WhatsApp within an hour of the lead', ar: 'راسلنا على واتساب خلال ساعة من تسجيله' })
})

t.test('form answers: named per question in Arabic or English, matched normalised', async (t) => {
  const answered = (...answers: { question: string; answer: string }[]) => scoreLead({ ...incompleteOrganic, answers }, rules).breakdown.map((entry) => entry.rule)
  t.same(answered({ question: 'budget', answer: '75,000 SAR' }), ['web-form', 'has-name', 'budget-50k'])
  t.same(answered({ question: 'What is your budget?', answer: '50000' }), ['web-form', 'has-name', 'budget-50k'], 'English question as typed')
  t.same(answered({ question: 'ما_هي_ميزانيتك؟', answer: '٦٠٬٠٠٠ ريال' }), ['web-form', 'has-name', 'budget-50k'], "Meta's Arabic key, Arabic digits")
  t.same(answered({ question: 'ما هي ميزانيتك', answer: '100 ألف' }), ['web-form', 'has-name', 'budget-50k'], 'thousands in words')
  t.same(answered({ question: 'budget', answer: '20,000 - 40,000' }), ['web-form', 'has-name'], 'a range counts by its lower bound')
  t.same(answered({ question: 'budget', answer: 'not sure' }), ['web-form', 'has-name'], 'no amount: no points')
  t.same(answered({ question: 'city', answer: '90000' }), ['web-form', 'has-name'], 'another question: no points')
  t.same(answered({ question: 'timeline', answer: 'This month' }), ['web-form', 'has-name', 'buying-this-month'])
  t.same(answered({ question: 'متى تخطط للشراء؟', answer: 'هذا الشهر' }), ['web-form', 'has-name', 'buying-this-month'], 'Arabic question and answer')
  t.same(answered({ question: 'timeline', answer: 'this_month' }), ['web-form', 'has-name', 'buying-this-month'], "Meta's option key")
  t.same(answered({ question: 'timeline', answer: 'next year' }), ['web-form', 'has-name'])
  const both = scoreLead({ ...incompleteOrganic, answers: [{ question: 'budget', answer: '80k' }, { question: 'timeline', answer: 'هذا الشهر' }] }, rules)
  t.equal(both.score, 45)
  t.same(both.breakdown.at(-1)?.reason, { en: 'Plans to buy this month', ar: 'ينوي الشراء هذا الشهر' })
})

t.test("Odoo's predictive probability: one input with its weight, only when Odoo has one", async (t) => {
  const none = scoreLead({ ...incompleteOrganic }, rules)
  t.notOk(none.breakdown.some((entry) => entry.rule === 'odoo-prediction'), 'absent: no entry')
  const predicted = scoreLead({ ...incompleteOrganic, odooProbability: 55.43 }, rules)
  t.same(predicted.breakdown.find((entry) => entry.rule === 'odoo-prediction'), {
    rule: 'odoo-prediction',
    points: 11,
    reason: { en: 'Odoo predicts a 55% chance of winning', ar: 'يتوقع أودو فرصة فوز 55٪' },
  }, '0.2 × 55.43, the percentage in both reasons')
  t.equal(predicted.score, none.score + 11)
})
