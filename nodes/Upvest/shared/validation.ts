import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isUuid } from '../transport/uuid';

export { UUID_PATTERN, isUuid } from '../transport/uuid';

/**
 * What kind of value was given, without its content: a mistyped mapping can put a customer's name
 * into any field, and messages reach n8n's log (docs/personal-data.md).
 */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null) return 'nothing';
	if (typeof value === 'string') {
		return value.length === 1 ? 'text of 1 character' : `text of ${value.length} characters`;
	}
	if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
	if (typeof value === 'boolean') return 'true or false';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function invalidParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${label} ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description: fix,
	});
}

/**
 * A required UUID parameter, trimmed and lower-cased; the error names the field, the item and the
 * fix. Resource locators give their value (from the list or typed by ID); workflows saved before
 * a field became a resource locator hold a plain string there, which is read the same way.
 */
export function readUuid(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	what: string,
): string {
	const raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' ? raw.trim() : raw;
	if (value === '' || value === undefined || value === null) {
		throw invalidParameter(
			context,
			itemIndex,
			label,
			'is empty',
			`Enter the ${what} (a UUID), or map it from the input with an expression.`,
		);
	}
	if (typeof value !== 'string' || !isUuid(value)) {
		throw invalidParameter(
			context,
			itemIndex,
			label,
			`must be a UUID, got ${describeValue(value)}`,
			`Enter the ${what} as Upvest returned it, e.g. 413715f2-5401-4b97-8055-034a6b879f8c.`,
		);
	}
	return value.toLowerCase();
}

/** An options parameter that may come from an expression, checked against the allowed values. */
export function readChoice<T extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	allowed: readonly T[],
	fix?: string,
	/** Used when the parameter is not shown for this item (n8n then has no value for it). */
	fallback = '',
): T {
	const raw = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	const value = typeof raw === 'string' ? raw.trim() : raw;
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	const problem =
		value === '' || value === undefined || value === null
			? 'is empty'
			: `is not allowed (${describeValue(value)})`;
	throw invalidParameter(
		context,
		itemIndex,
		label,
		problem,
		fix ?? `Use one of: ${allowed.join(', ')}.`,
	);
}

/** A whole number within bounds, e.g. Limit; expressions may give strings. */
export function readInteger(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	min: number,
	max: number,
	fallback: number,
): number {
	const raw = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
		return value;
	}
	throw invalidParameter(
		context,
		itemIndex,
		label,
		`must be a whole number from ${min} to ${max}, got ${describeValue(raw)}`,
		`Set ${label} to a whole number, e.g. ${fallback}.`,
	);
}
