/**
 * The seam between the client and a wire protocol (XML-RPC for Odoo 16–18, JSON-2 for 19+).
 * A transport turns protocol failures into typed OdooErrors; it never retries and never logs arguments.
 */
import type { TransportKind } from '../types.js';

export interface ServerVersion {
  serverVersion: string;
  major: number;
}

export interface Transport {
  readonly kind: TransportKind;
  version(): Promise<ServerVersion>;
  /** uid, or false when the credentials are refused. */
  authenticate(): Promise<number | false>;
  executeKw(uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

export interface TransportConfig {
  url: URL;
  db: string;
  username: string;
  password: string;
  timeoutMs: number;
}

/** "17.0" → 17, "saas~18.2" → 18, "19.0+e" → 19. */
export function majorOf(serverVersion: string, versionInfo?: unknown): number {
  if (Array.isArray(versionInfo) && typeof versionInfo[0] === 'number') return versionInfo[0];
  const m = /(\d+)\.\d+/.exec(serverVersion);
  return m ? Number(m[1]) : Number.NaN;
}

/** XML-RPC cannot carry undefined and Odoo wants False for empty: drop undefined keys, send null as false. */
export function toWire(value: unknown): unknown {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toWire(v);
    }
    return out;
  }
  return value;
}
