// The pieces docker-compose.yml runs besides the services, checked against what they must agree with:
// the reverse proxy (only webhooks public, to the ingress's port), the RabbitMQ boot definitions (run for
// real with a stand-in for the image's entrypoint), the Odoo bootstrap (the addon's setting keys), and the
// laptop profile (the secrets and leads `pnpm demo` uses).
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { LOCAL, SAMPLE_META_LEADS } from '../../apps/hub/src/local.js'
import { environmentPlaceholders, parseCaddyfile, walk, type Directive } from './helpers/caddyfile.js'
import { dependencies, environmentOf, parseCompose, readCompose, type ComposeFile } from './helpers/compose.js'
import { ROOT, hubServices, readRepoFile } from './helpers/repo.js'

const compose = readCompose()
const services = compose.services
const caddyText = readRepoFile('deploy/proxy/Caddyfile')
const caddy = parseCaddyfile(caddyText)

const sites = (blocks: Directive[]): Directive[] => blocks.filter((block) => block.tokens.length > 0 && block.children.length > 0)
const proxiesIn = (block: Directive): Directive[] => walk(block.children).filter((d) => d.tokens[0] === 'reverse_proxy')

t.test('the Caddyfile parses; a broken one does not', async (t) => {
  t.throws(() => parseCaddyfile('site {\n  respond ok\n'), /never closed/)
  t.throws(() => parseCaddyfile('}\n'), /closes nothing/)
  t.ok(sites(caddy).length >= 1, 'it serves at least one site')
})

t.test('the hub site: only /webhooks/* reaches the ingress, on the ingress port; the rest is 404', async (t) => {
  const hub = sites(caddy).find((site) => site.tokens.includes('{$HUB_DOMAIN}'))
  if (!hub) return t.fail('no site for {$HUB_DOMAIN}')
  const ingressPort = environmentOf(services['ingress'] ?? {})['PORT']
  const handles = hub.children.filter((d) => d.tokens[0] === 'handle')
  const webhooks = handles.find((d) => d.tokens[1] === '/webhooks/*')
  t.ok(webhooks, 'a handle for /webhooks/*')
  t.same(proxiesIn(hub).map((d) => d.tokens.slice(1)), [[`ingress:${ingressPort}`]], 'the one upstream is the ingress on its PORT')
  t.same(webhooks && proxiesIn(webhooks).length, 1, 'and only under /webhooks/*')
  const fallback = handles.find((d) => d.tokens.length === 1)
  t.ok(fallback && walk(fallback.children).some((d) => d.tokens[0] === 'respond' && d.tokens.includes('404')), 'everything else answers 404')
  const forwarded = webhooks && walk(webhooks.children).find((d) => d.tokens[0] === 'header_up' && d.tokens[1] === 'X-Forwarded-For')
  t.same(forwarded?.tokens.slice(2), ['{remote_host}'], 'X-Forwarded-For is replaced with the real peer, never appended')
})

t.test('every upstream is a compose service on the proxy network; any other site is behind basic_auth', async (t) => {
  const proxy = services['proxy']
  if (!proxy) return t.fail('no proxy service')
  for (const site of sites(caddy)) {
    const upstreams = proxiesIn(site).flatMap((d) => d.tokens.slice(1))
    for (const upstream of upstreams) {
      const [host = '', port] = upstream.split(':')
      const target = services[host]
      t.ok(target, `${upstream}: ${host} is a compose service`)
      t.equal(environmentOf(target ?? {})['PORT'], port, `${upstream}: the service's PORT`)
      t.ok(target?.networks?.some((network) => proxy.networks?.includes(network)), `${host} shares a network with the proxy`)
    }
    const isHub = site.tokens.includes('{$HUB_DOMAIN}')
    if (!isHub && upstreams.length > 0) t.ok(walk(site.children).some((d) => d.tokens[0] === 'basic_auth'), `${site.tokens.join(' ')} asks for a login`)
  }
  if (services['dashboard']) {
    const dashboardSite = sites(caddy).find((site) => proxiesIn(site).some((d) => d.tokens[1]?.startsWith('dashboard:')))
    t.ok(dashboardSite, 'the dashboard has its own site')
    t.ok(dashboardSite && walk(dashboardSite.children).some((d) => d.tokens[0] === 'basic_auth'), 'behind basic_auth')
  }
  for (const name of hubServices()) {
    if (name === 'ingress' || name === 'dashboard') continue
    t.notOk(services[name]?.networks?.some((network) => proxy.networks?.includes(network)), `${name} is out of the proxy's reach`)
    t.notOk(services[name]?.ports, `${name} publishes no port`)
  }
  t.same(Object.keys(proxy.environment ?? {}).sort(), [...environmentPlaceholders(caddyText)].sort(), 'the proxy gets exactly the variables the Caddyfile reads')
  t.ok(proxy.volumes?.includes('./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro'), 'the proxy runs this Caddyfile')
  t.ok(proxy.ports?.includes('443:443') && proxy.ports.includes('80:80'), 'on 443, and on 80 for certificate challenges and redirects')
  t.equal(environmentOf(services['ingress'] ?? {})['TRUST_PROXY'], '${EDGE_SUBNET:-172.30.57.0/24}', 'the ingress trusts the proxy network only')
  const edge = compose.networks?.['edge'] as { ipam?: { config?: { subnet?: string }[] } } | undefined
  t.equal(edge?.ipam?.config?.[0]?.subnet, '${EDGE_SUBNET:-172.30.57.0/24}', 'which is the network the proxy is on')
})

