// The calendar read from Odoo (`"calendar": {"fromOdoo": true}`): the company's resource.calendar — its zone,
// its attendances as the week (lunch lines left out) and company-wide leaves as whole-day holidays.
import t from 'tap'
import { createOdooClient } from '@gassistant/odoo'
import { startOdooStandIn } from '@gassistant/sandbox'
import { createCalendarSource, specOfOdooCalendar } from '../src/index.js'

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
  const source = createCalendarSource({ fromOdoo: true }, odoo, () => new Date('2026-12-01T00:00:00Z'))
  const calendar = await source()
  t.equal(calendar.spec.timeZone, 'Africa/Cairo')
  // Thursday 3 December 16:00 Cairo + 2 working hours: 1 h Thursday, Friday off, weekend, Monday 09:00.
  t.equal(calendar.formatLocal(calendar.addWorkingHours(new Date('2026-12-03T14:00:00Z'), 2)), 'Mon 2026-12-07 09:00 (Africa/Cairo)')
  t.equal(await source(), calendar, 'read once, kept for an hour')
})
