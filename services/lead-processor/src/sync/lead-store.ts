// The lead-processor's Odoo reads and writes, batched: handlers running side by side ask for one lead's
// candidates, partner, note check, create or note, and each kind goes to Odoo as one call per batch
// (coalescer.ts). A batched search returns the union of what each request would have found alone, and
// every request gets back exactly its own answer by re-applying its conditions to the rows — so dedupe
// decides as if each lead had been searched on its own. Countries are read once. Never holds a lock and
// never decides what to write: upsert.ts does, under the person's lock.
import { OdooTimeoutError, OdooTransportError, type OdooClient } from '@gassistant/odoo'
import { coalesce, type CoalescerOptions } from './coalescer.js'

export type Row = Record<string, unknown> & { id: number }

/** What one enquiry looks for: the lead holding its reference, or an open lead of the same person. */
export interface CandidateQuery {
  readonly ref: string
  /** Normalized (lower-case) email of the person; absent for test leads. */
  readonly email?: string
  /** E.164 phone of the person; absent for test leads. */
  readonly phone?: string
  /** Oldest creation date (Odoo `YYYY-MM-DD HH:MM:SS`, UTC) of an open lead that may absorb the enquiry; absent: any age. */
  readonly since?: string
}

export interface LeadStore {
  /** `gassistant_ref` with the addon (unique there), else the hub-owned `referred`. */
  readonly refField: 'gassistant_ref' | 'referred'
  /** The addon is installed (gassistant_ref, gassistant_flags exist). */
  readonly hasAddon: boolean
  /** The lead holding `ref` and the open (active, not won) leads of the person, oldest first. */
  candidates(query: CandidateQuery): Promise<Row[]>
  /** The lead holding `ref` (archived ones included), with the fields lead.synced.v1 reports. */
  byRef(ref: string): Promise<Row | undefined>
  /** The oldest partner with the same email or phone. */
  partner(person: { readonly email?: string; readonly phone?: string }): Promise<number | undefined>
  /** Whether the lead's chatter already holds a note with this marker. */
  hasNote(leadId: number, marker: string): Promise<boolean>
  /**
   * Creates a lead. A batch Odoo refused is retried lead by lead, so one bad lead never fails its
   * neighbours. A batch whose outcome is unknown (timeout, connection lost) is not repeated: Odoo may
   * have committed it, so the error goes to every lead and their retries find what was created by
   * reference before creating anything.
   */
  create(values: Readonly<Record<string, unknown>>): Promise<number>
  write(leadId: number, values: Readonly<Record<string, unknown>>): Promise<void>
  /** Posts an internal HTML note on the lead; `recordName` is the lead's name. */
  logNote(leadId: number, html: string, recordName: string): Promise<void>
  /** A new lead's `message_ids` value carrying its first note: the lead and its note are one write. */
  withNote(html: string, recordName: string): Promise<unknown[]>
  countryId(code: string): Promise<number | undefined>
  countryCode(id: number): Promise<string | undefined>
}

/** Fields read with a candidate; those this Odoo lacks (the addon's, `phone_sanitized`) are left out. */
const LEAD_FIELDS = [
  'name', 'contact_name', 'email_from', 'phone', 'phone_sanitized', 'partner_id', 'user_id', 'team_id', 'city', 'partner_name',
  'function', 'street', 'zip', 'website', 'country_id', 'source_id', 'medium_id', 'campaign_id', 'description',
  'tag_ids', 'probability', 'active', 'type', 'referred', 'gassistant_ref', 'gassistant_flags', 'create_date',
]

/** `=ilike` hands its value to SQL ILIKE as a pattern: `_` and `%` (common in emails) must match themselves. */
const ilikeLiteral = (value: string): string => value.replace(/[\\%_]/g, '\\$&')
/** Addresses Odoo's email_normalize turns into themselves (plain ASCII, lower case, as normalizeEmail makes them). */
const PLAIN_EMAIL = /^[a-z0-9._+-]+@[a-z0-9.-]+$/

/**
 * Leaves finding the records whose `field` equals one of `emails` ignoring case — a superset: callers re-check
 * each row. Plain addresses go in one `email_normalized in […]` leaf (indexed on crm.lead): one ILIKE leaf per
 * address made Postgres compare every record with every address of the batch (~2 ms per lead with 2,000 leads
 * in the table, growing with it). Any other address keeps its `=ilike` leaf, so nothing the single-lead search
 * found is missed (Odoo keeps the case of a non-ASCII local part in email_normalized).
 */
