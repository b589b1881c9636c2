// The exactly-once guard, kept in Odoo: before a rule acts on a record, it claims the key (rule, record,
// occurrence) by creating an external id (ir.model.data, module `gassistant_rules`). Odoo keeps (module, name)
// unique with a database index, so of two replicas claiming at once exactly one create succeeds and the other
// gets fault 2; a redelivered event or a restarted service finds the claim and does nothing. Once every action
// succeeded, a second external id `<key>.done` says so. Only creates: Odoo 17 clears its registry caches on
// every ir.model.data write or unlink, so the hub never writes these rows. A claim left without `.done` by a
// crash is retaken after a lease under a third unique key `<key>.retry` (README "Timers and exactly once").
import { OdooValidationError, type OdooClient } from '@gassistant/odoo'
import { odooTime, toOdooTime, type Subject } from './odoo-records.js'

export const CLAIM_MODULE = 'gassistant_rules'
const DONE = '.done'
const RETRY = '.retry'

/** `<rule>.<l|o><record id>[.<occurrence>]`: Odoo's external-id names allow no spaces; rule ids have none. */
export function claimKey(ruleId: string, subject: Pick<Subject, 'model' | 'id'>, occurrence?: string): string {
  return `${ruleId}.${subject.model === 'crm.lead' ? 'l' : 'o'}${subject.id}${occurrence === undefined ? '' : `.${occurrence}`}`
}

export interface Claim {
  readonly key: string
  readonly subject: Pick<Subject, 'model' | 'id'>
  readonly claimedAt: Date
}

export interface Claims {
  /** True when this caller now holds the key; false when someone (another replica, an earlier run) holds it. */
  take(key: string, subject: Pick<Subject, 'model' | 'id'>): Promise<boolean>
  /** Records that every action of the firing under `key` succeeded. */
  done(key: string, subject: Pick<Subject, 'model' | 'id'>): Promise<void>
  /** Which of `keys` are claimed. */
  existing(keys: readonly string[]): Promise<Set<string>>
  /** Claims made between `since` and `before` and never done nor retaken: firings a crash interrupted. */
  interrupted(since: Date, before: Date): Promise<Claim[]>
}

interface ClaimRow { name: string; model: string; res_id: number; create_date: string }

export function createClaims(odoo: OdooClient): Claims {
  /** Creates the external id; false when the unique index refused it because it exists. */
  async function create(name: string, subject: Pick<Subject, 'model' | 'id'>): Promise<boolean> {
    try {
      await odoo.create('ir.model.data', { module: CLAIM_MODULE, name, model: subject.model, res_id: subject.id })
      return true
    } catch (err) {
      if (!(err instanceof OdooValidationError)) throw err
      const held = await odoo.searchCount('ir.model.data', [['module', '=', CLAIM_MODULE], ['name', '=', name]])
      if (held === 0) throw err
      return false
    }
  }

  async function names(candidates: readonly string[]): Promise<Set<string>> {
    if (candidates.length === 0) return new Set()
    const rows = await odoo.searchRead<{ name: string }>('ir.model.data', [['module', '=', CLAIM_MODULE], ['name', 'in', [...candidates]]], { fields: ['name'] })
    return new Set(rows.map((row) => row.name))
  }

  return {
    take: (key, subject) => create(key, subject),
    async done(key, subject) {
      await create(`${key}${DONE}`, subject)
    },
    existing: names,
    async interrupted(since, before) {
      const rows = await odoo.searchRead<ClaimRow>('ir.model.data', [
        ['module', '=', CLAIM_MODULE], ['create_date', '>=', toOdooTime(since)], ['create_date', '<', toOdooTime(before)],
      ], { fields: ['name', 'model', 'res_id', 'create_date'] })
      const claims = rows.filter((row) => !row.name.endsWith(DONE) && !row.name.endsWith(RETRY))
      const settled = await names(claims.flatMap((row) => [`${row.name}${DONE}`, `${row.name}${RETRY}`]))
      return claims
        .filter((row) => !settled.has(`${row.name}${DONE}`) && !settled.has(`${row.name}${RETRY}`))
        .map((row) => ({ key: row.name, subject: { model: row.model as Subject['model'], id: row.res_id }, claimedAt: odooTime(row.create_date) }))
    },
  }
}

export const retryKey = (key: string): string => `${key}${RETRY}`
