// The pipeline bench's load generator, in a process of its own (forked by pipeline.ts): the Graph API
// stand-in Meta leads are read from, and the posters sending signed webhooks to the ingress. Kept out of
// the hub's process so the bench measures the hub — its event loop and CPU — not the load it is given.
// Talks to its parent over the IPC channel: `start` → `ready` (the stand-in's URL), `round` → `accepted`
// (every webhook answered 2xx), `close` → exit.
import { createHmac } from 'node:crypto'
import { startGraphStandIn, type GraphLead } from '@gassistant/sandbox'

export interface BenchPerson {
  readonly leadgenId: string
  readonly name: string
  readonly email: string
  readonly phone: string
  readonly platform: string
}

export type ToGenerator =
  | { readonly type: 'start'; readonly appSecret: string; readonly pageId: string; readonly pageToken: string; readonly formId: string; readonly campaign: string }
  | { readonly type: 'round'; readonly ingress: string; readonly people: readonly BenchPerson[]; readonly concurrency: number }
  | { readonly type: 'close' }

export type FromGenerator =
  | { readonly type: 'ready'; readonly graphUrl: string }
  | { readonly type: 'accepted' }
  | { readonly type: 'failed'; readonly message: string }

const send = (message: FromGenerator): void => void process.send?.(message)

let graph: Awaited<ReturnType<typeof startGraphStandIn>> | undefined
let setup: Extract<ToGenerator, { type: 'start' }> | undefined

async function round(message: Extract<ToGenerator, { type: 'round' }>): Promise<void> {
  const s = setup as Extract<ToGenerator, { type: 'start' }>
  for (const p of message.people) {
    const lead: GraphLead = {
      id: p.leadgenId, created_time: '2026-01-08T10:29:59+0000', form_id: s.formId, page_id: s.pageId, platform: p.platform, is_organic: false, campaign_name: s.campaign,
      field_data: [{ name: 'full_name', values: [p.name] }, { name: 'email', values: [p.email] }, { name: 'phone_number', values: [p.phone] }, { name: 'ما_هي_ميزانيتك؟', values: ['10,000 - 50,000 ريال'] }],
    }
    graph?.addLead(lead)
  }
  let next = 0
  async function poster(): Promise<void> {
    while (next < message.people.length) {
      const p = message.people[next++] as BenchPerson
      const body = JSON.stringify({ object: 'page', entry: [{ id: s.pageId, time: 1767868201, changes: [{ field: 'leadgen', value: { leadgen_id: p.leadgenId, page_id: s.pageId, form_id: s.formId, created_time: 1767868199 } }] }] })
      const res = await fetch(`${message.ingress}/webhooks/meta`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', s.appSecret).update(body).digest('hex')}` } })
      if (!res.ok) throw new Error(`ingress answered ${res.status}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: message.concurrency }, poster))
}

process.on('message', (message: ToGenerator) => {
  void (async () => {
    try {
      if (message.type === 'start') {
        setup = message
        graph = await startGraphStandIn({ appSecret: message.appSecret, pageTokens: { [message.pageId]: message.pageToken } })
        send({ type: 'ready', graphUrl: graph.url })
      } else if (message.type === 'round') {
        await round(message)
        send({ type: 'accepted' })
      } else {
        await graph?.close()
        process.disconnect()
      }
    } catch (err) {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
    }
  })()
})
