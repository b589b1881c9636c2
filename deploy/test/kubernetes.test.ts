// deploy/k8s: every manifest parses and is valid against the Kubernetes schemas (kubernetes-models, and
// @kubernetes-models/keda for KEDA); the RabbitmqCluster, which no installable schema covers, is checked
// structurally (named as such below). Then the manifests are held against the repository: a Deployment per
// service on its port with probes, resources and its required variables, a PodDisruptionBudget each, KEDA
// scaling for each topology consumer, and a network policy that lets only the ingress be reached from outside.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { kustomizationManifests, parseManifests, readKustomization, validateManifest, type Manifest } from './helpers/kubernetes.js'
import { ROOT, defaultPort, envSchemaOf, hubServices, readRepoFile, requiredVariables, topologyConsumers } from './helpers/repo.js'

const BASE = 'deploy/k8s/base'
const OVERLAY = 'deploy/k8s/overlays/production'
const manifests = kustomizationManifests(BASE)
const find = (kind: string, name: string): Manifest | undefined => manifests.find((m) => m.kind === kind && m.metadata?.name === name)
const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.kind === kind)

interface Probe { httpGet?: { path?: string; port?: string | number } }
interface Container {
  name: string
  image: string
  ports?: { name?: string; containerPort: number }[]
  env?: { name: string; value?: string }[]
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[]
  readinessProbe?: Probe
  livenessProbe?: Probe
  resources?: { requests?: { cpu?: string; memory?: string } }
  volumeMounts?: { name: string; mountPath: string }[]
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }
  containers: Container[]
  volumes?: { name: string; secret?: { secretName: string } }[]
}
interface DeploymentSpec { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }

const deploymentSpec = (m: Manifest): DeploymentSpec => m.spec as unknown as DeploymentSpec
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value)

t.test('every manifest is valid against the Kubernetes schemas; a broken one is not', async (t) => {
  t.ok(manifests.length > 10, `${manifests.length} manifests`)
  t.throws(() => parseManifests('kind: [Deployment\n', 'broken.yaml'), /broken\.yaml/, 'a YAML error names its file')
  const unknown: string[] = []
  for (const manifest of manifests) {
    const outcome = await validateManifest(manifest).catch((error: unknown) => {
      t.fail(error instanceof Error ? error.message : String(error))
      return 'failed'
    })
    if (outcome === 'unknown') unknown.push(`${manifest.apiVersion} ${manifest.kind}`)
  }
  t.same(unknown, ['rabbitmq.com/v1beta1 RabbitmqCluster'], 'only the RabbitmqCluster has no installable schema (checked structurally below)')
  const deployment = structuredClone(find('Deployment', 'ingress')) as Manifest
  ;(deploymentSpec(deployment).template.spec.containers[0] as unknown as { ports: unknown[] }).ports = [{ containerPort: 'http' }]
  await t.rejects(validateManifest(deployment), /containerPort must be integer/, 'a wrong type is refused')
  const selectorless = structuredClone(find('Deployment', 'scoring')) as Manifest
  delete (selectorless.spec as { selector?: unknown }).selector
  await t.rejects(validateManifest(selectorless), /selector/, 'a missing required field is refused')
  await t.rejects(validateManifest({ ...deployment, kind: 'Deploymnt' }), /not a kind/, 'an unknown kind of a Kubernetes group is refused')
})

t.test('the kustomizations name files that exist, and every base file is used', async (t) => {
  const base = readKustomization(BASE)
  for (const resource of base.resources ?? []) t.ok(existsSync(join(ROOT, BASE, resource)), `base: ${resource} exists`)
  const overlay = readKustomization(OVERLAY)
  t.ok(overlay.resources?.includes('../../base'), 'the overlay builds on the base')
  for (const patch of overlay.patches ?? []) {
    t.ok(existsSync(join(ROOT, OVERLAY, patch.path)), `overlay patch ${patch.path} exists`)
    t.ok(patch.target?.kind && patch.target.name && find(patch.target.kind, patch.target.name), `it patches ${patch.target?.kind} ${patch.target?.name} of the base`)
  }
  const images = new Set(ofKind('Deployment').flatMap((m) => deploymentSpec(m).template.spec.containers.map((c) => c.image.split(':')[0])))
  for (const image of overlay.images ?? []) t.ok(images.has(image.name), `overlay image ${image.name} is used by the base`)
  for (const image of images) t.ok(overlay.images?.some((entry) => entry.name === image), `the overlay pins ${image}`)
  for (const generator of overlay.secretGenerator ?? []) {
    t.equal(generator.behavior, 'replace', `${generator.name} replaces the base's empty Secret`)
    t.ok(find('Secret', generator.name), `${generator.name} is a Secret of the base`)
    for (const env of generator.envs ?? []) {
      t.ok(existsSync(join(ROOT, OVERLAY, `${env}.example`)), `${env}.example documents it`)
      t.match(readFileSync(join(ROOT, OVERLAY, '.gitignore'), 'utf8'), new RegExp(`^${env}$`, 'm'), `${env} is never committed`)
      const keys = readFileSync(join(ROOT, OVERLAY, `${env}.example`), 'utf8').split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=')[0])
      t.same(keys.sort(), Object.keys(find('Secret', generator.name)?.stringData ?? {}).sort(), `${env}.example has the Secret's keys`)
    }
  }
  for (const generator of overlay.configMapGenerator ?? []) {
    const config = find('ConfigMap', generator.name)
    for (const literal of generator.literals ?? []) t.ok(config?.data && (literal.split('=')[0] as string) in config.data, `${literal.split('=')[0]} is a key of ${generator.name}`)
  }
})

