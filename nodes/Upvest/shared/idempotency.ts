import { createHash, randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UpvestRequest } from '../transport';
import { invalidParameter, isUuid } from './validation';

/** Options of the create operations that decide the idempotency key each item sends. */
export const idempotencyOptions: INodeProperties[] = [
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.customerId }}',
		description:
			'Your own key for each item, e.g. mapped from the input. A UUID is sent as is; any other text becomes a stable UUID. Empty: a key derived from the request itself, so re-running the same input within Upvest’s idempotency window (at least 24 hours) returns the first result instead of creating again.',
	},
	{
		displayName: 'New Key on Every Run',
		name: 'newIdempotencyKeyEachRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to send a fresh random key per item on every run, so that re-running the same input creates the resources again. Ignored when Idempotency Key is set.',
	},
];

/** A name-based UUID (version 5 layout over SHA-256), so the same input always gives the same key. */
export function uuidFromText(namespace: string, text: string): string {
	const bytes = createHash('sha256')
		.update(namespace)
		.update('\0')
		.update(text)
		.digest()
		.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The key derived from what is created: the API client, the endpoint and the exact body bytes.
 * Re-running the same input sends the same key, and Upvest replays its first answer.
 */
export function derivedIdempotencyKey(clientId: string, request: UpvestRequest): string {
	return uuidFromText(
		`derived\0${clientId}\0${request.method} ${request.path}`,
		JSON.stringify(request.body ?? {}),
	);
}

/**
 * The key for one item, fixed before the first attempt so every retry reuses it. Text keys are
 * scoped by endpoint, so one customer ID can drive both create operations.
 */
export function readIdempotencyKey(
	context: IExecuteFunctions,
	itemIndex: number,
	request: UpvestRequest,
	clientId: string,
): string {
	const raw = context.getNodeParameter('options.idempotencyKey', itemIndex, '') as unknown;
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		const kind = Array.isArray(raw)
			? 'a list'
			: typeof raw === 'object'
				? 'an object'
				: `a ${typeof raw}`;
		throw invalidParameter(
			context,
			itemIndex,
			'Idempotency Key',
			`must be text or a number, got ${kind}`,
			'Map it to one value per item, e.g. {{ $json.customerId }}, not to an object or list.',
		);
	}
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (value !== '') return isUuid(value) ? value : uuidFromText(request.path, value);
	const fresh = context.getNodeParameter('options.newIdempotencyKeyEachRun', itemIndex, false);
	if (fresh === true) return randomUUID();
	return derivedIdempotencyKey(clientId, request);
}
