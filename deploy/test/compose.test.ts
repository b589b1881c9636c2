// docker-compose.yml read as docker compose reads it, against what the repository declares: every service
// (services/ and HUB_TOPOLOGY) runs in it, healthy and restarted, with every variable its schema cannot do
// without, started after what it needs; every variable it takes from .env is documented in .env.example.
import t from 'tap'
import { dependencies, environmentOf, envFileVariables, healthCommand, interpolatedVariables, oneShots, parseCompose, readCompose } from './helpers/compose.js'
import { defaultPort, envSchemaOf, hubServices, readRepoFile, requiredVariables, topologyConsumers } from './helpers/repo.js'

const compose = readCompose()
const services = compose.services
const LONG_RUNNING_RESTART = new Set(['unless-stopped', 'always'])

t.test('the file parses and runs every service of the repository and of the topology', async (t) => {
  t.throws(() => parseCompose('services:\n  a: [unclosed\n'), 'a YAML error is an error')
  for (const service of hubServices()) t.ok(services[service], `${service} is a compose service`)
  for (const consumer of topologyConsumers()) t.ok(services[consumer], `topology consumer ${consumer} is a compose service`)
})

t.test('every long-running container has a health check and a restart policy; one-shots run once', async (t) => {
  const once = oneShots(compose)
  t.ok(once.has('odoo-init') && once.has('odoo-bootstrap'), 'the Odoo init and bootstrap steps are waited for until they complete')
  for (const [name, service] of Object.entries(services)) {
    if (once.has(name)) {
      t.equal(service.restart, 'no', `${name} runs once: restarting it would hide its failure`)
      continue
    }
    t.ok(healthCommand(service) !== '' && service.healthcheck?.disable !== true, `${name} has a health check`)
    t.ok(LONG_RUNNING_RESTART.has(service.restart ?? ''), `${name} restarts (${service.restart ?? 'no policy'})`)
  }
})

t.test('each hub service is built from deploy/Dockerfile, listens on its port and is healthy when /readyz says so', async (t) => {
  for (const name of hubServices()) {
    const service = services[name]
    if (!service) continue
    const schema = await envSchemaOf(name)
    t.equal(service.build?.dockerfile, 'deploy/Dockerfile', `${name}: the one image recipe`)
    t.equal(service.build?.args?.['SERVICE'], name, `${name}: built with SERVICE=${name}`)
    t.equal(environmentOf(service)['PORT'], String(defaultPort(schema)), `${name}: PORT is the service's own port`)
    t.match(healthCommand(service), /\/readyz/, `${name}: the health check asks /readyz`)
    t.match(healthCommand(service), /process\.env\.PORT|127\.0\.0\.1:\d+/, `${name}: on its own port`)
  }
})

t.test('every variable a service cannot start without is passed to its container, and nothing unknown is', async (t) => {
  for (const name of hubServices()) {
    const service = services[name]
    if (!service) continue
    const schema = await envSchemaOf(name)
    const environment = environmentOf(service)
    for (const variable of requiredVariables(schema)) {
      t.ok(variable in environment || `${variable}_FILE` in environment, `${name}: ${variable} (or ${variable}_FILE) is set`)
    }
    for (const variable of Object.keys(environment)) {
      const own = variable.endsWith('_FILE') && !(variable in schema.properties) ? variable.slice(0, -'_FILE'.length) : variable
      t.ok(own in schema.properties, `${name}: ${variable} is a variable of its schema`)
    }
  }
})

t.test('services start after what they need is healthy or done', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    for (const target of Object.keys(dependencies(service))) t.ok(services[target], `${name} depends on ${target}, which exists`)
  }
  for (const name of hubServices()) {
    const service = services[name]
    if (!service) continue
    const needs = dependencies(service)
    const environment = environmentOf(service)
    t.equal(needs['rabbitmq']?.condition, 'service_healthy', `${name} waits for a healthy broker`)
    if ('ODOO_URL' in environment) {
      t.equal(needs['odoo']?.condition, 'service_healthy', `${name} waits for a healthy Odoo`)
      t.equal(needs['odoo-bootstrap']?.condition, 'service_completed_successfully', `${name} waits for its Odoo user and key`)
    }
  }
  t.equal(dependencies(services['odoo'] ?? {})['odoo-init']?.condition, 'service_completed_successfully', 'Odoo serves once its database is initialised')
  t.equal(dependencies(services['odoo-bootstrap'] ?? {})['odoo-init']?.condition, 'service_completed_successfully', 'the bootstrap runs on an initialised database')
})

