// Public surface of @gassistant/notifier: its wiring (used by main.ts and the all-in-one hub), the service
// factory, its configuration schemas, the routing file, the Slack client and the message builder.
export { SERVICE, createNotifier, deliveredEventId, failedEventId } from './service.js'
export type { Notifier, NotifierDeps, NotifierReadiness } from './service.js'
export { NotifierEnv, NotifierSettings, SLACK_PUBLIC_API_URL } from './config.js'
export type { NotifierConfig } from './config.js'
export { wireNotifier } from './wiring.js'
export type { NotifierWiring } from './wiring.js'
export { NO_ROUTES, RoutesFile, loadRoutes, parseRoutes } from './routes-file.js'
export { createSlack, METADATA_EVENT_TYPE, SLACK_DEPENDENCY } from './slack.js'
export type { Slack } from './slack.js'
export { ACTION_IDS, buildMessage, isolate, whatsappLink, leadUrl } from './message.js'
export type { Block, SlackMessageContent } from './message.js'
