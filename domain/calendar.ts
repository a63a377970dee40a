/** Temporal Schedule calendars as this code writes them (structurally the SDK's CalendarSpec). */

export const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Month = (typeof MONTHS)[number];
export type Weekday = (typeof WEEKDAYS)[number];

/** From start to end inclusive, every step-th value. */
export interface Range {
  start: number;
  end: number;
  step: number;
}

export interface Calendar {
  hour: number;
  minute: number;
  dayOfWeek?: Weekday;
  dayOfMonth?: number | Range[];
  month?: Month[];
  year?: Range[];
  comment?: string;
}
