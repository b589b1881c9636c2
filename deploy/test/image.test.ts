// deploy/Dockerfile and .dockerignore read as Docker reads them: the stages a per-service image needs, a
// runtime stage that holds only the bundle (production dependencies, compiled code) and runs as a
// non-root user, and a build context without the host's installs, builds, tests or secrets.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import dockerignore from '@balena/dockerignore'
import t from 'tap'
import { parseDockerfile, type Stage } from './helpers/dockerfile.js'
import { readCompose } from './helpers/compose.js'
import { ROOT, hubServices, readRepoFile } from './helpers/repo.js'

const stages = parseDockerfile(readRepoFile('deploy/Dockerfile'))
const stage = (name: string): Stage | undefined => stages.find((candidate) => candidate.name === name)
const args = (instruction: string, of: Stage | undefined): string[] => (of?.instructions ?? []).filter((i) => i.keyword === instruction).map((i) => i.args)

t.test('the Dockerfile parses into stages; a broken one does not', async (t) => {
  t.throws(() => parseDockerfile('RUN echo before any FROM\n'), /before FROM/)
  t.throws(() => parseDockerfile('FROM a AS x\nFROM b AS x\n'), /twice/)
  t.ok(stages.length >= 3)
})

t.test('stages: dependencies, build, one bundle per service, and the runtime image last', async (t) => {
  const last = stages[stages.length - 1]
  t.equal(last?.name, 'service', 'the default target is the runtime image')
  for (const name of ['build', 'bundle', 'service', 'dev']) t.ok(stage(name), `a ${name} stage`)
  const bundle = args('RUN', stage('bundle')).join('\n')
  t.ok(args('ARG', stage('bundle')).includes('SERVICE'), 'the bundle takes the service as a build argument')
  t.match(bundle, /pnpm --filter "@gassistant\/\$\{SERVICE\}" --prod deploy \/out/, 'with production dependencies only (pnpm deploy --prod)')
  t.match(bundle, /rm -rf src test bench/, 'without sources, tests and benchmarks')
  t.match(bundle, /-path '\*\/@gassistant\/\*'[\s\S]*-name src -o -name test -o -name bench/, 'also in the workspace libraries it carries')
  t.match(args('RUN', stage('build')).join('\n'), /--frozen-lockfile/, 'installed from the lockfile')
})

t.test('the runtime image: a fresh base, only the bundle, a non-root user, the compiled entry point', async (t) => {
  const runtime = stage('service')
  if (!runtime) return t.fail('no service stage')
  t.notOk(stages.some((other) => other.name === runtime.from), 'it starts from a base image, not from a build stage')
  const copies = args('COPY', runtime)
  t.ok(copies.length > 0 && copies.every((copy) => /--from=bundle\b/.test(copy)), 'everything it holds comes from the bundle')
  const users = args('USER', runtime)
  t.ok(users.length > 0, 'it names a user')
  const user = users[users.length - 1]?.split(':')[0]
  t.ok(user && user !== 'root' && user !== '0', `the user (${user ?? 'none'}) is not root`)
  t.match(args('CMD', runtime).at(-1) ?? '', /"node",\s*"dist\/main\.js"/, 'it runs the compiled dist/main.js')
  t.notOk(args('RUN', runtime).some((run) => /pnpm|npm install|tsc/.test(run)), 'it installs and compiles nothing itself')
})

t.test('every service can be built by it: each has src/main.ts (dist/main.js) and compose builds it with SERVICE', async (t) => {
  const compose = readCompose()
  for (const name of hubServices()) {
    t.ok(existsSync(join(ROOT, 'services', name, 'src', 'main.ts')), `services/${name}/src/main.ts exists`)
    const build = compose.services[name]?.build
    t.equal(build?.target ?? 'service', 'service', `${name} builds the runtime stage`)
  }
})

t.test('.dockerignore keeps host installs, builds, tests and secrets out, and what the build copies in', async (t) => {
  // A CommonJS module typed as an ES default export: its factory is also its own `.default`.
  const ignore = dockerignore.default({ ignorecase: false }).add(readRepoFile('.dockerignore').split('\n'))
  const excluded = ['node_modules/x', 'libs/runtime/node_modules/x', '.git/HEAD', 'services/scoring/dist/main.js', 'libs/bus/tsconfig.tsbuildinfo',
    'services/scoring/test/rig.ts', 'libs/runtime/test/config.test.ts', 'services/ingress/bench/ingress.ts', '.env', '.env.production',
    'odoo-addon/g_assistant_connector/__init__.py', 'deploy/k8s/base/kustomization.yaml', 'deploy/test/compose.test.ts', '.tap/x', 'config/rules.json']
  for (const path of excluded) t.ok(ignore.ignores(path), `${path} stays out`)
  const copied = new Set<string>()
  for (const current of stages) {
    for (const copy of args('COPY', current)) {
      if (/--from=/.test(copy)) continue
      const parts = copy.split(/\s+/).filter((part) => !part.startsWith('--'))
      for (const source of parts.slice(0, -1)) copied.add(source.replace(/^\.\//, ''))
    }
  }
  t.ok(copied.has('pnpm-lock.yaml') && copied.has('libs'), 'the Dockerfile copies the lockfile and the sources')
  const kept = [...copied].map((source) => (existsSync(join(ROOT, source, 'package.json')) ? `${source}/package.json` : source))
  kept.push('libs/test-support/fixtures/meta-lead-graph-response.json', 'services/scoring/rules/default.json', 'services/ingress/src/main.ts')
  for (const path of kept) t.notOk(ignore.ignores(path), `${path} is in the build context`)
})
