/**
 * Reading the fields of one item that carry a customer's personal data (names, dates, addresses,
 * contact details, document links, identifier and tax numbers). Each value is checked against
 * Upvest's rules before anything is sent; an error names the field, the item and the fix, but
 * never the value, so personal data cannot reach n8n's log or an error message.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isCountryCode } from './countries';
import { monthsBefore, parseDate, parseDateTime, todayIn } from './dates';
import { describeValue, invalidParameter, isUuid } from './validation';

export interface TextRule {
	min?: number;
	max?: number;
	pattern?: RegExp;
	/** What the pattern asks for, e.g. "8 to 15 digits without + or spaces". */
	patternHint?: string;
}

export interface DateRule {
	/** Refuse dates after today. */
	notFuture?: boolean;
	/** Refuse dates before today. */
	notPast?: boolean;
}

export interface DateTimeRule {
	/** Refuse instants more than this many months ago. */
	maxAgeMonths?: number;
}

/** How far a date-time may lie ahead of this machine's clock (clock skew). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The fields of one item, read and checked; `required` fields throw when empty. */
export class ItemFields {
	constructor(
		readonly context: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	/** A parameter's value (a dotted path reaches into collections), `fallback` when not shown. */
	param(name: string, fallback: unknown = ''): unknown {
		return this.context.getNodeParameter(name, this.itemIndex, fallback) as unknown;
	}

	/** A collection parameter (Additional Fields, an address group) as an object. */
	group(name: string): IDataObject {
		const value = this.param(name, {});
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as IDataObject)
			: {};
	}

	fail(label: string, problem: string, fix: string): never {
		throw invalidParameter(this.context, this.itemIndex, label, problem, fix);
	}

	private present(label: string, value: unknown, required: boolean, fix: string): boolean {
		if (!isEmpty(value)) return true;
		if (required) this.fail(label, 'is empty', fix);
		return false;
	}

	text(label: string, value: unknown, rule: TextRule, required: true): string;
	text(label: string, value: unknown, rule: TextRule, required?: boolean): string | undefined;
	text(label: string, value: unknown, rule: TextRule, required = false): string | undefined {
		if (!this.present(label, value, required, `Enter the ${label.toLowerCase()}.`))
			return undefined;
		if (typeof value !== 'string' && typeof value !== 'number') {
			this.fail(label, `must be text, got ${describeValue(value)}`, 'Map it to one text value.');
		}
		const text = String(value).trim();
		const { min = 1, max } = rule;
		if (text.length < min || (max !== undefined && text.length > max)) {
			const bounds = max === undefined ? `at least ${min}` : `${min} to ${max}`;
			this.fail(
				label,
				`must be ${bounds} characters long, got ${text.length}`,
				`Shorten or complete the ${label.toLowerCase()}.`,
			);
		}
		if (rule.pattern !== undefined && !rule.pattern.test(text)) {
			this.fail(
				label,
				`is not in the form Upvest accepts: ${rule.patternHint ?? rule.pattern.source}`,
				`Correct the ${label.toLowerCase()}.`,
			);
		}
		return text;
	}

	email(label: string, value: unknown, required = false): string | undefined {
		const text = this.text(label, value, { max: 100 }, required);
		if (text !== undefined && !EMAIL.test(text)) {
			this.fail(label, 'is not an e-mail address', 'Enter an address like name@example.com.');
		}
		return text;
	}

	url(label: string, value: unknown, required = false): string | undefined {
		const text = this.text(label, value, { max: 1000 }, required);
		if (text === undefined) return undefined;
		let protocol = '';
		try {
			protocol = new URL(text).protocol;
		} catch {
			protocol = '';
		}
		if (protocol !== 'https:' && protocol !== 'http:') {
			this.fail(label, 'is not an http(s) URL', 'Enter the full download link, https://….');
		}
		return text;
	}

	uuid(label: string, value: unknown, required = false): string | undefined {
		if (!this.present(label, value, required, `Enter the ${label} (a UUID).`)) return undefined;
		const text = typeof value === 'string' ? value.trim() : undefined;
		if (text === undefined || !isUuid(text)) {
			this.fail(
				label,
				`must be a UUID, got ${describeValue(value)}`,
				`Enter the ${label} as Upvest gave it, e.g. d0b83880-3809-4eee-b0df-ca50db84c15a.`,
			);
		}
		return text.toLowerCase();
	}

