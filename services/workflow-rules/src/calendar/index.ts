// Public surface of the working-time calendar (README "Working-time calendar"): pure arithmetic on a team's
// working week, Ramadan periods and holidays in its own time zone.
export { CalendarError, WEEKDAYS, createCalendar } from './calendar.js'
export type { Calendar, CalendarSpec, DayHours, WeekHours, Weekday } from './calendar.js'
