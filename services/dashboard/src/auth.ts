// Sign-in for the operators: one admin password checked against its scrypt hash, a signed session cookie
// (@fastify/cookie) that expires, and a CSRF token bound to the session for every state-changing POST
// (replay, purge, sign-out). Never logs or answers with the password, the hash or the cookie.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>
const KEY_LENGTH = 64

/** `scrypt$<salt hex>$<key hex>`, the format DASHBOARD_PASSWORD_HASH takes. */
export async function hashPassword(password: string, salt = randomBytes(16)): Promise<string> {
  const key = await scryptAsync(password, salt, KEY_LENGTH)
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = hash.split('$')
  if (scheme !== 'scrypt' || saltHex === undefined || keyHex === undefined) return false
  const expected = Buffer.from(keyHex, 'hex')
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), expected.length)
  return timingSafeEqual(actual, expected)
}

export const SESSION_COOKIE = 'gassistant_session'
/** A working day and a bit: the operator signs in again the next morning. */
export const SESSION_MS = 12 * 60 * 60 * 1000

export interface Session {
  readonly user: string
  readonly expiresAt: number
  /** Random per sign-in: the CSRF token is derived from it. */
  readonly nonce: string
}

/** The cookie's value before @fastify/cookie signs it. */
export function sessionValue(user: string, now: number): string {
  return `${user}.${now + SESSION_MS}.${randomBytes(12).toString('hex')}`
}

export function parseSession(value: string, now: number): Session | undefined {
  const [user, expires, nonce] = value.split('.')
  const expiresAt = Number(expires)
  if (user === undefined || nonce === undefined || !Number.isFinite(expiresAt) || expiresAt <= now) return undefined
  return { user, expiresAt, nonce }
}

export function csrfToken(secret: string, session: Session): string {
  return createHmac('sha256', secret).update(`csrf.${session.nonce}`).digest('base64url')
}

export function csrfMatches(secret: string, session: Session, token: unknown): boolean {
  if (typeof token !== 'string') return false
  const expected = Buffer.from(csrfToken(secret, session))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
