// The calendar the rules count in: the one written in the rules file, or — with `"calendar": {"fromOdoo": true}` —
// the hub user's company working calendar in Odoo (resource.calendar: its time zone, its attendances as the
// week, its company-wide leaves as holidays), re-read every hour so an operator's change in Odoo is picked up.
// Odoo's calendars have no dated periods of other hours, so Ramadan hours need the rules file.
import type { OdooClient } from '@gassistant/odoo'
import { DateTime } from 'luxon'
import { WEEKDAYS, type Calendar, type CalendarSpec, type Weekday } from './calendar/index.js'
import { odooTime } from './odoo-records.js'
import { calendarOf, type RulesFile } from './rules.js'

const REFRESH_MS = 3_600_000

interface Attendance { dayofweek: string; hour_from: number; hour_to: number; day_period?: string | false; display_type?: string | false }
interface Leave { date_from: string; date_to: string }

/** Float hours as Odoo stores them (8.5 = 08:30) → "HH:MM". An end at 23:59 or later is midnight: Odoo's UI and
 * data write the day's end as 23:59 or 23.99… as well as 24.0 (business-calendars reference). */
function hhmm(hours: number): string {
  const minutes = hours * 60 >= 24 * 60 - 1 ? 24 * 60 : Math.round(hours * 60)
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** A resource.calendar as the calendar module's spec. Odoo's dayofweek is '0' = Monday … '6' = Sunday. */
export function specOfOdooCalendar(tz: string, attendances: readonly Attendance[], leaves: readonly Leave[]): CalendarSpec {
  const week: Partial<Record<Weekday, [string, string][]>> = {}
  const working = attendances.filter((row) => row.day_period !== 'lunch' && (row.display_type === false || row.display_type === undefined))
  for (const row of [...working].sort((a, b) => a.hour_from - b.hour_from)) {
    const day = WEEKDAYS[Number(row.dayofweek)]
    if (day === undefined) continue
    const hours = (week[day] ??= [])
    const last = hours[hours.length - 1]
    // Morning and afternoon lines that touch make one span.
    if (last !== undefined && last[1] === hhmm(row.hour_from)) last[1] = hhmm(row.hour_to)
    else hours.push([hhmm(row.hour_from), hhmm(row.hour_to)])
  }
  // A leave covers whole local days, from the day it starts to the day it ends (part-day leaves count whole).
  const holidays = leaves.map((leave) => ({
    from: DateTime.fromJSDate(odooTime(leave.date_from), { zone: tz }).toISODate() as string,
    to: DateTime.fromJSDate(new Date(odooTime(leave.date_to).getTime() - 1), { zone: tz }).toISODate() as string,
  }))
  return { timeZone: tz, week, holidays }
}

async function readOdooCalendar(odoo: OdooClient): Promise<Calendar> {
  const caps = await odoo.connect()
  const [user] = await odoo.read<{ company_id: [number, string] | false }>('res.users', [caps.uid], ['company_id'])
  const companyId = Array.isArray(user?.company_id) ? user.company_id[0] : 1
  const [company] = await odoo.read<{ resource_calendar_id: [number, string] | false }>('res.company', [companyId], ['resource_calendar_id'])
  if (!Array.isArray(company?.resource_calendar_id)) throw new Error('the company has no working calendar (resource_calendar_id)')
  const calendarId = company.resource_calendar_id[0]
  const [calendar] = await odoo.read<{ tz: string | false }>('resource.calendar', [calendarId], ['tz'])
  const attendances = await odoo.searchRead<Attendance>('resource.calendar.attendance', [['calendar_id', '=', calendarId]], { fields: ['dayofweek', 'hour_from', 'hour_to', 'day_period', 'display_type'] })
  const leaves = await odoo.searchRead<Leave>('resource.calendar.leaves', [['calendar_id', 'in', [calendarId, false]], ['resource_id', '=', false]], { fields: ['date_from', 'date_to'] })
  return calendarOf(specOfOdooCalendar(typeof calendar?.tz === 'string' ? calendar.tz : 'UTC', attendances, leaves))
}

/** A team's calendar (by crm.team name), else the default one. */
export type CalendarFor = (team?: string) => Promise<Calendar>

/**
 * The rules' calendars: a team's own (`teamCalendars`, by name, case-insensitive) or the default — written in the
 * file, or read from Odoo when first needed and hourly after that. `now` is the service's clock.
 */
export function createCalendarSource(rules: Pick<RulesFile, 'calendar' | 'teamCalendars'>, odoo: OdooClient, now: () => Date): CalendarFor {
  const teams = new Map(Object.entries(rules.teamCalendars ?? {}).map(([team, spec]) => [team.toLocaleLowerCase('en'), calendarOf(spec as CalendarSpec, `teamCalendars.${team}`)]))
  const config = rules.calendar
  let fallback: () => Promise<Calendar>
  if (!('fromOdoo' in config)) {
    const fixed = calendarOf(config as CalendarSpec)
    fallback = () => Promise.resolve(fixed)
  } else {
    let cached: { calendar: Calendar; at: number } | undefined
    fallback = async () => {
      if (cached === undefined || now().getTime() - cached.at > REFRESH_MS) cached = { calendar: await readOdooCalendar(odoo), at: now().getTime() }
      return cached.calendar
    }
  }
  return (team) => {
    const own = team === undefined ? undefined : teams.get(team.toLocaleLowerCase('en'))
    return own === undefined ? fallback() : Promise.resolve(own)
  }
}