t.test('Odoo: a named database with crm and the addon, served alone', async (t) => {
  const init = (services['odoo-init']?.command ?? []).join(' ')
  t.match(init, /-d \$\{ODOO_DB[^}]*\}/, 'odoo-init names the database')
  t.match(init, /-i crm,g_assistant_connector\b/, 'and installs crm and the addon')
  t.match(init, /--stop-after-init/, 'then exits')
  const server = (services['odoo']?.command ?? []).join(' ')
  t.match(server, /-d \$\{ODOO_DB[^}]*\}/, 'the server opens that database')
  t.match(server, /--db-filter \^\$\{ODOO_DB[^}]*\}\$\$/, 'and no other')
  t.match(server, /--no-database-list/, 'the database manager is off')
})

t.test('the API key odoo-bootstrap writes is the file the services read, on a shared volume', async (t) => {
  const bootstrap = environmentOf(services['odoo-bootstrap'] ?? {})
  const keyFile = bootstrap['API_KEY_FILE'] ?? ''
  t.match(keyFile, /^\/[^$]+$/, 'the bootstrap writes the key to a fixed path')
  const directory = keyFile.slice(0, keyFile.lastIndexOf('/'))
  const mountOf = (volumes: string[] | undefined): string | undefined =>
    volumes?.find((volume) => volume.split(':')[1] === directory)?.split(':')[0]
  const volume = mountOf(services['odoo-bootstrap']?.volumes)
  t.ok(volume && compose.volumes && volume in compose.volumes, `a named volume is mounted at ${directory}`)
  t.equal(bootstrap['API_KEY_OWNER_UID'], '1000', 'handed to the uid the service images run as (node)')
  t.equal(bootstrap['ODOO_USER'], '${ODOO_USER:-gassistant-hub}', 'the login the services use')
  for (const name of hubServices()) {
    const service = services[name]
    const environment = environmentOf(service ?? {})
    if (!service || !('ODOO_URL' in environment)) continue
    t.equal(environment['ODOO_PASSWORD_FILE'], keyFile, `${name} reads the key the bootstrap wrote`)
    t.equal(environment['ODOO_USER'], bootstrap['ODOO_USER'], `${name} logs in as the bootstrap's user`)
    t.equal(mountOf(service.volumes), volume, `${name} mounts the key's volume`)
    t.ok(service.volumes?.some((entry) => entry.startsWith(`${volume}:`) && entry.endsWith(':ro')), `${name} mounts it read-only`)
  }
  t.equal(bootstrap['HUB_WEBHOOK_URL'], `http://ingress:${environmentOf(services['ingress'] ?? {})['PORT']}/webhooks/odoo`, 'the addon posts to the ingress')
  t.equal(bootstrap['ODOO_WEBHOOK_SECRET'], environmentOf(services['ingress'] ?? {})['ODOO_WEBHOOK_SECRET'], 'with the secret the ingress checks')
})

t.test('every variable the compose files take from .env is in .env.example, and .env.example has no other', async (t) => {
  const example = envFileVariables(readRepoFile('.env.example'))
  const used = new Set([...interpolatedVariables(readRepoFile('docker-compose.yml')), ...interpolatedVariables(readRepoFile('docker-compose.dev.yml'))])
  t.ok(used.size > 10, 'the compose files take their settings from .env')
  for (const variable of used) t.ok(example.set.has(variable), `${variable} is in .env.example`)
  for (const variable of example.set) t.ok(used.has(variable), `.env.example's ${variable} is used by docker-compose.yml`)
  t.ok(example.commented.has('COMPOSE_FILE'), 'the laptop setting is there to uncomment')
})

t.test('no secret is written into the compose file', async (t) => {
  const secretNames = /SECRET|PASSWORD|TOKEN|KEY$/
  for (const [name, service] of Object.entries(services)) {
    for (const [variable, value] of Object.entries(environmentOf(service))) {
      if (!secretNames.test(variable) || variable.endsWith('_FILE')) continue
      t.match(value, /^\$\{[A-Z_]+(:\?[^}]*|:-)?\}$/, `${name}: ${variable} comes from .env`)
    }
  }
})

t.test('the dashboard probes every other hub service, each at its own compose port', async (t) => {
  const dashboard = services['dashboard']
  if (dashboard === undefined) return t.fail('the dashboard is a compose service')
  const probed = JSON.parse(environmentOf(dashboard)['DASHBOARD_SERVICES'] ?? '{}') as Record<string, string>
  const others = hubServices().filter((name) => name !== 'dashboard')
  t.same(Object.keys(probed).sort(), others.sort(), 'DASHBOARD_SERVICES names every other service')
  for (const name of others) {
    const service = services[name]
    t.equal(probed[name], service && `http://${name}:${environmentOf(service)['PORT']}`, `${name} at its PORT`)
  }
})
