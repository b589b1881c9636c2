// The exactly-once guard, kept in Odoo: before a rule acts on a record, it claims the key (rule, record,
// occurrence) by creating an external id (ir.model.data, module `gassistant_rules`). Odoo keeps (module, name)
// unique with a database index, so of two replicas claiming at once exactly one create succeeds and the other
// gets a fault; a redelivered event or a restarted service finds the claim and does nothing. The claim is
// marked done (noupdate) once every action succeeded; a claim left undone by a crash is retaken after a lease
// under a second key `<key>.retry`, unique in the same way (README "Timers and exactly once").
import { OdooValidationError, type OdooClient } from '@gassistant/odoo'
import { odooTime, toOdooTime, type Subject } from './odoo-records.js'

export const CLAIM_MODULE = 'gassistant_rules'

/** `<rule>.<l|o><record id>[.<occurrence>]`: Odoo's external-id names allow no spaces; rule ids have none. */
export function claimKey(ruleId: string, subject: Pick<Subject, 'model' | 'id'>, occurrence?: string): string {
  return `${ruleId}.${subject.model === 'crm.lead' ? 'l' : 'o'}${subject.id}${occurrence === undefined ? '' : `.${occurrence}`}`
}

export interface Claim {
  readonly id: number
  readonly key: string
  readonly done: boolean
  readonly claimedAt: Date
}

export interface Claims {
  /** True when this caller now holds the key; false when someone (another replica, an earlier run) holds it. */
  take(key: string, subject: Subject): Promise<{ readonly id: number } | undefined>
  /** Marks the claim done: every action of the firing succeeded. */
  done(claim: { readonly id: number }): Promise<void>
  /** The claims among `keys` that exist. */
  existing(keys: readonly string[]): Promise<Map<string, Claim>>
  /** Claims not done and older than `before` (a firing interrupted by a crash), with no retry claimed yet. */
  interrupted(before: Date): Promise<Claim[]>
}

interface ClaimRow { id: number; name: string; noupdate: boolean; create_date: string }

export function createClaims(odoo: OdooClient): Claims {
  const toClaim = (row: ClaimRow): Claim => ({ id: row.id, key: row.name, done: row.noupdate, claimedAt: odooTime(row.create_date) })
  return {
    async take(key, subject) {
      try {
        const id = await odoo.create('ir.model.data', { module: CLAIM_MODULE, name: key, model: subject.model, res_id: subject.id, noupdate: false })
        return { id }
      } catch (err) {
        // The unique (module, name) index refused it: held already, unless the fault was something else.
        if (!(err instanceof OdooValidationError)) throw err
        const held = await odoo.searchCount('ir.model.data', [['module', '=', CLAIM_MODULE], ['name', '=', key]])
        if (held === 0) throw err
        return undefined
      }
    },
    async done(claim) {
      await odoo.write('ir.model.data', [claim.id], { noupdate: true })
    },
    async existing(keys) {
      if (keys.length === 0) return new Map()
      const rows = await odoo.searchRead<ClaimRow>('ir.model.data', [['module', '=', CLAIM_MODULE], ['name', 'in', [...keys]]], { fields: ['name', 'noupdate', 'create_date'] })
      return new Map(rows.map((row) => [row.name, toClaim(row)]))
    },
    async interrupted(before) {
      const rows = await odoo.searchRead<ClaimRow>('ir.model.data', [['module', '=', CLAIM_MODULE], ['noupdate', '=', false], ['create_date', '<', toOdooTime(before)]], { fields: ['name', 'noupdate', 'create_date'], limit: 100 })
      const stale = rows.filter((row) => !row.name.endsWith('.retry'))
      const retried = await this.existing(stale.map((row) => `${row.name}.retry`))
      return stale.filter((row) => !retried.has(`${row.name}.retry`)).map(toClaim)
    },
  }
}