function emailLeaves(field: string, emails: readonly string[], normalized: boolean): unknown[][] {
  const plain = normalized ? emails.filter((e) => PLAIN_EMAIL.test(e)) : []
  const others = emails.filter((e) => !plain.includes(e)).map((e) => [field, '=ilike', ilikeLiteral(e)])
  return plain.length > 0 ? [['email_normalized', 'in', plain], ...others] : others
}
const or = (leaves: unknown[][]): unknown[] => [...Array<string>(Math.max(0, leaves.length - 1)).fill('|'), ...leaves]
const sameEmail = (stored: unknown, email: string): boolean => typeof stored === 'string' && stored.toLowerCase() === email.toLowerCase()
const unique = <T>(values: readonly (T | undefined)[]): T[] => [...new Set(values.filter((v): v is T => v !== undefined))]

/** Not won: `!=` is NULL-safe in Odoo's SQL (`probability != 100 OR probability IS NULL`), `<` is not, and a
 * new database's predictive scoring leaves probability NULL on API-created leads. */
const OPEN: unknown[][] = [['active', '=', true], ['probability', '!=', 100]]
const isOpen = (row: Row): boolean => row['active'] !== false && row['probability'] !== 100

/** Whether `row` answers `q` the way the single-lead domain would have (ref, or open + window + email/phone). */
function answers(row: Row, q: CandidateQuery, refField: string): boolean {
  if (row[refField] === q.ref) return true
  if (q.email === undefined && q.phone === undefined) return false
  if (!isOpen(row)) return false
  if (q.since !== undefined && !(typeof row['create_date'] === 'string' && row['create_date'] >= q.since)) return false
  return (q.email !== undefined && sameEmail(row['email_from'], q.email))
    || (q.phone !== undefined && (row['phone'] === q.phone || row['phone_sanitized'] === q.phone))
}

/** A failed call that may still have been executed by Odoo (its answer, not its work, was lost). */
const outcomeUnknown = (err: unknown): boolean => err instanceof OdooTimeoutError || err instanceof OdooTransportError