t.test('a Deployment per service: its image and port, probes, resources, non-root, every required variable', async (t) => {
  const config = find('ConfigMap', 'hub-config')?.data ?? {}
  for (const service of hubServices()) {
    const deployment = find('Deployment', service)
    if (!deployment) {
      t.fail(`no Deployment ${service}`)
      continue
    }
    t.equal(deployment.file, `${BASE}/services/${service}.yaml`, `${service}: in its own file`)
    const spec = deploymentSpec(deployment)
    t.ok(matches(spec.selector.matchLabels, spec.template.metadata.labels), `${service}: the selector matches its pods`)
    const pod = spec.template.spec
    t.ok(pod.securityContext?.runAsNonRoot === true && pod.securityContext.runAsUser === 1000, `${service}: runs as the image's non-root user`)
    const container = pod.containers[0] as Container
    const schema = await envSchemaOf(service)
    const port = defaultPort(schema)
    t.equal(container.image.split(':')[0], `gassistant/${service}`, `${service}: its own image`)
    const http = container.ports?.find((p) => p.name === 'http')
    t.equal(http?.containerPort, port, `${service}: listens on its PORT ${port}`)
    const env = Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry.value ?? '']))
    t.equal(env['PORT'], String(port), `${service}: PORT is set to it`)
    t.same(container.readinessProbe?.httpGet, { path: '/readyz', port: 'http' }, `${service}: ready when /readyz says so`)
    t.same(container.livenessProbe?.httpGet, { path: '/healthz', port: 'http' }, `${service}: alive when /healthz answers`)
    t.ok(container.resources?.requests?.cpu && container.resources.requests.memory, `${service}: requests CPU and memory`)
    const fromConfig = (container.envFrom ?? []).some((source) => source.configMapRef?.name === 'hub-config')
    const mounts = new Map((container.volumeMounts ?? []).map((mount) => [mount.name, mount.mountPath]))
    for (const variable of requiredVariables(schema)) {
      const file = env[`${variable}_FILE`]
      if (file !== undefined) {
        const volume = pod.volumes?.find((candidate) => candidate.secret && file.startsWith(`${mounts.get(candidate.name) ?? '\0'}/`))
        const secret = volume?.secret && find('Secret', volume.secret.secretName)
        const key = file.slice(file.lastIndexOf('/') + 1)
        t.ok(secret && key in (secret.stringData ?? secret.data ?? {}), `${service}: ${variable}_FILE is the mounted secret key ${key}`)
      } else {
        t.ok(variable in env || (fromConfig && variable in config), `${service}: ${variable} is set`)
      }
    }
  }
})

