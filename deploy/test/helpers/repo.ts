// What the deployment checks compare the files against, read from the repository itself: the services
// (every folder of services/ and every consumer of HUB_TOPOLOGY) and each service's environment schema.
// Nothing here lists a service by name, so a new service is checked as soon as it exists.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { HUB_TOPOLOGY } from '@gassistant/contracts'

export const ROOT = new URL('../../../', import.meta.url).pathname

export const readRepoFile = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

/** Folders of services/ holding a package: each one is a container. */
export function serviceFolders(): string[] {
  return readdirSync(join(ROOT, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'services', entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort()
}

/** Every service the repository declares: its folders and the consumers of the topology. */
export function hubServices(): string[] {
  return [...new Set([...serviceFolders(), ...Object.keys(HUB_TOPOLOGY)])].sort()
}

export const topologyConsumers = (): string[] => Object.keys(HUB_TOPOLOGY).sort()

export interface EnvProperty {
  default?: unknown
}

export interface EnvSchema {
  properties: Record<string, EnvProperty>
  required?: string[]
}

function isEnvSchema(value: unknown): value is EnvSchema {
  const properties = (value as { properties?: Record<string, unknown> } | null)?.properties
  return typeof properties === 'object' && properties !== null && 'AMQP_URL' in properties && 'PORT' in properties
}

/**
 * The container's environment schema: the TypeBox object services/<name>/src/config.ts exports with both
 * AMQP_URL and PORT (what main.ts passes to loadConfig). Throws when a service breaks that convention.
 */
export async function envSchemaOf(service: string): Promise<EnvSchema> {
  const file = join(ROOT, 'services', service, 'src', 'config.ts')
  if (!existsSync(file)) throw new Error(`services/${service}/src/config.ts is missing: it must export the service's environment schema`)
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const schemas = Object.values(exports).filter(isEnvSchema)
  const [schema, ...others] = schemas
  if (!schema || others.length > 0) {
    throw new Error(`services/${service}/src/config.ts must export exactly one TypeBox object with AMQP_URL and PORT (found ${schemas.length})`)
  }
  return schema
}

/** Variables a container cannot start without: required by the schema and without a default. */
export function requiredVariables(schema: EnvSchema): string[] {
  return (schema.required ?? []).filter((name) => schema.properties[name]?.default === undefined).sort()
}

/** The port a service listens on when PORT is unset: its schema's default. */
export function defaultPort(schema: EnvSchema): number {
  const port = schema.properties['PORT']?.default
  if (typeof port !== 'number') throw new Error('PORT has no numeric default')
  return port
}
