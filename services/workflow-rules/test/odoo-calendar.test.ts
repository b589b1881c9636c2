// The calendar read from Odoo (`"calendar": {"fromOdoo": true}`): the company's resource.calendar — its zone,
// its attendances as the week (lunch lines left out) and company-wide leaves as whole-day holidays.
import t from 'tap'
import { createOdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { createCalendarSource, createClaims, createOdooRecords, explainLead, formatExplanation, loadRules, parseRules, specOfOdooCalendar } from '../src/index.js'

t.test('a resource.calendar as a calendar spec', async (t) => {
  const spec = specOfOdooCalendar('Asia/Riyadh', [
    { dayofweek: '6', hour_from: 8, hour_to: 12, day_period: 'morning', display_type: false },
    { dayofweek: '6', hour_from: 12, hour_to: 13, day_period: 'lunch', display_type: false },
    { dayofweek: '6', hour_from: 13, hour_to: 17, day_period: 'afternoon', display_type: false },
    { dayofweek: '0', hour_from: 8.5, hour_to: 12, day_period: 'morning', display_type: false },
    { dayofweek: '0', hour_from: 12, hour_to: 16.5, day_period: 'afternoon', display_type: false },
    { dayofweek: '3', hour_from: 0, hour_to: 0, day_period: 'morning', display_type: 'line_section' },
    { dayofweek: '3', hour_from: 9, hour_to: 23.99, day_period: 'morning', display_type: false },
  ], [{ date_from: '2026-09-22 21:00:00', date_to: '2026-09-23 21:00:00' }])
  t.same(spec, {
    timeZone: 'Asia/Riyadh',
    week: { sun: [['08:00', '12:00'], ['13:00', '17:00']], mon: [['08:30', '16:30']], thu: [['09:00', '24:00']] },
    holidays: [{ from: '2026-09-23', to: '2026-09-23' }],
  }, 'Odoo 0 = Monday, 6 = Sunday; touching lines join; 23.99 is the end of the day; a leave in UTC is its local day')
})

t.test('read from the stand-in: the company calendar and its leaves', async (t) => {
  const odooServer = await startOdooStandIn()
  t.teardown(() => odooServer.close())
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password })
  t.teardown(() => odoo.close())
  await odoo.write('resource.calendar', [1], { tz: 'Africa/Cairo' })
  // Friday 4 December 2026 off, company-wide (no resource).
  await odoo.create('resource.calendar.leaves', { name: 'Company day off', calendar_id: 1, date_from: '2026-12-03 22:00:00', date_to: '2026-12-04 22:00:00' })
  const source = createCalendarSource({ calendar: { fromOdoo: true } }, odoo, () => new Date('2026-12-01T00:00:00Z'))
  const calendar = await source()
  t.equal(calendar.spec.timeZone, 'Africa/Cairo')
  // Thursday 3 December 16:00 Cairo + 2 working hours: 1 h Thursday, Friday off, weekend, Monday 09:00.
  t.equal(calendar.formatLocal(calendar.addWorkingHours(new Date('2026-12-03T14:00:00Z'), 2)), 'Mon 2026-12-07 09:00 (Africa/Cairo)')
  t.equal(await source(), calendar, 'read once, kept for an hour')
})

t.test('a team with a calendar of its own: its timers count in its zone and week', async (t) => {
  const odooServer = await startOdooStandIn({ now: () => new Date('2026-12-04T06:00:00Z') })
  t.teardown(() => odooServer.close())
  const odoo = createOdooClient({ url: odooServer.url, db: odooServer.db, username: odooServer.username, password: odooServer.password })
  t.teardown(() => odoo.close())
  const rules = parseRules({
    ...(await loadRules()),
    teamCalendars: { 'dubai sales': { timeZone: 'Asia/Dubai', week: { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '12:00']] } } },
  })
  const dubai = await odoo.create('crm.team', { name: 'Dubai Sales' })
  // Friday 4 December 2026, 10:00 in Dubai: Riyadh's team is off (weekend), Dubai's works until noon.
  const riyadhLead = await odoo.create('crm.lead', { name: 'Riyadh lead', type: 'opportunity', team_id: 1 })
  const dubaiLead = await odoo.create('crm.lead', { name: 'Dubai lead', type: 'opportunity', team_id: dubai })
  const deps = { rules, records: createOdooRecords(odoo), claims: createClaims(odoo), calendar: createCalendarSource(rules, odoo, () => new Date()), now: () => new Date('2026-12-04T06:00:00Z') }
  const first = async (leadId: number): Promise<string | undefined> => formatExplanation((await explainLead(deps, leadId))!).find((line) => line.startsWith('no-first-response:'))
  t.match(await first(riyadhLead), /timer due Sun 2026-12-06 11:00 \(Asia\/Riyadh\)/, 'Sales counts in the default calendar')
  t.match(await first(dubaiLead), /timer due Fri 2026-12-04 12:00 \(Asia\/Dubai\)/, 'Dubai Sales (named case-insensitively) in its own')
  t.throws(() => parseRules({ ...rules, teamCalendars: { Cairo: { timeZone: 'Africa/Kairo', week: { sun: [['09:00', '17:00']] } } } }), { message: 'teamCalendars.Cairo.timeZone: "Africa/Kairo" is not an IANA time zone' })
})
