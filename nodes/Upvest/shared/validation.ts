import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
	return UUID.test(value);
}

function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
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

/** A required UUID parameter, trimmed; the error names the field, the item and the fix. */
export function readUuid(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	what: string,
): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
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
			`must be a UUID, got "${shown(value)}"`,
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
			: `"${shown(value)}" is not allowed`;
	throw invalidParameter(
		context,
		itemIndex,
		label,
		problem,
		fix ?? `Use one of: ${allowed.join(', ')}.`,
	);
}