t.test('RabbitMQ boots with the hub user and the generated topology', async (t) => {
  const dir = t.testdir({ bin: {} })
  const stub = join(dir, 'bin', 'docker-entrypoint.sh')
  writeFileSync(stub, '#!/bin/sh\necho "handed over: $*"\n')
  chmodSync(stub, 0o755)
  const definitions = join(dir, 'definitions.json')
  const run = (password: string) =>
    spawnSync('sh', [join(ROOT, 'deploy/rabbitmq/entrypoint.sh'), 'rabbitmq-server'], {
      env: { PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, RABBITMQ_USER: 'hub', RABBITMQ_PASSWORD: password, DEFINITIONS_FILE: definitions, TOPOLOGY_FILE: join(ROOT, 'deploy/rabbitmq/definitions.json') },
      encoding: 'utf8',
    })
  const ok = run('s3cret-Pass_1.~')
  t.equal(ok.status, 0, ok.stderr)
  t.match(ok.stdout, /handed over: rabbitmq-server/, "the image's own entrypoint starts the broker")
  const loaded = JSON.parse(readFileSync(definitions, 'utf8')) as Record<string, { name?: string; user?: string; password?: string }[]>
  const topology = JSON.parse(readRepoFile('deploy/rabbitmq/definitions.json')) as Record<string, unknown[]>
  t.same(loaded['users'], [{ name: 'hub', password: 's3cret-Pass_1.~', tags: 'administrator' }], 'the user of .env')
  t.same(loaded['vhosts'], [{ name: '/' }], 'its vhost')
  t.equal(loaded['permissions']?.[0]?.user, 'hub', 'with permissions on it')
  for (const key of Object.keys(topology)) t.same(loaded[key], topology[key], `the topology's ${key}, unchanged`)

  const refused = run('quote"breaks-json')
  t.equal(refused.status, 1, 'a password that would break the URL or the JSON stops the container')
  t.match(refused.stderr, /may contain only/)
  t.notMatch(refused.stderr, /quote"breaks/, 'without echoing it')

  const conf = readRepoFile('deploy/rabbitmq/rabbitmq.conf')
  const script = readRepoFile('deploy/rabbitmq/entrypoint.sh')
  const loadPath = /^load_definitions\s*=\s*(\S+)/m.exec(conf)?.[1]
  t.ok(loadPath && script.includes(`DEFINITIONS_FILE:-${loadPath}}`), 'the broker loads the file the entrypoint writes')
  const rabbit = services['rabbitmq']
  const topologyPath = /TOPOLOGY_FILE:-([^}]+)\}/.exec(script)?.[1]
  t.ok(rabbit?.volumes?.includes(`./deploy/rabbitmq/definitions.json:${topologyPath}:ro`), 'compose mounts the generated topology where the entrypoint reads it')
  t.same(rabbit?.entrypoint?.slice(-1), ['/opt/gassistant/entrypoint.sh'], 'and runs the entrypoint')
})

