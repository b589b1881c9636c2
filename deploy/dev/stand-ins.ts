// The Graph API and Slack stand-ins of docker compose's dev profile (docker-compose.dev.yml), reachable by
// the other containers: the Graph stand-in serves the leads `pnpm demo` announces, so `docker compose up`
// plus `pnpm demo` runs end to end on a laptop with no Meta or Slack account. Test secrets only.
import { startGraphStandIn, startSlackStandIn } from '@gassistant/sandbox'
import { LOCAL, SAMPLE_META_LEADS } from '../../apps/hub/src/local.js'

const host = '0.0.0.0'
const graph = await startGraphStandIn({
  appSecret: LOCAL.metaAppSecret,
  pageTokens: { [LOCAL.pageId]: LOCAL.pageToken },
  port: Number(process.env['GRAPH_PORT'] ?? 8170),
  host,
})
for (const lead of SAMPLE_META_LEADS) graph.addLead(lead)
const slack = await startSlackStandIn({ token: process.env['SLACK_BOT_TOKEN'] ?? 'xoxb-sandbox-token', port: Number(process.env['SLACK_PORT'] ?? 8171), host })
process.stdout.write(`stand-ins: Graph API on :${new URL(graph.url).port}, Slack on :${new URL(slack.url).port}\n`)

const stop = (): void => void Promise.all([graph.close(), slack.close()]).then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
