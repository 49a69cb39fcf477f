/**
 * Which order an MS-DOS listing writes its dates in, decided from the whole
 * listing before any line is read.
 *
 * IIS writes MM-DD-YY ("12-25-23  10:00AM ..."); some Windows servers write
 * DD-MM-YY ("25-12-23 ..."). A line whose first two numbers are both 12 or
 * less reads either way, so a parser that decides line by line reads
 * 05-02-24 as 2 May on a DD-MM server, and refuses 25-12-23 a line later:
 * silently wrong for most of the year. One date with a number above 12 tells
 * the order for every line, wherever it stands in the listing:
 *
 *   25-12-23 -> the first number is a day:  the listing is DD-MM-YY
 *   12-25-23 -> the second number is a day: the listing is MM-DD-YY
 *   neither  -> ambiguous: read as MM-DD-YY, as IIS writes, and say so
 *   both     -> conflict: no one order fits; read as MM-DD-YY, and the lines
 *               that do not fit are skipped with their reason
 *
 * Browser-safe: no `node:` import.
 */
import { dosDateFields } from './listing-dos.ts';

/** The order of the first two numbers of an MS-DOS date. */
export type DosDateOrder = 'MM-DD' | 'DD-MM';

export interface DosDateOrderDecision {
  /** The order every MS-DOS line of the listing is read in. */
  readonly order: DosDateOrder;
  /**
   * 'evidence': a date with a number above 12 decided it; 'ambiguous': no
   * date could, so IIS's MM-DD is assumed; 'conflict': dates of both orders.
   */
  readonly basis: 'evidence' | 'ambiguous' | 'conflict';
  /** The same in plain words, naming the deciding date(s). */
  readonly reason: string;
}

/** The largest month; a larger first or second number must be the day. */
const LAST_MONTH = 12;
/** The largest day: a larger number is no day either, and decides nothing. */
const LAST_DAY = 31;

/** A number that can only be a day (13..31). */
function onlyDay(n: number): boolean {
  return n > LAST_MONTH && n <= LAST_DAY;
}

/** A number that can be a month (1..12). */
function month(n: number): boolean {
  return n >= 1 && n <= LAST_MONTH;
}

/**
 * Decide the date order of the MS-DOS lines among `lines` (other lines are
 * ignored); null when there is none.
 */
export function decideDosDateOrder(lines: Iterable<string>): DosDateOrderDecision | null {
  let dayFirst: string | null = null; // the first date that can only be DD-MM
  let monthFirst: string | null = null; // the first date that can only be MM-DD
  let any = false;
  for (const line of lines) {
    const date = dosDateFields(line);
    if (date === null) continue;
    any = true;
    if (onlyDay(date.first) && month(date.second)) dayFirst ??= date.text;
    else if (onlyDay(date.second) && month(date.first)) monthFirst ??= date.text;
  }
  if (!any) return null;
  if (dayFirst !== null && monthFirst !== null) {
    return {
      order: 'MM-DD',
      basis: 'conflict',
      reason:
        `The listing has ${dayFirst}, which can only be day-month-year, and ${monthFirst}, which can only be month-day-year: ` +
        'no one order fits every line. Dates are read as MM-DD-YY, as IIS writes them; the lines that do not fit are skipped.',
    };
  }
  if (dayFirst !== null) {
    return { order: 'DD-MM', basis: 'evidence', reason: `${dayFirst} starts with a number above 12, a day: this listing writes DD-MM-YY.` };
  }
  if (monthFirst !== null) {
    return { order: 'MM-DD', basis: 'evidence', reason: `${monthFirst} has a day (above 12) second: this listing writes MM-DD-YY.` };
  }
  return {
    order: 'MM-DD',
    basis: 'ambiguous',
    reason:
      'No date in the listing has a number above 12, so days and months cannot be told apart. They are read as MM-DD-YY, ' +
      'as IIS writes them; if this server writes DD-MM-YY, the day and month of every entry are swapped.',
  };
}
