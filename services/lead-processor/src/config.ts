// The lead-processor's environment, as one TypeBox schema (names shared with DESIGN.md's contract).
// Secrets (ODOO_PASSWORD, META_APP_SECRET, META_PAGE_TOKENS) are never logged or echoed.
import { AmqpUrl, HttpUrl, LogLevel, Port, UrlSetting } from '@gassistant/runtime'
import { isSupportedCountry } from 'libphonenumber-js'
import Type, { type Static } from 'typebox'

export const LeadProcessorEnv = Type.Object({
  AMQP_URL: AmqpUrl,
  ODOO_URL: HttpUrl,
  ODOO_DB: Type.String({ minLength: 1 }),
  ODOO_USER: Type.String({ minLength: 1 }),
  ODOO_PASSWORD: Type.String({ minLength: 1 }),
  META_APP_SECRET: Type.String({ minLength: 1 }),
  /** JSON object: page id → page access token. */
  META_PAGE_TOKENS: Type.Record(Type.String(), Type.String(), { default: {} }),
  GRAPH_API_URL: UrlSetting(['http', 'https'], { default: 'https://graph.facebook.com/v25.0' }),
  PORT: Port(9101),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevel,
  /** Region for national phone forms: a country libphonenumber-js knows (ISO 3166 alpha-2, any case). */
  DEFAULT_PHONE_REGION: Type.Refine(
    Type.String({ default: 'SA' }),
    (value) => isSupportedCountry(value.toUpperCase()),
    () => 'must be a two-letter country code with a phone numbering plan, such as SA, AE or EG',
  ),
  /** JSON file: form id (Meta) or form key (web) → question key → crm.lead field. */
  FORM_MAPPING_FILE: Type.Optional(Type.String()),
  /** Text file of numbers not to call, one per line, any format, `#` comments. */
  DO_NOT_CALL_FILE: Type.Optional(Type.String()),
  /** Meta testing-tool leads: `flag` (synced with TEST_LEAD) or `reject` (lead.rejected.v1). */
  TEST_LEADS: Type.Union([Type.Literal('flag'), Type.Literal('reject')], { default: 'flag' }),
  /**
   * crm.lead type of new leads. `auto`: `lead` when Odoo's "Leads" setting is on for the hub user, else
   * `opportunity` — leads of type `lead` are hidden from the pipeline while that setting is off (a new database).
   */
  LEAD_TYPE: Type.Union([Type.Literal('auto'), Type.Literal('lead'), Type.Literal('opportunity')], { default: 'auto' }),
  /** Salesperson of new leads; unset = none (otherwise Odoo would make the API user the salesperson). */
  LEAD_USER_ID: Type.Optional(Type.Integer({ minimum: 1 })),
  /** An open lead of the same person created within this many days absorbs a new enquiry. */
  REPEAT_WINDOW_DAYS: Type.Number({ minimum: 0, default: 30 }),
  LOCK_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 15_000 }),
  /** Events in flight per replica; Odoo calls are batched across them (default 200, batches of up to 100). */
  PREFETCH: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Comma-separated retry delays in ms; the last repeats until the budget is spent (default: the bus's 1 s, 5 s, 30 s, 60 s, 300 s). */
  RETRY_DELAYS_MS: Type.Optional(Type.String({ pattern: '^[0-9]+(,[0-9]+)*$' })),
  /** How long after its first failure an event is still retried before it is parked (default: the bus's 6 h). */
  RETRY_BUDGET_HOURS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Minutes between two reconciliations of every page's forms with Odoo (0: none). A lost webhook becomes a lead within this. */
  META_RECONCILE_INTERVAL_MINUTES: Type.Number({ minimum: 0, default: 15 }),
  /** Each reconciliation reads the leads created in this many past hours (more when a form's checkpoint is older). */
  META_RECONCILE_WINDOW_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  /** Slack channel told once when a page token expired (unset: the notifier's default channel). */
  SLACK_OPS_CHANNEL: Type.Optional(Type.String({ minLength: 1 })),
  /** Conversions API for CRM: the dataset (pixel) id that receives lead stages. Unset: no conversion feedback. */
  META_DATASET_ID: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  /** The system-user token that may send events to META_DATASET_ID. */
  META_CAPI_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  /** JSON object: Odoo stage name → Meta event name, in funnel order (earlier stages are sent first when skipped). */
  META_CAPI_STAGES: Type.Record(Type.String(), Type.String({ minLength: 1 }), {
    default: { New: 'Initial Lead', Qualified: 'Qualified', Proposition: 'Proposition', Won: 'Won' },
  }),
  /** custom_data.lead_event_source: the CRM's name as Meta shows it. */
  META_CAPI_CRM_NAME: Type.String({ minLength: 1, default: 'Odoo' }),
  /** Events Manager's test code: events show in its Test Events view (unset in production). */
  META_CAPI_TEST_EVENT_CODE: Type.Optional(Type.String({ minLength: 1 })),
})

export type LeadProcessorConfig = Static<typeof LeadProcessorEnv>

/** Everything but the broker: what the wiring reads. `pnpm start` may run the service on an in-process bus. */
export const LeadProcessorSettings = Type.Omit(LeadProcessorEnv, ['AMQP_URL'])
export type LeadProcessorSettings = Static<typeof LeadProcessorSettings>
