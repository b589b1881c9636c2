// Public surface of @gassistant/workflow-rules.
export { CalendarError, WEEKDAYS, createCalendar } from './calendar/index.js'
export type { Calendar, CalendarSpec, DayHours, WeekHours, Weekday } from './calendar/index.js'
