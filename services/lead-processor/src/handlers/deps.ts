// What every handler needs, passed in by service.ts (tests pass stand-ins). Declarations only.
import type { Bus } from '@gassistant/bus'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger } from '@gassistant/runtime'
import type { GraphClient } from '../graph/client.js'
import type { FormMapping } from '../mapping/common.js'
import type { TokenAlert } from '../meta/token-alert.js'
import type { PersonLocks } from '../sync/locks.js'
import type { SyncDeps, UpsertConfig } from '../sync/upsert.js'

export interface ProcessingConfig extends Omit<UpsertConfig, 'leadType'> {
  /** `auto`: `lead` when Odoo's "Leads" setting is on for the hub user, else `opportunity` (see README "Lead type"). */
  readonly leadType: UpsertConfig['leadType'] | 'auto'
  readonly defaultRegion: string
  readonly formMapping: FormMapping
  readonly doNotCall: ReadonlySet<string>
  readonly testLeads: 'flag' | 'reject'
  readonly lockTimeoutMs: number
}

export interface HandlerDeps extends SyncDeps {
  readonly odoo: OdooClient
  readonly graph: GraphClient
  readonly bus: Pick<Bus, 'publish'>
  readonly log: Logger
  readonly locks: PersonLocks
  readonly processing: ProcessingConfig
  /** Tells ops once that a page's token expired (every lead of the page fails on it). */
  readonly tokenAlert?: TokenAlert
  /** Called once per lead written, for metrics. */
  readonly onSynced?: (outcome: 'created' | 'updated' | 'merged' | 'rejected') => void
}
