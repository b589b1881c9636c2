// Folds the digit scripts people type in the Gulf and Egypt (Arabic-Indic ٠-٩, Persian/Urdu ۰-۹) to ASCII.
// Must never touch anything but digits: Arabic letters around them stay exactly as they were.

const ARABIC_INDIC_ZERO = 0x0660
const PERSIAN_ZERO = 0x06f0

export function toAsciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0)
    const base = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO
    return String(code - base)
  })
}