	country(label: string, value: unknown, required = false): string | undefined {
		if (!this.present(label, value, required, `Choose the ${label.toLowerCase()}.`))
			return undefined;
		const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
		if (!isCountryCode(code)) {
			this.fail(
				label,
				`is not an ISO 3166-1 country code, got ${describeValue(value)}`,
				'Use a two-letter code such as DE, AT or FR.',
			);
		}
		return code;
	}

	/** A list of countries: a list, or text such as "DE, AT" from an expression; never empty. */
	countries(label: string, value: unknown): string[] {
		const entries = Array.isArray(value)
			? (value as unknown[])
			: typeof value === 'string'
				? value.split(/[\s,;]+/).filter(Boolean)
				: isEmpty(value)
					? []
					: [value];
		if (entries.length === 0) {
			this.fail(label, 'is empty', `Choose at least one; give all of them if there are several.`);
		}
		const codes = entries.map((entry) => this.country(label, entry, true) as string);
		if (new Set(codes).size !== codes.length) {
			this.fail(label, 'names a country twice', 'Give each country once.');
		}
		return codes;
	}

	/** One of `allowed`; the message lists them, never the value given. */
	option<T extends string>(label: string, value: unknown, allowed: readonly T[]): T;
	option<T extends string>(
		label: string,
		value: unknown,
		allowed: readonly T[],
		required: false,
	): T | undefined;
	option<T extends string>(
		label: string,
		value: unknown,
		allowed: readonly T[],
		required = true,
	): T | undefined {
		if (!this.present(label, value, required, `Choose one of: ${allowed.join(', ')}.`))
			return undefined;
		const text = typeof value === 'string' ? value.trim() : value;
		if (typeof text !== 'string' || !(allowed as readonly string[]).includes(text)) {
			this.fail(
				label,
				`is not allowed (${describeValue(value)})`,
				`Use one of: ${allowed.join(', ')}.`,
			);
		}
		return text as T;
	}

	boolean(label: string, value: unknown, fallback?: boolean): boolean {
		if (isEmpty(value) && fallback !== undefined) return fallback;
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		return this.fail(
			label,
			`must be true or false, got ${describeValue(value)}`,
			'Map it to a boolean, e.g. {{ $json.isUsPerson === "yes" }}.',
		);
	}

	date(label: string, value: unknown, rule: DateRule, required: true): string;
	date(label: string, value: unknown, rule: DateRule, required?: boolean): string | undefined;
	date(label: string, value: unknown, rule: DateRule, required = false): string | undefined {
		if (!this.present(label, value, required, `Enter the ${label.toLowerCase()}, e.g. 1990-05-17.`))
			return undefined;
		const date = parseDate(value);
		if (date === undefined) {
			this.fail(label, 'is not a date', 'Use the form YYYY-MM-DD, e.g. 1990-05-17.');
		}
		const today = todayIn(this.context.getTimezone());
		if (rule.notFuture && date > today) {
			this.fail(label, 'lies in the future', `Enter a date up to today.`);
		}
		if (rule.notPast && date < today) {
			this.fail(label, 'lies in the past', `Enter a date from today on.`);
		}
		return date;
	}

	dateTime(label: string, value: unknown, rule: DateTimeRule, required: true): string;
	dateTime(
		label: string,
		value: unknown,
		rule: DateTimeRule,
		required?: boolean,
	): string | undefined;
	dateTime(
		label: string,
		value: unknown,
		rule: DateTimeRule,
		required = false,
	): string | undefined {
		const example = 'e.g. 2026-11-30T14:15:00Z or {{ $now }}';
		if (!this.present(label, value, required, `Enter when it happened, ${example}.`))
			return undefined;
		const instant = parseDateTime(value, this.context.getTimezone());
		if (instant === undefined) {
			this.fail(label, 'is not a date and time', `Use ISO 8601, ${example}.`);
		}
		const time = Date.parse(instant);
		const now = Date.now();
		if (time > now + FUTURE_TOLERANCE_MS) {
			this.fail(label, 'lies in the future', 'Enter when it happened, up to now.');
		}
		if (rule.maxAgeMonths !== undefined && time < monthsBefore(now, rule.maxAgeMonths)) {
			this.fail(
				label,
				`is more than ${rule.maxAgeMonths} months ago`,
				`Upvest accepts it only within ${rule.maxAgeMonths} months; repeat the step and send its new time.`,
			);
		}
		return instant;
	}
}
