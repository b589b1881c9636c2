// What every handler needs, passed in by service.ts (tests pass stand-ins). Declarations only.
import type { Bus } from '@gassistant/bus'
import type { OdooClient } from '@gassistant/odoo'
import type { Logger } from '@gassistant/runtime'
import type { GraphClient } from '../graph/client.js'
import type { FormMapping } from '../mapping/meta-form.js'
import type { CreateBatcher } from '../sync/batcher.js'
import type { PersonLocks } from '../sync/locks.js'
import type { UpsertConfig } from '../sync/upsert.js'

export interface ProcessingConfig extends UpsertConfig {
  readonly defaultRegion: string
  readonly formMapping: FormMapping
  readonly doNotCall: ReadonlySet<string>
  readonly testLeads: 'flag' | 'reject'
  readonly lockTimeoutMs: number
}

export interface HandlerDeps {
  readonly odoo: OdooClient
  readonly graph: GraphClient
  readonly bus: Pick<Bus, 'publish'>
  readonly log: Logger
  readonly locks: PersonLocks
  readonly creates: CreateBatcher
  readonly config: ProcessingConfig
  readonly now: () => Date
  readonly countryId: (code: string) => Promise<number | undefined>
  /** Called once per lead written, for metrics. */
  readonly onSynced?: (outcome: 'created' | 'updated' | 'merged' | 'rejected') => void
}
