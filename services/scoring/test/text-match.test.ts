import t from 'tap'
import { containsWords, normalise, parseAmount } from '../src/text-match.js'

t.test('questions normalise alike in Arabic and English', async (t) => {
  t.equal(normalise('What is your budget?'), normalise('what_is_your_budget'))
  t.equal(normalise('ما_هي_ميزانيتك؟'), 'ما هي ميزانيتك')
  t.equal(normalise('مَا هِيَ مِيزَانِيَّتُكَ'), 'ما هي ميزانيتك', 'diacritics dropped')
  t.equal(normalise('إلى الأبد'), normalise('الى الابد'), 'alef variants folded')
  t.equal(normalise('  Budget  (SAR) '), 'budget sar')
})

t.test('amounts in any digits and separators', async (t) => {
  t.equal(parseAmount('50,000 SAR'), 50_000)
  t.equal(parseAmount('٥٠٬٠٠٠ ريال'), 50_000)
  t.equal(parseAmount('۷۵۰۰۰'), 75_000)
  t.equal(parseAmount('50k'), 50_000)
  t.equal(parseAmount('1.5 million'), 1_500_000)
  t.equal(parseAmount('مليون'), undefined, 'a word alone is no amount')
  t.equal(parseAmount('2 مليون'), 2_000_000)
  t.equal(parseAmount('10000-50000'), 10_000)
  t.equal(parseAmount('soon'), undefined)
})

t.test('contains matches whole words only', async (t) => {
  t.ok(containsWords('Maybe this month, inshallah', 'this month'))
  t.notOk(containsWords('this monthly plan', 'this month'))
  t.ok(containsWords('ربما هذا الشهر', 'هذا الشهر'))
})
