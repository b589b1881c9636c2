// Person and company names: trimmed and inner whitespace collapsed to one space. Must never alter a
// letter: no case change, no Unicode normalization (NFKC would rewrite Arabic presentation forms), no
// removal of tatweel or diacritics. Zero-width joiners stay too (they are meaningful in Persian).

export function normalizeName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const name = raw.replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ').trim()
  return name.length === 0 ? undefined : name
}

/** "first last" from the two parts Meta forms may ask for separately. */
export function joinName(first: string | undefined, last: string | undefined): string | undefined {
  return normalizeName([first ?? '', last ?? ''].join(' '))
}
