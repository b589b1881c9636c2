// docker-compose.yml as docker compose reads it: YAML with merge keys (`<<: *service`), environment as a
// map, `${VAR…}` interpolation left in place so the checks can see which variables it takes from .env.
import { parse } from 'yaml'
import { readRepoFile } from './repo.js'

export interface HealthCheck {
  test?: string[] | string
  disable?: boolean
}

export type DependsOn = Record<string, { condition?: string }>

export interface ComposeService {
  image?: string
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> }
  command?: string[]
  entrypoint?: string[]
  user?: string
  restart?: string
  environment?: Record<string, string | number | boolean | null>
  healthcheck?: HealthCheck
  depends_on?: DependsOn | string[]
  volumes?: string[]
  ports?: string[]
  networks?: string[]
}

export interface ComposeFile {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
  networks?: Record<string, unknown>
}

export function parseCompose(text: string): ComposeFile {
  const file = parse(text, { merge: true, prettyErrors: true }) as ComposeFile | null
  if (!file || typeof file.services !== 'object') throw new Error('no services: map')
  return file
}

export const readCompose = (path = 'docker-compose.yml'): ComposeFile => parseCompose(readRepoFile(path))

/** depends_on in its long form: service → condition (the short list form means service_started). */
export function dependencies(service: ComposeService): DependsOn {
  const { depends_on: dependsOn } = service
  if (!dependsOn) return {}
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, { condition: 'service_started' }]))
  return dependsOn
}

/** Containers that run once and exit: something waits for them with service_completed_successfully. */
export function oneShots(file: ComposeFile): Set<string> {
  const names = new Set<string>()
  for (const service of Object.values(file.services)) {
    for (const [name, { condition }] of Object.entries(dependencies(service))) {
      if (condition === 'service_completed_successfully') names.add(name)
    }
  }
  return names
}

/** Names of the variables `${NAME}`, `${NAME:-x}`, `${NAME:?msg}`… a text interpolates (`$$` is a literal $). */
export function interpolatedVariables(text: string): Set<string> {
  const names = new Set<string>()
  for (const match of text.replaceAll('$$', '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1] as string)
  return names
}

/** `NAME=value` lines of an env file, commented-out assignments (`# NAME=value`) included. */
export function envFileVariables(text: string): { set: Set<string>; commented: Set<string> } {
  const set = new Set<string>()
  const commented = new Set<string>()
  for (const line of text.split('\n')) {
    const active = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)
    if (active) set.add(active[1] as string)
    const inactive = /^#\s*([A-Z_][A-Z0-9_]*)=/.exec(line)
    if (inactive) commented.add(inactive[1] as string)
  }
  return { set, commented }
}

export const environmentOf = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? '' : String(value)]))

/** The health check's command as one string, whichever form it is written in. */
export function healthCommand(service: ComposeService): string {
  const test = service.healthcheck?.test
  if (test === undefined) return ''
  return Array.isArray(test) ? test.join(' ') : test
}
