// A lead's journey: the search form and, per correlation id found, the timeline of steps across services
// with each step's own duration and the time since the previous step.
import type { Journey } from '../../ingest/log-store.js'
import { html, type Html } from '../html.js'
import type { Formatter, Words } from '../i18n.js'

export function journeyView(f: Formatter, query: string, journeys: readonly Journey[]): Html {
  const w = f.words
  return html`
<form method="get" action="/journey" class="search" role="search">
<label for="q">${w.journeyHint}</label>
<div class="row"><input id="q" name="q" value="${query}" dir="ltr" required><button type="submit">${w.search}</button></div>
</form>
${query === '' ? '' : journeys.length === 0 ? html`<p role="status">${w.noJourney}</p>` : journeys.map((journey) => html`
<section class="journey" data-correlation="${journey.correlationId}">
<h2>${w.correlation}: <code dir="ltr">${journey.correlationId}</code></h2>
<p>${f.time(journey.startedAt)} · ${w.total}: <span data-testid="journey-total">${f.ms(journey.totalMs)}</span></p>
<ol class="timeline">
${journey.steps.map((step) => html`<li data-step="${step.step}" data-service="${step.service}" data-since-ms="${step.sincePreviousMs ?? ''}" data-duration-ms="${step.durationMs ?? ''}" class="${step.outcome === 'park' || step.outcome === 'retry' ? 'bad' : ''}">
<span class="when">${f.time(step.at)}</span>
<strong>${w[`step_${step.step}` as keyof Words]}</strong> · <span class="svc">${step.service}</span>
${step.type === null ? '' : html` · <code dir="ltr">${step.type}</code>`}${step.outcome === null ? '' : html` · ${step.outcome}`}${step.leadId === null ? '' : html` · Odoo #${step.leadId}`}
<span class="dur">${step.durationMs === null ? '' : html`${w.took} ${f.ms(step.durationMs)}`}${step.sincePreviousMs === null ? '' : html` · ${w.sincePrevious} +${f.ms(step.sincePreviousMs)}`}</span>
<span class="msg muted" dir="auto">${step.msg}</span>
</li>`)}
</ol>
</section>`)}`
}
