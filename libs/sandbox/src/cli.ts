/**
 * `pnpm sandbox`: starts the Odoo, Graph and Slack stand-ins and prints where they listen and the
 * credentials to use, until Ctrl-C. Ports: SANDBOX_ODOO_PORT (8169), SANDBOX_GRAPH_PORT (8170),
 * SANDBOX_SLACK_PORT (8171); 0 = random. SANDBOX_ODOO_ADDON=0 starts Odoo without the addon fields.
 * Prints only the stand-ins' own test credentials: a secret you set yourself (META_APP_SECRET,
 * SLACK_BOT_TOKEN) is never echoed. The only file here with process side effects.
 */
import { fixtureJson } from '@gassistant/test-support';
import { startGraphStandIn, startOdooStandIn, startSlackStandIn, type GraphLead } from './index.js';

const port = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

/** Your own value when set (never printed), else the stand-in's test value (printed, so you can copy it). */
const secret = (name: string, fallback: string): { value: string; shown: string } => {
  const own = process.env[name];
  return own === undefined || own === '' ? { value: fallback, shown: `${name}=${fallback}` } : { value: own, shown: `${name}=(yours)` };
};
const appSecret = secret('META_APP_SECRET', 'test-app-secret');
const pageId = '104857600112233';
const pageToken = 'sandbox-page-token';
const slackToken = secret('SLACK_BOT_TOKEN', 'xoxb-sandbox-token');

const odoo = await startOdooStandIn({ addonInstalled: process.env['SANDBOX_ODOO_ADDON'] !== '0', port: port('SANDBOX_ODOO_PORT', 8169), apiKey: 'sandbox-odoo-api-key' });
const graph = await startGraphStandIn({ appSecret: appSecret.value, pageTokens: { [pageId]: pageToken }, port: port('SANDBOX_GRAPH_PORT', 8170) });
// The leads behind the shared webhook fixtures (meta-leadgen-webhook*.json), so they can be followed end to end.
graph.addLead({ ...fixtureJson<Omit<GraphLead, 'page_id'>>('meta-lead-graph-response.json'), page_id: pageId });
graph.addLead({ ...fixtureJson<Omit<GraphLead, 'page_id'>>('meta-lead-graph-response-minimal.json'), form_id: '987654321098765', page_id: pageId });
const slack = await startSlackStandIn({ token: slackToken.value, port: port('SANDBOX_SLACK_PORT', 8171) });

process.stdout.write(
  [
    'G-Assistant sandbox is running (Ctrl-C to stop)',
    `  Odoo ${odoo.version}   ODOO_URL=${odoo.url} ODOO_DB=${odoo.db} ODOO_USER=${odoo.username} ODOO_PASSWORD=${odoo.password}  (API key: ${odoo.apiKey})`,
    `  Graph API   GRAPH_API_URL=${graph.url}  (leads 2100000000000001 and …003 of page ${pageId} loaded)`,
    `              ${appSecret.shown} META_PAGE_TOKENS='${JSON.stringify({ [pageId]: pageToken })}'`,
    `  Slack       SLACK_API_URL=${slack.url} ${slackToken.shown}  (user sara@example.com → U0SARA0001; channels C0GENERAL, C0LEADS)`,
    '',
  ].join('\n'),
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void Promise.all([odoo.close(), graph.close(), slack.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