t.test('a PodDisruptionBudget for every Deployment', async (t) => {
  for (const deployment of ofKind('Deployment')) {
    const labels = deploymentSpec(deployment).template.metadata.labels
    const budget = ofKind('PodDisruptionBudget').find((pdb) => matches((pdb.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels, labels))
    t.ok(budget, `${deployment.metadata.name} has a PodDisruptionBudget`)
  }
})

t.test('KEDA scales every consumer of the topology on its own queue', async (t) => {
  interface ScaledSpec { scaleTargetRef: { name: string }; maxReplicaCount?: number; triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[] }
  for (const consumer of topologyConsumers()) {
    const scaled = ofKind('ScaledObject').find((m) => (m.spec as unknown as ScaledSpec).scaleTargetRef.name === consumer)
    if (!scaled) {
      t.fail(`no ScaledObject for ${consumer}`)
      continue
    }
    const spec = scaled.spec as unknown as ScaledSpec
    t.ok(find('Deployment', consumer), `${consumer}: scales its Deployment`)
    const trigger = spec.triggers.find((candidate) => candidate.type === 'rabbitmq')
    t.equal(trigger?.metadata['queueName'], consumer, `${consumer}: on the depth of queue ${consumer}`)
    t.equal(trigger?.metadata['mode'], 'QueueLength', `${consumer}: by messages waiting`)
    const auth = trigger?.authenticationRef && find('TriggerAuthentication', trigger.authenticationRef.name)
    const refs = (auth?.spec as { secretTargetRef?: { parameter: string; name: string; key: string }[] } | undefined)?.secretTargetRef ?? []
    const host = refs.find((ref) => ref.parameter === 'host')
    t.ok(host && host.key in (find('Secret', host.name)?.stringData ?? {}), `${consumer}: KEDA reads the broker URL from an existing secret key`)
    t.ok((spec.maxReplicaCount ?? 0) > 1, `${consumer}: may grow past one replica`)
  }
  for (const scaled of ofKind('ScaledObject')) {
    t.ok(topologyConsumers().includes((scaled.spec as unknown as ScaledSpec).scaleTargetRef.name), `${scaled.metadata.name} scales a consumer of the topology`)
  }
})

t.test('network policy: everything is closed from outside the namespace except the ingress', async (t) => {
  interface Peer { podSelector?: Record<string, unknown>; namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: unknown }
  interface PolicySpec { podSelector: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: { from?: Peer[] }[] }
  const policies = ofKind('NetworkPolicy').map((m) => ({ name: m.metadata.name, spec: m.spec as unknown as PolicySpec }))
  const denyAll = policies.find(({ spec }) => Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && spec.policyTypes?.includes('Ingress') && !spec.ingress)
  t.ok(denyAll, 'a default deny of ingress traffic for every pod')
  const ingressLabels = deploymentSpec(find('Deployment', 'ingress') as Manifest).template.metadata.labels
  for (const { name, spec } of policies) {
    for (const rule of spec.ingress ?? []) {
      for (const peer of rule.from ?? [{ ipBlock: 'anywhere' }]) {
        const fromAnywhere = peer.ipBlock !== undefined || (peer.namespaceSelector !== undefined && Object.keys(peer.namespaceSelector.matchLabels ?? {}).length === 0)
        const fromNamespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']
        if (fromAnywhere) {
          t.ok(matches(spec.podSelector.matchLabels, ingressLabels) && Object.keys(spec.podSelector.matchLabels ?? {}).length > 0, `${name}: what anyone may reach is the ingress only`)
        } else if (fromNamespace !== undefined) {
          t.equal(fromNamespace, 'keda', `${name}: the one other namespace let in is KEDA's`)
          t.same(spec.podSelector.matchLabels, { 'app.kubernetes.io/name': 'gassistant-rabbitmq' }, `${name}: and only to RabbitMQ`)
        } else {
          t.ok(peer.podSelector !== undefined, `${name}: otherwise only pods of the namespace`)
        }
      }
    }
  }
  const route = find('Ingress', 'hub-webhooks')?.spec as { tls?: unknown[]; rules: { http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[] } | undefined
  const paths = route?.rules.flatMap((rule) => rule.http.paths) ?? []
  t.same(paths.map((p) => [p.path, p.backend.service.name, p.backend.service.port.name]), [['/webhooks/', 'ingress', 'http']], 'the public route is /webhooks/ of the ingress only')
  t.ok(route?.tls?.length, 'over TLS')
  t.ok(find('Service', 'ingress'), 'to the ingress Service')
})

t.test('RabbitMQ (structural check of the RabbitmqCluster, no schema installable): 3 nodes, the broker settings, quorum queues', async (t) => {
  const cluster = find('RabbitmqCluster', 'gassistant-rabbitmq')
  const spec = cluster?.spec as { replicas?: number; rabbitmq?: { additionalConfig?: string }; resources?: { requests?: Record<string, string> }; persistence?: { storage?: string } } | undefined
  t.equal(cluster?.apiVersion, 'rabbitmq.com/v1beta1', 'the Cluster Operator API')
  t.equal(spec?.replicas, 3, 'three nodes')
  t.ok(spec?.resources?.requests?.['cpu'] && spec.resources.requests['memory'], 'with resource requests')
  t.match(spec?.persistence?.storage ?? '', /^\d+Gi$/, 'and persistent storage')
  const settings = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
  const additional = new Set(settings(spec?.rabbitmq?.additionalConfig ?? ''))
  for (const line of settings(readRepoFile('deploy/rabbitmq/rabbitmq.conf'))) {
    if (line.startsWith('load_definitions')) continue
    t.ok(additional.has(line), `the cluster has compose's setting ${line}`)
  }
  for (const consumer of Object.values(HUB_TOPOLOGY)) t.equal(consumer.queueType, 'quorum', `${consumer.service}'s queue is a quorum queue (replicated on the nodes)`)
  const broker = find('Secret', 'hub-secrets')?.stringData?.['AMQP_URL'] ?? ''
  t.equal(broker, '', 'the base carries no broker credentials')
  t.match(readFileSync(join(ROOT, OVERLAY, 'secrets.env.example'), 'utf8'), /^AMQP_URL=amqp:\/\/[^@]+@gassistant-rabbitmq:5672$/m, "services reach the cluster's Service")
})
