// Dead letters per service, with replay and purge. Each action first shows a confirmation page (a form
// without `confirmed`), then acts on the confirmed POST; both carry the session's CSRF token.
import type { ServiceDeadLetters } from '../../sources/dead-letters.js'
import { html, type Html } from '../html.js'
import type { Formatter } from '../i18n.js'

export type DeadLetterState = { kind: 'off' } | { kind: 'down' } | { kind: 'listed'; services: readonly ServiceDeadLetters[] }

const actionForm = (f: Formatter, csrf: string, service: string, action: 'replay' | 'purge', confirmed: boolean) => html`<form method="post" action="/dead-letters/${service}/${action}" class="inline">
<input type="hidden" name="_csrf" value="${csrf}">${confirmed ? html`<input type="hidden" name="confirmed" value="yes">` : ''}
<button type="submit" class="${action === 'purge' ? 'danger' : ''}" data-action="${action}" data-service="${service}">${confirmed ? f.words.confirm : f.words[action]}</button>
</form>`

export function deadLettersView(f: Formatter, csrf: string, state: DeadLetterState, notice?: string): Html {
  const w = f.words
  if (state.kind === 'off') return html`<p>${w.deadLettersOff}</p>`
  if (state.kind === 'down') return html`<p role="alert" class="error">${w.brokerDown}</p>`
  return html`${notice === undefined ? '' : html`<p role="status" class="notice">${notice}</p>`}
${state.services.map((entry) => html`<section class="dead" data-service="${entry.service}">
<h2>${entry.service} <span class="chip" data-testid="parked-count">${entry.messages.length}${entry.more ? '+' : ''}</span></h2>
${entry.messages.length === 0 ? html`<p>${w.noData}</p>` : html`${actionForm(f, csrf, entry.service, 'replay', false)} ${actionForm(f, csrf, entry.service, 'purge', false)}
<div class="scroll"><table><thead><tr><th scope="col">${w.event}</th><th scope="col">${w.type}</th><th scope="col">${w.reason}</th><th scope="col">${w.attempts}</th><th scope="col">${w.parkedAt}</th></tr></thead>
<tbody>${entry.messages.map((message) => html`<tr data-event="${message.eventId}"><td><a href="/journey?q=${encodeURIComponent(message.eventId)}" dir="ltr">${message.eventId}</a></td><td dir="ltr">${message.type}</td><td dir="auto">${message.reason}</td><td class="num">${message.attempts}</td><td>${message.parkedAt === '' ? '—' : f.time(message.parkedAt)}</td></tr>`)}</tbody></table></div>`}
</section>`)}`
}

export function confirmView(f: Formatter, csrf: string, service: string, action: 'replay' | 'purge'): Html {
  return html`<div class="card" role="alertdialog" aria-labelledby="confirm-q">
<p id="confirm-q"><strong>${service}</strong>: ${action === 'replay' ? f.words.confirmReplay : f.words.confirmPurge}</p>
${actionForm(f, csrf, service, action, true)} <a href="/dead-letters">${f.words.cancel}</a>
</div>`
}