t.test("the Odoo bootstrap writes the addon's own setting keys", async (t) => {
  const script = readRepoFile('deploy/odoo/bootstrap.py')
  const outbox = readRepoFile('odoo-addon/g_assistant_connector/models/gassistant_outbox.py')
  const settings = readRepoFile('odoo-addon/g_assistant_connector/models/res_config_settings.py')
  const prefix = /^PARAM_PREFIX = "([^"]+)"/m.exec(outbox)?.[1]
  t.equal(/^PARAM_PREFIX = "([^"]+)"/m.exec(script)?.[1], prefix, "the addon's parameter prefix")
  const written = [...script.matchAll(/set_param\(PARAM_PREFIX \+ "([a-z_]+)"/g)].map((match) => match[1])
  const known = new Set([...settings.matchAll(/config_parameter=PARAM_PREFIX \+ "([a-z_]+)"/g)].map((match) => match[1]))
  t.same(written.sort(), ['enabled', 'hub_user_id', 'webhook_secret', 'webhook_url'], 'it sets the connector on, its URL, secret and hub user')
  for (const key of written) t.ok(known.has(key), `${key} is a setting of the addon`)
  t.match(script, /_generate\(KEY_SCOPE/, 'it creates the API key through Odoo itself')
  t.match(script, /env\.cr\.commit\(\)\s*(#.*)?\s*$/, 'and commits (odoo shell rolls back otherwise)')
  const shell = readRepoFile('deploy/odoo/bootstrap.sh')
  t.match(shell, /odoo shell -d "\$ODOO_DB"[^\n]*< \/opt\/gassistant\/bootstrap\.py/, 'bootstrap.sh feeds it to odoo shell')
  t.ok(services['odoo-bootstrap']?.volumes?.includes('./deploy/odoo:/opt/gassistant:ro'), 'from the mounted deploy/odoo')
})

/** The dev file laid over the main one the way compose merges: maps merge, lists append. */
function withDev(base: ComposeFile, dev: ComposeFile): ComposeFile {
  const merged: ComposeFile = structuredClone(base)
  for (const [name, service] of Object.entries(dev.services)) {
    const current = merged.services[name] ?? {}
    merged.services[name] = {
      ...current,
      ...service,
      environment: { ...current.environment, ...service.environment },
      depends_on: { ...dependencies(current), ...dependencies(service) },
      ports: [...(current.ports ?? []), ...(service.ports ?? [])],
    }
  }
  return merged
}

t.test('the laptop profile: stand-ins, and the secrets and addresses `pnpm demo` uses', async (t) => {
  const dev = parseCompose(readRepoFile('docker-compose.dev.yml'))
  const merged = withDev(compose, dev).services
  for (const [name, service] of Object.entries(dev.services)) {
    t.ok(services[name] || service.image || service.build, `${name} exists in docker-compose.yml or is built here`)
  }
  const standIns = merged['stand-ins']
  t.equal(standIns?.build?.target, 'dev', 'the stand-ins run workspace code from the dev stage')
  t.ok(standIns?.healthcheck?.test && standIns.restart === 'unless-stopped', 'with a health check and a restart policy')
  const devPackage = JSON.parse(readRepoFile('deploy/package.json')) as { scripts: Record<string, string> }
  const script = devPackage.scripts[standIns?.command?.at(-1) ?? '']
  t.match(script, /dev\/stand-ins\.ts$/, 'its command runs deploy/dev/stand-ins.ts')
  const ingress = environmentOf(merged['ingress'] ?? {})
  const processor = environmentOf(merged['lead-processor'] ?? {})
  t.equal(ingress['META_APP_SECRET'], LOCAL.metaAppSecret, 'the ingress checks the signature pnpm demo makes')
  t.equal(processor['META_APP_SECRET'], LOCAL.metaAppSecret, 'the lead-processor signs Graph calls as the stand-in expects')
  t.same(JSON.parse(ingress['FORM_SECRETS'] ?? '{}'), { [LOCAL.formKey]: { secret: LOCAL.formSecret } }, "the demo's form is known")
  t.equal(ingress['ODOO_WEBHOOK_SECRET'], environmentOf(merged['odoo-bootstrap'] ?? {})['ODOO_WEBHOOK_SECRET'], 'Odoo and the ingress share the webhook secret')
  t.same(JSON.parse(processor['META_PAGE_TOKENS'] ?? '{}'), { [LOCAL.pageId]: LOCAL.pageToken }, "the demo page's token")
  t.equal(processor['GRAPH_API_URL'], `http://stand-ins:${environmentOf(standIns ?? {})['GRAPH_PORT']}/v25.0`, 'the lead-processor reads leads from the Graph stand-in')
  t.equal(dependencies(merged['lead-processor'] ?? {})['stand-ins']?.condition, 'service_healthy', 'once it answers')
  t.ok(merged['ingress']?.ports?.includes('127.0.0.1:8080:8080'), 'pnpm demo posts to 127.0.0.1:8080, its default hub')
  t.ok(merged['odoo']?.ports?.includes('127.0.0.1:8082:8069'), 'and reads Odoo at 127.0.0.1:8082, its default')
  const standInsSource = readRepoFile('deploy/dev/stand-ins.ts')
  t.match(standInsSource, /SAMPLE_META_LEADS/, 'the Graph stand-in serves the leads the demo announces')
  t.ok(SAMPLE_META_LEADS.every((lead) => lead.page_id === LOCAL.pageId), "all of the demo page's")
})
