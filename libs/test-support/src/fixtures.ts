// Reads the repository's one copy of each external payload sample (fixtures/ beside src/): Meta and
// WhatsApp webhooks, Graph API and Slack answers, Odoo webhooks and XML-RPC faults. Tests compare bytes
// (signatures cover exact bytes), so nothing here normalizes or re-encodes a file.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The folder holding the fixtures; the same from src/ (tests) and dist/ (built). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url))

export function fixtureBytes(name: string): Buffer {
  return readFileSync(FIXTURES_DIR + name)
}

export function fixtureText(name: string): string {
  return readFileSync(FIXTURES_DIR + name, 'utf8')
}

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T
}
