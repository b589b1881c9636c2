// Runs a TypeScript entry point (a service's main.ts, `pnpm start`, a CLI) in a child process exactly as
// the package scripts do — node with the source condition and tsx — so tests go through the real entry
// point: its environment parsing, its exit code, its stderr.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root, where the package scripts run. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const NODE_ARGS = ['--conditions=gassistant-source', '--import', 'tsx']

export type ScriptEnv = Record<string, string | undefined>

export interface ScriptResult {
  /** Exit code; -1 when killed (e.g. by the timeout). */
  code: number
  stdout: string
  stderr: string
}

/** Environment for the child: the parent's, minus the names set to undefined, plus the rest. */
function childEnv(env: ScriptEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name]
    else merged[name] = value
  }
  return merged
}

/** Runs `script` (a path relative to the repository root) to its exit. */
export function runScript(script: string, args: readonly string[] = [], env: ScriptEnv = {}, timeoutMs = 60_000): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_ARGS, script, ...args], { cwd: ROOT, env: childEnv(env), timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

export interface RunningScript {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** The exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>
}

/** Starts a long-running `script`; the caller stops it (and should kill it in teardown). */
export function startScript(script: string, env: ScriptEnv = {}): RunningScript {
  const child = spawn(process.execPath, [...NODE_ARGS, script], { cwd: ROOT, env: childEnv(env) })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** A setting a service's entry point must refuse: the one line it stops with (after `<service>: `), and a value it must not echo. */
export interface RefusedStart {
  readonly env: ScriptEnv
  readonly line: string
  readonly value?: string
}

interface Asserts {
  equal(found: unknown, wanted: unknown, message: string): unknown
  notMatch(found: unknown, pattern: string, message: string): unknown
}

/**
 * Runs `main` once per case, with the case's settings over `valid`: each must exit 1 with exactly `<service>: <line>`
 * on stderr, nothing on stdout (nothing started, nothing logged), and never show the refused value.
 */
export async function checkRefusedStarts(t: Asserts, main: string, service: string, valid: ScriptEnv, cases: readonly RefusedStart[]): Promise<void> {
  const results = await Promise.all(cases.map((c) => runScript(main, [], { ...valid, ...c.env })))
  cases.forEach((c, i) => {
    const result = results[i] as ScriptResult
    t.equal(result.code, 1, `${c.line}: exit 1`)
    t.equal(result.stderr, `${service}: ${c.line}\n`, 'one line on stderr')
    t.equal(result.stdout, '', 'nothing started, nothing logged')
    if (c.value !== undefined) t.notMatch(result.stderr, c.value, 'the value is not shown')
  })
}
