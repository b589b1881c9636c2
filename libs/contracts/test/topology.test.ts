// The hub's topology table: who consumes what. Subscriptions, publishers' declarations and the
// RabbitMQ definitions all derive from it, so its shape is checked here once.
import t from 'tap'
import { DEFAULT_QUEUE_BOUND, DEFAULT_RETRY, EventType, HUB_TOPOLOGY, isEventType } from '@gassistant/contracts'

t.test('only services that consume today are declared: no queue fills up without a reader', async (t) => {
  t.same(Object.keys(HUB_TOPOLOGY), ['lead-processor', 'scoring', 'notifier', 'workflow-rules'])
})

t.test('workflow-rules takes synced and scored leads, Odoo lead changes and Odoo order changes, with the default policy', async (t) => {
  t.same(HUB_TOPOLOGY['workflow-rules'], {
    service: 'workflow-rules',
    bindings: [EventType.LeadSynced, EventType.LeadScored, EventType.OdooLead, EventType.OdooOrder],
    retry: DEFAULT_RETRY,
    queueType: 'quorum',
    bound: DEFAULT_QUEUE_BOUND,
  })
})

t.test('scoring takes synced leads, WhatsApp messages and Odoo lead changes, with the default policy on a bounded quorum queue', async (t) => {
  t.same(HUB_TOPOLOGY.scoring, {
    service: 'scoring',
    bindings: [EventType.LeadSynced, EventType.WhatsAppMessage, EventType.OdooLead],
    retry: DEFAULT_RETRY,
    queueType: 'quorum',
    bound: DEFAULT_QUEUE_BOUND,
  })
})

t.test('the notifier takes notification requests and Slack button clicks, with the default policy on a bounded quorum queue', async (t) => {
  t.same(HUB_TOPOLOGY.notifier, {
    service: 'notifier',
    bindings: [EventType.NotificationRequested, EventType.SlackAction],
    retry: DEFAULT_RETRY,
    queueType: 'quorum',
    bound: DEFAULT_QUEUE_BOUND,
  })
})

t.test('the lead-processor takes the three inbound lead signals, with the default policy on a bounded quorum queue', async (t) => {
  t.same(HUB_TOPOLOGY['lead-processor'], {
    service: 'lead-processor',
    bindings: [EventType.MetaLeadgen, EventType.WhatsAppMessage, EventType.FormSubmitted, EventType.OdooLead],
    retry: DEFAULT_RETRY,
    queueType: 'quorum',
    bound: DEFAULT_QUEUE_BOUND,
  })
})

t.test('every declaration is named by its key and binds known event types only', async (t) => {
  for (const [key, declaration] of Object.entries(HUB_TOPOLOGY)) {
    t.equal(declaration.service, key)
    t.ok(declaration.bindings.length > 0 && declaration.bindings.every(isEventType), `${key} binds event types`)
  }
  t.ok(Object.isFrozen(HUB_TOPOLOGY) && Object.isFrozen(HUB_TOPOLOGY['lead-processor'].bindings), 'the table cannot be changed at run time')
})