export function createLeadStore(odoo: OdooClient, options: CoalescerOptions = {}): LeadStore {
  const caps = (): ReturnType<() => OdooClient['capabilities']> => odoo.capabilities
  const refField = (): 'gassistant_ref' | 'referred' => (caps().hasAddon ? 'gassistant_ref' : 'referred')
  const leadFields = (): string[] => LEAD_FIELDS.filter((f) => caps().leadFields.has(f))
  const searchLeads = (domain: unknown[]): Promise<Row[]> =>
    odoo.searchRead<Row>('crm.lead', domain as never, { fields: leadFields(), order: 'id asc', context: { active_test: false } })

  const candidates = coalesce<CandidateQuery, Row[]>(async (queries) => {
    const ref = refField()
    const persons = queries.filter((q) => q.email !== undefined || q.phone !== undefined)
    const byRef: unknown[] = [ref, 'in', unique(queries.map((q) => q.ref))]
    let domain: unknown[] = [byRef]
    if (persons.length > 0) {
      const emails = unique(persons.map((q) => q.email))
      const phones = unique(persons.map((q) => q.phone))
      const identity = emailLeaves('email_from', emails, caps().leadFields.has('email_normalized'))
      if (phones.length > 0) {
        identity.push(['phone', 'in', phones])
        // Leads typed by people hold formatted numbers; Odoo keeps an E.164 copy in phone_sanitized.
        if (caps().leadFields.has('phone_sanitized')) identity.push(['phone_sanitized', 'in', phones])
      }
      const window: unknown[][] = persons.every((q) => q.since !== undefined)
        ? [['create_date', '>=', persons.map((q) => q.since as string).sort()[0]]]
        : []
      const open = [...OPEN, ...window]
      domain = ['|', byRef, ...Array<string>(open.length).fill('&'), ...open, ...or(identity)]
    }
    const rows = await searchLeads(domain)
    return queries.map((q) => rows.filter((row) => answers(row, q, ref)))
  }, options)


  const partner = coalesce<{ readonly email?: string; readonly phone?: string }, number | undefined>(async (people) => {
    const emails = unique(people.map((p) => p.email))
    const phones = unique(people.map((p) => p.phone))
    // res.partner has email_normalized wherever crm is installed (mail.thread.blacklist).
    const leaves = emailLeaves('email', emails, true)
    if (phones.length > 0) leaves.push(['phone', 'in', phones])
    if (leaves.length === 0) return people.map(() => undefined)
    const rows = await odoo.searchRead<Row>('res.partner', or(leaves) as never, { fields: ['email', 'phone'], order: 'id asc' })
    return people.map((p) => rows.find((r) => (p.email !== undefined && sameEmail(r['email'], p.email)) || (p.phone !== undefined && r['phone'] === p.phone))?.id)
  }, options)

  const hasNote = coalesce<{ readonly leadId: number; readonly marker: string }, boolean>(async (checks) => {
    const markers = unique(checks.map((c) => c.marker))
    const rows = await odoo.searchRead<Row>('mail.message', [
      ['model', '=', 'crm.lead'], ['res_id', 'in', unique(checks.map((c) => c.leadId))], ...or(markers.map((m) => ['body', 'ilike', m])),
    ] as never, { fields: ['res_id', 'body'] })
    return checks.map((c) => rows.some((r) => r['res_id'] === c.leadId && typeof r['body'] === 'string' && r['body'].toLowerCase().includes(c.marker.toLowerCase())))
  }, options)

  // Addon 17.0.1.2+: the same leads, chatter and notifications as `create`, without Odoo posting each lead's
  // "created" message one by one when nobody follows it (about half of a batch's time in Odoo).
  const createLeads = (batch: readonly Readonly<Record<string, unknown>>[]): Promise<number[]> => {
    const values = batch.map((v) => ({ ...v }))
    return caps().addonApi >= 2
      ? odoo.executeKw<number[]>('crm.lead', 'gassistant_create_leads', [], { vals_list: values })
      : odoo.createMany('crm.lead', values)
  }
  const createOne = async (values: Readonly<Record<string, unknown>>): Promise<number> => (await createLeads([values]))[0] as number
  const create = coalesce<Readonly<Record<string, unknown>>, number | Error>(async (batch) => {
    if (batch.length === 1) return [await createOne(batch[0] as Readonly<Record<string, unknown>>)]
    try {
      return await createLeads(batch)
    } catch (err) {
      if (outcomeUnknown(err)) throw err
      // Odoo answered with a fault: the whole batch was rolled back. Lead by lead, each gets its own answer.
      return Promise.all(batch.map((v) => createOne(v).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))))
    }
  }, options)

  const logNote = coalesce<{ readonly resId: number; readonly html: string; readonly recordName: string }, number>(
    (notes) => odoo.logNotes('crm.lead', notes),
    options,
  )

  let countries: Promise<{ byCode: Map<string, number>; byId: Map<number, string> }> | undefined
  function loadCountries(): Promise<{ byCode: Map<string, number>; byId: Map<number, string> }> {
    countries ??= odoo.searchRead<{ id: number; code: string | false }>('res.country', [], { fields: ['code'] }).then((rows) => ({
      byCode: new Map(rows.filter((r) => typeof r.code === 'string').map((r) => [(r.code as string).toUpperCase(), r.id])),
      byId: new Map(rows.filter((r) => typeof r.code === 'string').map((r) => [r.id, r.code as string])),
    }))
    countries.catch(() => { countries = undefined })
    return countries
  }

  return {
    get refField() { return refField() },
    get hasAddon() { return caps().hasAddon },
    candidates,
    // A reference alone is a candidates query without a person: it shares the batch (and the call) of
    // whatever other lead searches are waiting.
    byRef: async (ref) => (await candidates({ ref })).find((row) => row[refField()] === ref),
    partner: (person) => (person.email === undefined && person.phone === undefined ? Promise.resolve(undefined) : partner(person)),
    hasNote: (leadId, marker) => hasNote({ leadId, marker }),
    async create(values) {
      const id = await create(values)
      if (id instanceof Error) throw id
      return id
    },
    async write(leadId, values) {
      await odoo.write('crm.lead', [leadId], { ...values })
    },
    async logNote(leadId, html, recordName) {
      await logNote({ resId: leadId, html, recordName })
    },
    async withNote(html, recordName) {
      return [[0, 0, await odoo.noteValues('crm.lead', html, recordName)]]
    },
    countryId: async (code) => (await loadCountries()).byCode.get(code.toUpperCase()),
    countryCode: async (id) => (await loadCountries()).byId.get(id),
  }
}
