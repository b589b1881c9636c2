// Defaults of the all-in-one local hub shared by start.ts and demo.ts: ports, test secrets and the
// sample people the demo sends. Local use only: production never reads these (every service takes its
// configuration from the environment).

/** The hub's PORT when unset: the ingress listens there, the rest on the ports after it. */
export const DEFAULT_PORT = 8080

/**
 * Every port `pnpm start` listens on, from its PORT: the ingress on PORT, the lead-processor's health and
 * metrics on PORT+1, the Odoo and Graph stand-ins on PORT+2 and PORT+3, the scoring service's health and
 * metrics on PORT+4, the notifier's on PORT+6, the Slack stand-in on PORT+7 and the dashboard on PORT+8 (PORT+5
 * belongs to workflow-rules). So a second hub with another
 * PORT collides with nothing, and `pnpm demo` with the same PORT finds the first one. PORT=0: the system
 * chooses every port (the hub prints them).
 */
export function localPorts(port: number): { ingress: number; processor: number; odoo: number; graph: number; scoring: number; notifier: number; slack: number; dashboard: number } {
  if (port === 0) return { ingress: 0, processor: 0, odoo: 0, graph: 0, scoring: 0, notifier: 0, slack: 0, dashboard: 0 }
  return { ingress: port, processor: port + 1, odoo: port + 2, graph: port + 3, scoring: port + 4, notifier: port + 6, slack: port + 7, dashboard: port + 8 }
}

/** The highest PORT the hub accepts: its last port (the dashboard's) must still be a port. */
export const MAX_PORT = 65_535 - 8

export const LOCAL = {
  metaAppSecret: 'test-app-secret',
  metaVerifyToken: 'test-verify-token',
  odooWebhookSecret: 'test-odoo-secret',
  formKey: 'website',
  formSecret: 'test-form-secret',
  pageId: '104857600112233',
  pageToken: 'local-page-token',
  odooDb: 'gassistant',
  odooUser: 'admin',
  odooPassword: 'admin',
  slackBotToken: 'xoxb-local-token',
  slackSigningSecret: 'test-slack-signing-secret',
  slackDefaultChannel: 'C0GENERAL',
} as const

/** Meta leads the Graph stand-in serves, so the demo's webhooks can be read back like real ones. */
export const SAMPLE_META_LEADS = [
  {
    id: '2100000000000001',
    created_time: '2026-01-08T10:29:59+0000',
    form_id: '987654321098765',
    page_id: LOCAL.pageId,
    ad_id: '120210000000000011',
    ad_name: 'عرض رمضان - فيديو 1',
    campaign_name: 'حملة رمضان 2026 / Ramadan',
    is_organic: false,
    platform: 'ig',
    field_data: [
      { name: 'full_name', values: ['  محمد عبدالله القحطاني '] },
      { name: 'email', values: ['M.Qahtani@Gmail.com '] },
      { name: 'phone_number', values: ['٠٥٥١٢٣٤٥٦٧'] },
      { name: 'city', values: ['الرياض'] },
      { name: 'ما_هي_ميزانيتك؟', values: ['10,000 - 50,000 ريال'] },
    ],
  },
  {
    id: '2100000000000002',
    created_time: '2026-01-08T10:31:35+0000',
    form_id: '987654321098765',
    page_id: LOCAL.pageId,
    is_organic: true,
    platform: 'fb',
    field_data: [
      { name: 'full_name', values: ['Layla Hassan'] },
      { name: 'email', values: ['layla.hassan@example.ae'] },
      { name: 'phone_number', values: ['+971 50 123 4567'] },
      { name: 'company_name', values: ['Desert Rose Trading'] },
    ],
  },
]
