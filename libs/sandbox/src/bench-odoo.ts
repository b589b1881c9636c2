// The Odoo a `pnpm bench:*` script measures against: the one at ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD
// when ODOO_URL is set, else a fresh stand-in with the addon (closed by the script when it is done).
import { startOdooStandIn, type OdooStandIn } from './odoo/server.js';

export interface BenchOdoo {
  readonly url: string;
  readonly db: string;
  readonly username: string;
  readonly password: string;
  /** Set when the bench runs against the stand-in. */
  readonly standIn?: OdooStandIn;
}

export async function benchOdoo(env: NodeJS.ProcessEnv = process.env): Promise<BenchOdoo> {
  const url = env['ODOO_URL'];
  if (url) return { url, db: env['ODOO_DB'] ?? '', username: env['ODOO_USER'] ?? '', password: env['ODOO_PASSWORD'] ?? '' };
  const standIn = await startOdooStandIn({ addonInstalled: true });
  return { url: standIn.url, db: standIn.db, username: standIn.username, password: standIn.password, standIn };
}
