// The Kubernetes manifests of a kustomization, and their validation against the Kubernetes schemas.
// Validation uses kubernetes-models (the OpenAPI schemas of the Kubernetes API, as JSON schemas) and
// @kubernetes-models/keda for KEDA's resources; a kind neither knows is reported so the caller can
// check it structurally instead.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { ROOT } from './repo.js'

export interface Manifest {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec?: Record<string, unknown>
  data?: Record<string, string>
  stringData?: Record<string, string>
  /** The file it came from, relative to the repository. */
  file: string
}

export interface Kustomization {
  resources?: string[]
  patches?: { path: string; target?: { kind?: string; name?: string } }[]
  images?: { name: string; newName?: string; newTag?: string }[]
  configMapGenerator?: { name: string; behavior?: string; literals?: string[] }[]
  secretGenerator?: { name: string; behavior?: string; envs?: string[] }[]
}

export function parseManifests(text: string, file: string): Manifest[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message ?? 'YAML error'}`)
    const value = document.toJS() as Omit<Manifest, 'file'> | null
    return value === null ? [] : [{ ...value, file }]
  })
}

export const readKustomization = (dir: string): Kustomization => parseManifests(readFileSync(join(ROOT, dir, 'kustomization.yaml'), 'utf8'), dir)[0] as unknown as Kustomization

/** Every manifest a kustomization's resources name (following nested kustomizations), without overlays' patches. */
export function kustomizationManifests(dir: string): Manifest[] {
  return (readKustomization(dir).resources ?? []).flatMap((resource) => {
    const path = join(dir, resource)
    if (!resource.endsWith('.yaml')) return kustomizationManifests(path)
    return parseManifests(readFileSync(join(ROOT, path), 'utf8'), path)
  })
}

/** The module of kubernetes-models (or of its KEDA companion) that holds a kind's model, if one does. */
function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}/${kind}`
  if (group === '' || group === 'apps' || group === 'policy' || group === 'batch' || group === 'autoscaling' || group?.endsWith('.k8s.io')) {
    return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`
  }
  return undefined
}

interface Model {
  validate(): void
}
type ModelClass = new (data: unknown) => Model

/**
 * Validates a manifest against its kind's schema. Returns 'validated', or 'unknown' when no model exists
 * for its apiVersion/kind (a custom resource neither package ships); throws with the schema's message.
 */
export async function validateManifest(manifest: Manifest): Promise<'validated' | 'unknown'> {
  const module = modelModule(manifest.apiVersion, manifest.kind)
  if (!module) return 'unknown'
  let Model: ModelClass
  try {
    Model = ((await import(module)) as Record<string, ModelClass>)[manifest.kind] as ModelClass
  } catch {
    throw new Error(`${manifest.file}: ${manifest.apiVersion} ${manifest.kind} is not a kind of the Kubernetes API`)
  }
  const { file: _file, ...resource } = manifest
  try {
    new Model(resource).validate()
  } catch (error) {
    throw new Error(`${manifest.file}: ${manifest.kind} ${manifest.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return 'validated'
}

export const fileDir = (file: string): string => dirname(file)
