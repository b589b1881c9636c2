// deploy/grafana stays true to the code: every Prometheus metric its dashboard queries is one a service
// registers, every Loki stream label it selects on is one promtail sets, and every panel's datasource is
// provisioned. (A renamed metric or label would otherwise leave an empty panel, silently.)
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const GRAFANA = join(ROOT, 'deploy', 'grafana')

interface Panel { title: string; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }

async function sources(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.parentPath.includes(`${'/'}src`))
  return (await Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))).join('\n')
}

t.test('the Grafana dashboard queries metrics the services register and labels promtail sets', async (t) => {
  const dashboard = JSON.parse(await readFile(join(GRAFANA, 'provisioning', 'dashboards', 'pipeline.json'), 'utf8')) as { panels: Panel[] }
  const datasources = await readFile(join(GRAFANA, 'provisioning', 'datasources', 'datasources.yml'), 'utf8')
  const promtail = await readFile(join(GRAFANA, 'promtail.yml'), 'utf8')
  const code = (await sources(join(ROOT, 'libs'))) + (await sources(join(ROOT, 'services')))
  t.ok(dashboard.panels.length >= 6)
  for (const panel of dashboard.panels) {
    t.match(datasources, `uid: ${panel.datasource.uid}`, `${panel.title}: datasource provisioned`)
    for (const target of panel.targets) {
      if (panel.datasource.uid === 'prometheus') {
        // Metric names: what is left once label matchers, `by (…)` lists and function calls are taken out.
        const bare = target.expr.replace(/\{[^}]*\}/g, '').replace(/by \([^)]*\)/g, '').replace(/[a-z_]+\(/g, '(')
        const metrics = [...bare.matchAll(/[a-z]+(?:_[a-z0-9]+)+/g)].map(([name]) => name.replace(/_bucket$/, ''))
        t.ok(metrics.length > 0 || /\bup\{/.test(target.expr), `${panel.title}: queries a metric`)
        for (const metric of metrics) t.match(code, `name: '${metric}'`, `${panel.title}: ${metric} is registered by a service`)
      } else {
        const selector = /\{([^}]*)\}/.exec(target.expr)?.[1] ?? ''
        for (const [, label] of selector.matchAll(/(\w+)\s*[=!~]/g)) {
          t.ok(label === 'job' || new RegExp(`^ {10}${label}:$`, 'm').test(promtail), `${panel.title}: promtail sets the label ${label}`)
        }
      }
    }
  }
})
