// The working-time calendar: weekends, holidays inside the span, starts outside hours, Ramadan hours, and the
// three markets' zones (Asia/Riyadh, Asia/Dubai, Africa/Cairo across both of its 2026 daylight-saving changes).
import t from 'tap'
import { CalendarError, createCalendar, type CalendarSpec } from '../src/calendar/index.js'

const SUN_THU_9_17: CalendarSpec['week'] = {
  sun: [['09:00', '17:00']], mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']],
}
const riyadh = createCalendar({
  timeZone: 'Asia/Riyadh',
  week: SUN_THU_9_17,
  // Ramadan 1447 (2026): shorter days; Eid al-Fitr and National Day off.
  periods: [{ name: 'Ramadan', from: '2026-02-18', to: '2026-03-19', week: { sun: [['10:00', '15:00']], mon: [['10:00', '15:00']], tue: [['10:00', '15:00']], wed: [['10:00', '15:00']], thu: [['10:00', '15:00']] } }],
  holidays: [{ name: 'Eid al-Fitr', from: '2026-03-20', to: '2026-03-24' }, '2026-09-23'],
})
const dubai = createCalendar({
  timeZone: 'Asia/Dubai',
  week: { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '12:00']] },
})
const cairo = createCalendar({ timeZone: 'Africa/Cairo', week: SUN_THU_9_17 })
const iso = (date: Date): string => date.toISOString()

t.test('Asia/Riyadh: Sunday–Thursday, Friday and Saturday off', async (t) => {
  // Thursday 3 Dec 2026 16:30 +03:00: 30 minutes left on Thursday, 90 on Sunday.
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-03T13:30:00Z'), 2)), '2026-12-06T07:30:00.000Z', 'Thursday 16:30 + 2 h = Sunday 10:30')
  t.equal(riyadh.formatLocal(new Date('2026-12-06T07:30:00Z')), 'Sun 2026-12-06 10:30 (Asia/Riyadh)')
  t.equal(riyadh.workingMinutesBetween(new Date('2026-12-03T13:30:00Z'), new Date('2026-12-06T07:30:00Z')), 120, 'and back: 120 working minutes')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-01T06:00:00Z'), 2)), '2026-12-01T08:00:00.000Z', 'inside a day: plain addition')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-01T12:00:00Z'), 2)), '2026-12-01T14:00:00.000Z', 'ending exactly at the close gives the close, not the next morning')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-01T12:00:00Z'), 2.5)), '2026-12-02T06:30:00.000Z', 'a fraction carries into the next morning')
})

t.test('a start outside working hours counts from the next opening', async (t) => {
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-01T03:00:00Z'), 1)), '2026-12-01T07:00:00.000Z', 'Tuesday 06:00 + 1 h = Tuesday 10:00')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-01T18:00:00Z'), 1)), '2026-12-02T07:00:00.000Z', 'Tuesday 21:00 + 1 h = Wednesday 10:00')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-12-04T09:00:00Z'), 1)), '2026-12-06T07:00:00.000Z', 'Friday (weekend) + 1 h = Sunday 10:00')
  t.equal(iso(riyadh.nextWorkingInstant(new Date('2026-12-05T09:00:00Z'))), '2026-12-06T06:00:00.000Z', 'Saturday → Sunday 09:00')
  t.equal(iso(riyadh.nextWorkingInstant(new Date('2026-12-06T08:00:00Z'))), '2026-12-06T08:00:00.000Z', 'inside hours: itself')
  t.equal(riyadh.workingMinutesBetween(new Date('2026-12-04T00:00:00Z'), new Date('2026-12-05T23:00:00Z')), 0, 'a weekend holds no working time')
  t.equal(riyadh.addWorkingHours(new Date('2026-12-04T09:00:00Z'), 0).toISOString(), '2026-12-04T09:00:00.000Z', 'zero hours: the same instant')
})

t.test('a holiday inside the span is skipped', async (t) => {
  // Tuesday 22 Sep 2026 16:00; Wednesday 23 Sep is National Day.
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-09-22T13:00:00Z'), 4)), '2026-09-24T09:00:00.000Z', 'Tuesday 16:00 + 4 h = Thursday 12:00')
  t.equal(riyadh.workingMinutesBetween(new Date('2026-09-22T13:00:00Z'), new Date('2026-09-24T09:00:00Z')), 240)
  // Eid al-Fitr, Friday 20 to Tuesday 24 March, after the last Ramadan day (Thursday 19 March, 10:00–15:00).
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-03-19T11:00:00Z'), 2)), '2026-03-25T07:00:00.000Z', 'Ramadan Thursday 14:00 + 2 h = Wednesday after Eid, 10:00')
})

t.test('Ramadan hours replace the week during their period', async (t) => {
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-02-18T09:00:00Z'), 6)), '2026-02-19T10:00:00.000Z', 'Wednesday 12:00 + 6 h = Thursday 13:00 on 10:00–15:00 days')
  t.equal(iso(riyadh.addWorkingHours(new Date('2026-02-17T13:00:00Z'), 2)), '2026-02-18T08:00:00.000Z', 'the last normal day then the first Ramadan day (opens at 10:00)')
  t.equal(riyadh.workingMinutesBetween(new Date('2026-02-18T00:00:00Z'), new Date('2026-02-19T00:00:00Z')), 300, 'a Ramadan day is 5 hours')
})

