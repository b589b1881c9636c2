// The frame of every page: language and direction on <html>, a skip link, the navigation, the language
// switch and sign-out (a POST with the CSRF token), and the bundled stylesheet and scripts (served by the
// dashboard itself: no CDN, the hub may run offline).
import { html, type Html } from './html.js'
import type { Formatter } from './i18n.js'

export type Page = 'pipeline' | 'journey' | 'deadLetters' | 'business' | 'customer'
const PAGES: readonly { page: Page; path: string }[] = [
  { page: 'pipeline', path: '/' },
  { page: 'journey', path: '/journey' },
  { page: 'deadLetters', path: '/dead-letters' },
  { page: 'business', path: '/business' },
  { page: 'customer', path: '/customer' },
]

export interface LayoutInput {
  readonly f: Formatter
  readonly title: string
  /** The current page in the navigation; none on the sign-in page. */
  readonly page?: Page
  /** Present when signed in: sign-out needs it. */
  readonly csrf?: string
  /** Where the language switch returns to. */
  readonly path: string
  readonly charts?: boolean
  readonly body: Html
}

export function layout({ f, title, page, csrf, path, charts = false, body }: LayoutInput): Html {
  const other = f.lang === 'ar' ? 'en' : 'ar'
  return html`<!doctype html>
<html lang="${f.lang}" dir="${f.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${f.words.title}</title>
<link rel="stylesheet" href="/assets/dashboard.css">
${charts ? html`<script src="/assets/chart.umd.min.js" defer></script><script src="/assets/charts.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">${f.words.skipToContent}</a>
<header>
<strong>${f.words.title}</strong>
${page === undefined ? '' : html`<nav aria-label="${f.words.title}"><ul>${PAGES.map((item) => html`<li><a href="${item.path}"${item.page === page ? html` aria-current="page"` : ''}>${f.words[item.page]}</a></li>`)}</ul></nav>`}
<a class="lang" href="/lang?to=${other}&amp;next=${encodeURIComponent(path)}" lang="${other}" hreflang="${other}">${f.words.switchLang}</a>
${csrf === undefined ? '' : html`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">${f.words.signOut}</button></form>`}
</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`
}
