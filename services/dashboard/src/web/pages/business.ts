// The business view (figures from Odoo, spend from the CSV or Meta ads insights) and the Customer 360 page.
import type { Breakdown, BusinessFigures, Customer360 } from '../../sources/business.js'
import { html, jsonIsland, type Html } from '../html.js'
import type { Formatter } from '../i18n.js'

export type Unavailable = 'off' | 'down'

const pct = (f: Formatter, value: number | null): string => (value === null ? '—' : `${f.number(Math.round(value * 1000) / 10)}%`)
const money = (f: Formatter, value: number | null): string => (value === null ? '—' : f.number(Math.round(value * 100) / 100))

function unavailable(f: Formatter, why: Unavailable): Html {
  return why === 'off' ? html`<p>${f.words.odooOff}</p>` : html`<p role="alert" class="error">${f.words.odooDown}</p>`
}

function table(f: Formatter, title: string, rows: readonly Breakdown[], withSpend: boolean, testId: string): Html {
  const w = f.words
  return html`<h2>${title}</h2>${rows.length === 0 ? html`<p>${w.noData}</p>` : html`<div class="scroll"><table data-testid="${testId}">
<thead><tr><th scope="col"></th><th scope="col">${w.leads}</th><th scope="col">${w.expectedRevenue}</th><th scope="col">${w.wonRevenue}</th>${withSpend ? html`<th scope="col">${w.spend}</th><th scope="col">${w.costPerLead}</th><th scope="col">${w.roas}</th>` : ''}</tr></thead>
<tbody>${rows.map((row) => html`<tr data-name="${row.name}"><th scope="row" dir="auto">${row.name}</th><td class="num">${f.number(row.leads)}</td><td class="num">${money(f, row.expectedRevenue)}</td><td class="num">${money(f, row.wonRevenue)}</td>${withSpend ? html`<td class="num">${money(f, row.spend)}</td><td class="num" data-testid="cpl">${money(f, row.costPerLead)}</td><td class="num">${row.roas === null ? '—' : `${f.number(Math.round(row.roas * 100) / 100)}×`}</td>` : ''}</tr>`)}</tbody>
</table></div>`}`
}

export function businessView(f: Formatter, days: number, figures: BusinessFigures | Unavailable): Html {
  const w = f.words
  const form = html`<form method="get" action="/business" class="search"><label for="days">${w.days}</label><div class="row"><input id="days" name="days" type="number" min="1" max="365" value="${days}"><button type="submit">${w.search}</button></div></form>`
  if (typeof figures === 'string') return html`${form}${unavailable(f, figures)}`
  const hours = figures.firstResponseMedianMs === null ? null : figures.firstResponseMedianMs
  return html`${form}
<section class="cards" aria-label="${w.business}">
<div class="card"><span class="label">${w.leads}</span><span class="figure" data-testid="leads-total">${f.number(figures.leads)}</span></div>
<div class="card"><span class="label">${w.expectedRevenue}</span><span class="figure">${money(f, figures.expectedRevenue)}</span></div>
<div class="card"><span class="label">${w.winRate}</span><span class="figure" data-testid="win-rate">${pct(f, figures.winRate)}</span></div>
<div class="card"><span class="label">${w.firstResponse}</span><span class="figure">${f.ms(hours)}</span></div>
<div class="card"><span class="label">${w.spend}</span><span class="figure">${money(f, figures.spend)}</span></div>
<div class="card"><span class="label">${w.costPerLead}</span><span class="figure">${money(f, figures.costPerLead)}</span></div>
<div class="card"><span class="label">${w.roas}</span><span class="figure">${figures.roas === null ? '—' : `${f.number(Math.round(figures.roas * 100) / 100)}×`}</span></div>
</section>
<h2>${w.leadsByDay}</h2>
<div class="chart"><canvas id="leads-chart" role="img" aria-label="${w.leadsByDay}"></canvas></div>
${jsonIsland('leads-data', { dir: f.dir, label: w.leads, days: figures.byDay })}
${table(f, w.byCampaign, figures.byCampaign, true, 'by-campaign')}
${table(f, w.bySource, figures.bySource, false, 'by-source')}
${table(f, w.byChannel, figures.byChannel, false, 'by-channel')}`
}

export function customerView(f: Formatter, query: string, customer: Customer360 | null | Unavailable): Html {
  const w = f.words
  const form = html`<form method="get" action="/customer" class="search" role="search"><label for="q">${w.customerHint}</label><div class="row"><input id="q" name="q" value="${query}" dir="ltr" required><button type="submit">${w.search}</button></div></form>`
  if (query === '') return form
  if (typeof customer === 'string') return html`${form}${unavailable(f, customer)}`
  if (customer === null) return html`${form}<p role="status">${w.noCustomer}</p>`
  return html`${form}
${customer.partner === null ? '' : html`<h2 dir="auto" data-testid="partner-name">${customer.partner.name}</h2><p dir="ltr">${customer.partner.email ?? ''} ${customer.partner.phone ?? ''}</p>`}
<h2>${w.leads}</h2>
<div class="scroll"><table data-testid="customer-leads"><thead><tr><th scope="col">#</th><th scope="col"></th><th scope="col">${w.stage}</th><th scope="col">${w.expectedRevenue}</th><th scope="col">${w.time}</th></tr></thead>
<tbody>${customer.leads.map((lead) => html`<tr><td>${lead.id}</td><td dir="auto">${lead.name}</td><td>${lead.stage ?? ''}</td><td class="num">${money(f, lead.expectedRevenue)}</td><td>${f.time(lead.createdAt)}</td></tr>`)}</tbody></table></div>
<h2>${w.messages}</h2>
${customer.messages.length === 0 ? html`<p>${w.noData}</p>` : html`<ol class="timeline" data-testid="customer-messages">${customer.messages.map((message) => html`<li><span class="when">${f.time(message.date)} · #${message.leadId} · ${message.author ?? ''} · ${message.kind}</span><span class="msg" dir="auto">${message.text}</span></li>`)}</ol>`}
<h2>${w.activities}</h2>
${customer.activities.length === 0 ? html`<p>${w.noData}</p>` : html`<ul>${customer.activities.map((activity) => html`<li>${activity.deadline} · ${activity.type ?? ''} · <span dir="auto">${activity.summary ?? ''}</span> · ${activity.user ?? ''}</li>`)}</ul>`}
<h2>${w.orders}</h2>
${customer.orders.length === 0 ? html`<p>${w.noData}</p>` : html`<ul data-testid="customer-orders">${customer.orders.map((order) => html`<li>${order.name} · ${order.state} · ${money(f, order.amount)}${order.date === null ? '' : html` · ${f.time(order.date)}`}</li>`)}</ul>`}`
}
