// The pipeline view: events per minute by service and outcome (chart and table), webhook → lead-in-Odoo
// latency, failures by reason, and each service's health. Numbers only from the logs and the services' probes.
import type { PipelineFigures } from '../../ingest/log-store.js'
import type { ServiceHealth } from '../../sources/health.js'
import { html, jsonIsland, type Html } from '../html.js'
import type { Formatter } from '../i18n.js'

export function pipelineView(f: Formatter, figures: PipelineFigures, health: readonly ServiceHealth[]): Html {
  const w = f.words
  const stateWord = { ready: w.ready, not_ready: w.notReady, unreachable: w.unreachable }
  return html`
<p class="muted"><span data-testid="lines-read">${f.number(figures.lines)}</span> ${w.linesRead}${figures.until === null ? '' : html` · ${f.time(figures.until)}`}</p>
<section aria-labelledby="latency-h" class="cards">
<h2 id="latency-h">${w.latency}</h2>
<div class="card"><span class="label">${w.p50}</span><span class="figure" data-testid="latency-p50">${f.ms(figures.latency.p50Ms)}</span></div>
<div class="card"><span class="label">${w.p95}</span><span class="figure" data-testid="latency-p95">${f.ms(figures.latency.p95Ms)}</span></div>
<div class="card"><span class="label">${w.samples}</span><span class="figure">${f.number(figures.latency.samples)}</span></div>
</section>
<section aria-labelledby="epm-h">
<h2 id="epm-h">${w.eventsPerMinute}</h2>
<div class="chart"><canvas id="events-chart" role="img" aria-label="${w.eventsPerMinute}"></canvas></div>
${jsonIsland('events-data', { dir: f.dir, points: figures.perMinute })}
<h3>${w.totals}</h3>
${figures.totals.length === 0 ? html`<p>${w.noData}</p>` : html`<div class="scroll"><table data-testid="totals">
<thead><tr><th scope="col">${w.service}</th><th scope="col">${w.outcome}</th><th scope="col">${w.count}</th></tr></thead>
<tbody>${figures.totals.map((row) => html`<tr data-service="${row.service}" data-outcome="${row.outcome}"><td>${row.service}</td><td>${row.outcome}</td><td class="num" data-count="${row.count}">${f.number(row.count)}</td></tr>`)}</tbody>
</table></div>`}
</section>
<section aria-labelledby="fail-h">
<h2 id="fail-h">${w.failures}</h2>
${figures.failures.length === 0 ? html`<p>${w.noData}</p>` : html`<div class="scroll"><table data-testid="failures">
<thead><tr><th scope="col">${w.service}</th><th scope="col">${w.reason}</th><th scope="col">${w.count}</th><th scope="col">${w.lastSeen}</th></tr></thead>
<tbody>${figures.failures.map((row) => html`<tr><td>${row.service}</td><td dir="auto">${row.reason}</td><td class="num">${f.number(row.count)}</td><td>${f.time(row.lastAt)}</td></tr>`)}</tbody>
</table></div>`}
</section>
<section aria-labelledby="health-h">
<h2 id="health-h">${w.health}</h2>
${health.length === 0 ? html`<p>${w.noData}</p>` : html`<div class="scroll"><table data-testid="health">
<thead><tr><th scope="col">${w.service}</th><th scope="col">${w.outcome}</th><th scope="col">checks</th><th scope="col">queues</th></tr></thead>
<tbody>${health.map((row) => html`<tr data-service="${row.service}" data-state="${row.state}"><td>${row.service}</td><td><span class="badge ${row.state}">${stateWord[row.state]}</span></td>
<td>${Object.entries(row.checks).map(([check, ok]) => html`<span class="badge ${ok ? 'ready' : 'not_ready'}">${check}</span> `)}</td>
<td>${Object.entries(row.queues).map(([queue, count]) => html`<span class="chip">${queue}: ${f.number(count)}</span> `)}${row.paused.map((queue) => html`<span class="badge not_ready">${queue} paused</span>`)}</td></tr>`)}</tbody>
</table></div>`}
</section>`
}
