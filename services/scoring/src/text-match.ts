// How form questions and answers are compared, in Arabic or English: a rule names a question as a form
// field (`budget`, `ما_هي_ميزانيتك؟`) and the lead holds it as typed or as Meta's key, so both sides are
// normalised the same way; amounts are read whatever digits and separators the person used. Pure.

const ARABIC_MARKS = /[\u064B-\u065F\u0670\u0640]/g // harakat, superscript alef, tatweel
const NON_WORD = /[^\p{L}\p{N}]+/gu

/**
 * Lower case, NFKC, Arabic diacritics and tatweel dropped, alef/yeh/teh-marbuta variants folded, and every
 * run of punctuation, underscores or spaces made one space: `What is your budget?` ≡ `what_is_your_budget`
 * and `ما_هي_ميزانيتك؟` ≡ `ما هي ميزانيتك`.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(ARABIC_MARKS, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(NON_WORD, ' ')
    .trim()
}

/** Arabic-Indic (٠–٩) and Eastern Arabic-Indic (۰–۹) digits as ASCII. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String((digit.codePointAt(0) as number) & 0xf))
}

const MULTIPLIERS: readonly [RegExp, number][] = [
  [/^\s*(k|thousand|الف|آلاف|الاف|ألف)/iu, 1_000],
  [/^\s*(m|mn|million|مليون|ملايين)/iu, 1_000_000],
]

/**
 * The first amount in an answer: `50,000 SAR`, `٥٠٬٠٠٠ ريال`, `50k`, `1.5 million`, `10000-50000` (the
 * lower bound of a range); undefined when the answer has no number.
 */
export function parseAmount(answer: string): number | undefined {
  const text = asciiDigits(answer).replace(/[٬]/g, ',').replace(/[٫]/g, '.')
  const match = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/.exec(text)
  if (match === null) return undefined
  let amount = Number(`${(match[1] as string).replace(/,/g, '')}${match[2] ?? ''}`)
  const rest = text.slice(match.index + match[0].length)
  const multiplier = MULTIPLIERS.find(([pattern]) => pattern.test(rest))
  if (multiplier !== undefined) amount *= multiplier[1]
  return amount
}

/** Whether `answer` contains `phrase` as whole words, both normalised. */
export function containsWords(answer: string, phrase: string): boolean {
  const needle = normalise(phrase)
  return needle !== '' && ` ${normalise(answer)} `.includes(` ${needle} `)
}