t.test('working days keep the point of the working day', async (t) => {
  t.equal(iso(riyadh.addWorkingDays(new Date('2026-12-01T08:00:00Z'), 3)), '2026-12-06T08:00:00.000Z', 'Tuesday 11:00 + 3 days = Sunday 11:00')
  t.equal(iso(riyadh.addWorkingDays(new Date('2026-12-03T15:00:00Z'), 3)), '2026-12-09T06:00:00.000Z', 'after hours Thursday counts from Sunday 09:00: Wednesday 09:00')
  t.equal(iso(riyadh.addWorkingDays(new Date('2026-09-21T08:00:00Z'), 2)), '2026-09-24T08:00:00.000Z', 'the holiday is not a working day')
  t.equal(iso(riyadh.addWorkingDays(new Date('2026-02-17T13:00:00Z'), 1)), '2026-02-18T12:00:00.000Z', '7 h into a normal day, 1 day later in Ramadan: its close (15:00)')
  t.equal(iso(riyadh.addWorkingDays(new Date('2026-12-01T08:00:00Z'), 0)), '2026-12-01T08:00:00.000Z', 'zero days inside hours: the same instant')
})

t.test('Asia/Dubai: Monday–Friday with a short Friday', async (t) => {
  t.equal(iso(dubai.addWorkingHours(new Date('2026-12-04T06:00:00Z'), 5)), '2026-12-07T07:00:00.000Z', 'Friday 10:00 + 5 h = Monday 11:00 (2 h Friday, weekend, 3 h Monday)')
  t.equal(dubai.workingMinutesBetween(new Date('2026-12-04T00:00:00Z'), new Date('2026-12-07T00:00:00Z')), 240, 'Friday holds 4 hours, the weekend none')
  t.equal(dubai.formatLocal(new Date('2026-12-07T07:00:00Z')), 'Mon 2026-12-07 11:00 (Asia/Dubai)')
})

t.test('Africa/Cairo across its daylight-saving changes', async (t) => {
  // Summer time starts Friday 24 April 2026 at 00:00 (UTC+2 → UTC+3).
  t.equal(iso(cairo.addWorkingHours(new Date('2026-04-23T14:00:00Z'), 2)), '2026-04-26T07:00:00.000Z', 'Thursday 16:00 EET + 2 h = Sunday 10:00 EEST')
  t.equal(cairo.formatLocal(new Date('2026-04-26T07:00:00Z')), 'Sun 2026-04-26 10:00 (Africa/Cairo)')
  // Summer time ends Thursday 29 October 2026 at 24:00 (UTC+3 → UTC+2).
  t.equal(iso(cairo.addWorkingHours(new Date('2026-10-29T13:00:00Z'), 2)), '2026-11-01T08:00:00.000Z', 'Thursday 16:00 EEST + 2 h = Sunday 10:00 EET')
  t.equal(cairo.workingMinutesBetween(new Date('2026-10-29T13:00:00Z'), new Date('2026-11-01T08:00:00Z')), 120)
  // A round-the-clock calendar sees the lost hour: 24 working hours from Thursday noon end Friday 13:00.
  const allDay = createCalendar({ timeZone: 'Africa/Cairo', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) })
  t.equal(allDay.formatLocal(allDay.addWorkingHours(new Date('2026-04-23T10:00:00Z'), 24)), 'Fri 2026-04-24 13:00 (Africa/Cairo)', 'the skipped hour is not worked')
  t.equal(allDay.workingMinutesBetween(new Date('2026-04-23T22:00:00Z'), new Date('2026-04-24T21:00:00Z')), 23 * 60, 'Friday 24 April lasts 23 hours')
  t.equal(allDay.workingMinutesBetween(new Date('2026-10-29T21:00:00Z'), new Date('2026-10-30T22:00:00Z')), 25 * 60, 'Friday 30 October (from the Thursday 24:00 change) lasts 25 hours')
})

t.test('a bad calendar names its problem', async (t) => {
  const cases: [CalendarSpec, RegExp][] = [
    [{ timeZone: 'Asia/Atlantis', week: SUN_THU_9_17 }, /timeZone: "Asia\/Atlantis" is not an IANA time zone/],
    [{ timeZone: 'Asia/Riyadh', week: { sun: [['9am', '17:00']] } }, /week\.sun: "9am" is not a time HH:MM/],
    [{ timeZone: 'Asia/Riyadh', week: { sun: [['17:00', '09:00']] } }, /week\.sun: 17:00–09:00 ends before it starts/],
    [{ timeZone: 'Asia/Riyadh', week: { sun: [['09:00', '13:00'], ['12:00', '17:00']] } }, /overlaps/],
    [{ timeZone: 'Asia/Riyadh', week: {} }, /week: no working hours on any day/],
    [{ timeZone: 'Asia/Riyadh', week: SUN_THU_9_17, holidays: ['2026-13-01'] }, /holidays\.0: "2026-13-01" is not a date/],
    [{ timeZone: 'Asia/Riyadh', week: SUN_THU_9_17, periods: [{ from: '2026-03-01', to: '2026-02-01', week: {} }] }, /periods\.0: ends before it starts/],
  ]
  for (const [spec, message] of cases) t.throws(() => createCalendar(spec), { name: 'CalendarError', message }, message.source)
  const alwaysOff = createCalendar({ timeZone: 'Asia/Riyadh', week: SUN_THU_9_17, holidays: [{ from: '2026-01-01', to: '2030-12-31' }] })
  t.throws(() => alwaysOff.addWorkingHours(new Date('2026-06-01T00:00:00Z'), 1), CalendarError, 'a calendar with no working time left fails instead of looping')
  t.throws(() => riyadh.addWorkingHours(new Date(), -1), /0 or more/)
  t.throws(() => riyadh.addWorkingDays(new Date(), 1.5), /whole number/)
})
