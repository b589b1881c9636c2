// Working-time arithmetic on a team's calendar: add N working hours or days to an instant, and measure the
// working time between two instants. A calendar is a time zone, the hours of each weekday, dated periods with
// other hours (Ramadan) and holidays; every local time is turned into an instant by luxon with the zone's
// rules, so daylight-saving changes (Africa/Cairo) are exact. Pure: no clock, no I/O — `now` is the caller's.
import { DateTime } from 'luxon'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** Local "HH:MM" pairs, e.g. [["09:00", "13:00"], ["14:00", "18:00"]]; "24:00" ends a day at midnight. */
export type DayHours = readonly (readonly [string, string])[]
export type WeekHours = Partial<Readonly<Record<Weekday, DayHours>>>

export interface CalendarSpec {
  /** IANA zone, e.g. Asia/Riyadh. */
  readonly timeZone: string
  /** Working hours per weekday; a weekday left out is not worked. */
  readonly week: WeekHours
  /** Dated periods (inclusive local dates) whose week replaces `week`, e.g. Ramadan's shorter days. */
  readonly periods?: readonly { readonly name?: string; readonly from: string; readonly to: string; readonly week: WeekHours }[]
  /** Local dates (YYYY-MM-DD) or inclusive ranges not worked at all. */
  readonly holidays?: readonly (string | { readonly name?: string; readonly from: string; readonly to: string })[]
}

/** A working interval as instants (epoch ms), start inclusive, end exclusive. */
interface Interval { readonly start: number; readonly end: number }

const MINUTE = 60_000
/** No calendar is without working time for this long: past it, the calendar is unusable (all holidays). */
const MAX_SCAN_DAYS = 3 * 366

export class CalendarError extends Error {
  readonly code = 'CALENDAR_INVALID'
  constructor(message: string) {
    super(message)
    this.name = 'CalendarError'
  }
}

const HOUR = /^([01]\d|2[0-4]):([0-5]\d)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

function minutesOf(text: string, where: string): number {
  const match = HOUR.exec(text)
  if (match === null) throw new CalendarError(`${where}: "${text}" is not a time HH:MM`)
  const minutes = Number(match[1]) * 60 + Number(match[2])
  if (minutes > 24 * 60) throw new CalendarError(`${where}: "${text}" is after 24:00`)
  return minutes
}

function checkWeek(week: WeekHours, where: string): void {
  for (const [day, hours] of Object.entries(week)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) throw new CalendarError(`${where}.${day}: not a weekday (${WEEKDAYS.join(', ')})`)
    let previousEnd = -1
    for (const [from, to] of hours ?? []) {
      const start = minutesOf(from, `${where}.${day}`)
      const end = minutesOf(to, `${where}.${day}`)
      if (end <= start) throw new CalendarError(`${where}.${day}: ${from}–${to} ends before it starts`)
      if (start < previousEnd) throw new CalendarError(`${where}.${day}: ${from}–${to} overlaps the hours before it`)
      previousEnd = end
    }
  }
}

function checkDate(text: string, where: string): void {
  if (!DATE.test(text) || !DateTime.fromISO(text).isValid) throw new CalendarError(`${where}: "${text}" is not a date YYYY-MM-DD`)
}

/** A calendar ready for arithmetic; the spec is checked once here (zone, hours, dates). */
export interface Calendar {
  readonly spec: CalendarSpec
  /** The instant `hours` working hours after `from` (fractions allowed). Ending exactly at a day's close gives that close. */
  addWorkingHours(from: Date, hours: number): Date
  /** The same point of the working day, `days` working days later (the day's end when that day is shorter). */
  addWorkingDays(from: Date, days: number): Date
  /** Working minutes between two instants (0 when `to` is not after `from`). */
  workingMinutesBetween(from: Date, to: Date): number
  /** The first working instant at or after `at`. */
  nextWorkingInstant(at: Date): Date
  /** A local rendering in the calendar's zone, e.g. "Sun 2026-12-06 10:30 (Asia/Riyadh)". */
  formatLocal(at: Date): string
}

