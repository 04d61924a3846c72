/**
 * Dates and date-times as Upvest takes them (RFC 3339: `1990-05-17`, `2026-12-01T09:30:00Z`),
 * read from what n8n gives a node: text typed or mapped, the date picker's local time without an
 * offset, or a Luxon DateTime from an expression such as `{{ $now }}`.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A Luxon DateTime (or anything with the same two methods), as n8n expressions return them. */
interface DateTimeLike {
	toISO(): string | null;
	toISODate(): string | null;
}

function isDateTimeLike(value: unknown): value is DateTimeLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as DateTimeLike).toISO === 'function' &&
		typeof (value as DateTimeLike).toISODate === 'function'
	);
}

function asText(value: unknown): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
	if (isDateTimeLike(value)) return value.toISO() ?? '';
	return typeof value === 'string' ? value.trim() : undefined;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * A calendar date `YYYY-MM-DD`, or undefined when the value is not one. A date-time gives its own
 * calendar date (the date as written, whatever its offset), so a birth date never shifts a day.
 */
export function parseDate(value: unknown): string | undefined {
	if (isDateTimeLike(value)) return value.toISODate() ?? undefined;
	const text = asText(value);
	if (text === undefined) return undefined;
	const match = DATE.exec(text) ?? DATE_TIME.exec(text);
	if (match === null) return undefined;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	return isCalendarDate(year, month, day) ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
	let format = wallClockFormats.get(timeZone);
	if (format === undefined) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		wallClockFormats.set(timeZone, format);
	}
	return format;
}

/** The offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = wallClockFormat(timeZone).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
	);
	return asUtc - (utcMs - (utcMs % 1000));
}

/** The UTC instant of a wall-clock time in `timeZone` (the later one when a clock change repeats it). */
function zonedToUtc(wallClockAsUtc: number, timeZone: string): number {
	let guess = wallClockAsUtc - zoneOffsetMs(wallClockAsUtc, timeZone);
	guess = wallClockAsUtc - zoneOffsetMs(guess, timeZone);
	return guess;
}

/**
 * An instant as RFC 3339 UTC (`2026-12-01T09:30:00.000Z`), or undefined when the value is not a
 * date-time. Text without an offset (n8n's date picker writes local time) and a bare date (its
 * midnight) are read in `timeZone`, the workflow's time zone.
 */
export function parseDateTime(value: unknown, timeZone: string): string | undefined {
	const text = asText(value);
	if (text === undefined || text === '') return undefined;
	const date = DATE.exec(text);
	const match = DATE_TIME.exec(text);
	const fields = match ?? date;
	if (fields === null) return undefined;
	const [year, month, day] = [Number(fields[1]), Number(fields[2]), Number(fields[3])];
	if (!isCalendarDate(year, month, day)) return undefined;
	const [hour, minute, second] = match
		? [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)]
		: [0, 0, 0];
	if (hour > 23 || minute > 59 || second > 59) return undefined;
	const millis = match?.[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0;
	const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
	const offset = match?.[8];
	let instant: number;
	if (offset === undefined) {
		instant = zonedToUtc(wallClock, timeZone);
	} else if (offset.toUpperCase() === 'Z') {
		instant = wallClock;
	} else {
		const digits = offset.replace(':', '');
		const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
		instant = wallClock - (digits.startsWith('-') ? -1 : 1) * minutes * 60_000;
	}
	return Number.isFinite(instant) ? new Date(instant).toISOString() : undefined;
}

/** Today's date in `timeZone`, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = Date.now()): string {
	return new Date(now + zoneOffsetMs(now, timeZone)).toISOString().slice(0, 10);
}

/** The instant `months` calendar months before `now` (for "not older than 24 months"). */
export function monthsBefore(now: number, months: number): number {
	const date = new Date(now);
	date.setUTCMonth(date.getUTCMonth() - months);
	return date.getTime();
}
