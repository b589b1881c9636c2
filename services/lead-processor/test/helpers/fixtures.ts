// Reads the copied fixtures (test/fixtures) as bytes or JSON.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url))

export function fixtureBytes(name: string): Buffer {
  return readFileSync(dir + name)
}

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(dir + name, 'utf8')) as T
}
