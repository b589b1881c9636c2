/**
 * @gassistant/sandbox — protocol-faithful local stand-ins for Odoo (XML-RPC + JSON-2), the Meta Graph API and
 * Slack, for tests and `pnpm sandbox`. Never used in production paths. See README.md for what they do not model.
 */
export { benchOdoo, type BenchOdoo } from './bench-odoo.js';
export { startOdooStandIn, type OdooStandIn, type OdooStandInOptions, type FailKind, type CallLog } from './odoo/server.js';
export type { ServerLogLine, StandInUser } from './odoo/dispatch.js';
export { startGraphStandIn, graphError, type GraphStandIn, type GraphStandInOptions, type GraphLead, type GraphForm, type GraphCampaignSpend, type GraphRequest, type GraphRateLimitCode, type ConversionEvent, type ConversionRequest } from './graph/server.js';
export { startSlackStandIn, type SlackStandIn, type SlackStandInOptions, type SlackMessage, type SlackRequest } from './slack/server.js';
export { blockActionsPayload, sendInteraction, slackSignature, type BlockActionClick, type SendInteractionOptions } from './slack/interaction.js';