export function createCalendar(spec: CalendarSpec): Calendar {
  if (!DateTime.local().setZone(spec.timeZone).isValid) throw new CalendarError(`timeZone: "${spec.timeZone}" is not an IANA time zone`)
  checkWeek(spec.week, 'week')
  for (const [index, period] of (spec.periods ?? []).entries()) {
    checkDate(period.from, `periods.${index}.from`)
    checkDate(period.to, `periods.${index}.to`)
    if (period.to < period.from) throw new CalendarError(`periods.${index}: ends before it starts`)
    checkWeek(period.week, `periods.${index}.week`)
  }
  const holidays = (spec.holidays ?? []).map((holiday, index) => {
    const range = typeof holiday === 'string' ? { from: holiday, to: holiday } : holiday
    checkDate(range.from, `holidays.${index}`)
    checkDate(range.to, `holidays.${index}`)
    return range
  })
  if (WEEKDAYS.every((day) => (spec.week[day] ?? []).length === 0)) throw new CalendarError('week: no working hours on any day')

  const isHoliday = (date: string): boolean => holidays.some((range) => range.from <= date && date <= range.to)
  const weekOf = (date: string): WeekHours => spec.periods?.find((period) => period.from <= date && date <= period.to)?.week ?? spec.week

  /** A local date's minute of the day as an instant; a time the zone skips (a DST gap) moves forward, as luxon does. */
  function localInstant(day: DateTime, minutes: number): number {
    if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis()
    return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone: spec.timeZone }).toMillis()
  }

  /** The working intervals of one local date, as instants. */
  function intervalsOn(day: DateTime): Interval[] {
    const date = day.toISODate() as string
    if (isHoliday(date)) return []
    const hours = weekOf(date)[WEEKDAYS[day.weekday - 1] as Weekday] ?? []
    return hours.map(([from, to]) => ({ start: localInstant(day, minutesOf(from, 'week')), end: localInstant(day, minutesOf(to, 'week')) }))
  }

  /** Each working interval ending after `from`, in order, for as long as the caller pulls. */
  function* intervalsFrom(from: number): Generator<Interval> {
    let day = DateTime.fromMillis(from, { zone: spec.timeZone }).startOf('day')
    for (let idle = 0; idle < MAX_SCAN_DAYS; day = day.plus({ days: 1 })) {
      const intervals = intervalsOn(day).filter((interval) => interval.end > from)
      idle = intervals.length === 0 ? idle + 1 : 0
      yield* intervals
    }
    throw new CalendarError(`no working time within ${MAX_SCAN_DAYS} days of ${new Date(from).toISOString()}`)
  }

  function addWorkingMinutes(from: Date, minutes: number): Date {
    let left = Math.round(minutes * MINUTE)
    const start = from.getTime()
    for (const interval of intervalsFrom(start)) {
      const begin = Math.max(interval.start, start)
      if (interval.end - begin >= left) return new Date(begin + left)
      left -= interval.end - begin
    }
    /* c8 ignore next */
    throw new CalendarError('unreachable')
  }

  function nextWorkingInstant(at: Date): Date {
    const start = at.getTime()
    for (const interval of intervalsFrom(start + 1)) return new Date(Math.max(interval.start, start))
    /* c8 ignore next */
    throw new CalendarError('unreachable')
  }

  return {
    spec,
    addWorkingHours(from, hours) {
      if (!(hours >= 0)) throw new CalendarError(`working hours must be 0 or more, not ${hours}`)
      return hours === 0 ? from : addWorkingMinutes(from, hours * 60)
    },
    addWorkingDays(from, days) {
      if (!Number.isInteger(days) || days < 0) throw new CalendarError(`working days must be a whole number 0 or more, not ${days}`)
      const start = nextWorkingInstant(from).getTime()
      const startDay = DateTime.fromMillis(start, { zone: spec.timeZone }).startOf('day')
      const elapsed = intervalsOn(startDay).reduce((sum, interval) => sum + Math.max(0, Math.min(interval.end, start) - interval.start), 0)
      let day = startDay
      for (let counted = 0, scanned = 0; counted < days; scanned += 1) {
        if (scanned > MAX_SCAN_DAYS) throw new CalendarError(`no working day within ${MAX_SCAN_DAYS} days`)
        day = day.plus({ days: 1 })
        if (intervalsOn(day).length > 0) counted += 1
      }
      const target = intervalsOn(day)
      let left = elapsed
      for (const interval of target) {
        if (interval.end - interval.start >= left) return new Date(interval.start + left)
        left -= interval.end - interval.start
      }
      return new Date((target[target.length - 1] as Interval).end)
    },
    workingMinutesBetween(from, to) {
      const start = from.getTime()
      const end = to.getTime()
      if (end <= start) return 0
      let total = 0
      for (const interval of intervalsFrom(start)) {
        if (interval.start >= end) break
        total += Math.min(interval.end, end) - Math.max(interval.start, start)
      }
      return total / MINUTE
    },
    nextWorkingInstant,
    formatLocal(at) {
      return `${DateTime.fromJSDate(at, { zone: spec.timeZone }).toFormat('ccc yyyy-MM-dd HH:mm')} (${spec.timeZone})`
    },
  }
}
