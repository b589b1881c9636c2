// Draws the dashboard's charts with the bundled Chart.js from the JSON islands the server rendered.
// No data is fetched here: the page is complete without JavaScript, the charts only add a picture.
/* global Chart, document */
(function () {
  'use strict'
  var palette = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563']

  function island(id) {
    var element = document.getElementById(id)
    return element ? JSON.parse(element.textContent) : null
  }

  function eventsChart() {
    var data = island('events-data')
    var canvas = document.getElementById('events-chart')
    if (!data || !canvas) return
    var minutes = []
    var series = {}
    data.points.forEach(function (point) {
      if (minutes.indexOf(point.minute) < 0) minutes.push(point.minute)
      var key = point.service + ' · ' + point.outcome
      series[key] = series[key] || {}
      series[key][point.minute] = point.count
    })
    var labels = minutes.map(function (minute) { return minute.slice(11, 16) })
    var datasets = Object.keys(series).sort().map(function (key, index) {
      return { label: key, data: minutes.map(function (minute) { return series[key][minute] || 0 }), backgroundColor: palette[index % palette.length] }
    })
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true, reverse: data.dir === 'rtl' }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { rtl: data.dir === 'rtl', position: 'bottom' } } },
    })
  }

  function leadsChart() {
    var data = island('leads-data')
    var canvas = document.getElementById('leads-chart')
    if (!data || !canvas) return
    new Chart(canvas, {
      type: 'line',
      data: { labels: data.days.map(function (day) { return day.day }), datasets: [{ label: data.label, data: data.days.map(function (day) { return day.count }), borderColor: palette[0], backgroundColor: palette[0] }] },
      options: { animation: false, maintainAspectRatio: false, scales: { x: { reverse: data.dir === 'rtl' }, y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    })
  }

  function start() {
    if (typeof Chart === 'undefined') return
    eventsChart()
    leadsChart()
    document.documentElement.setAttribute('data-charts', 'drawn')
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
})()
