import { createHash, randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport/request';
import { invalidParameter, isUuid } from './validation';

/** Four requests in flight hide network latency while one core still signs P-521 fast enough. */
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['create'] } },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: 4,
				description:
					'How many items are sent to Upvest at the same time. Output order always follows the input. Read from the first item.',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.customerId }}',
				description:
					'Makes re-running safe: Upvest answers a repeated key with the first result instead of creating again. Map it from the input (a UUID is sent as is; any other text is turned into a stable UUID). Empty: a fresh key per item.',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 5,
				description:
					'Attempts per item for rate limits (429), server errors (500, 502, 503, 504) and broken connections, with exponential backoff. The same idempotency key is sent each time.',
			},
		],
	},
];

export interface BatchOptions {
	concurrency: number;
	policy: RetryPolicy;
}

export function readBatchOptions(context: IExecuteFunctions): BatchOptions {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY);
	const maxAttempts = Number(options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
		throw invalidParameter(
			context,
			0,
			'Concurrency',
			`must be a whole number from 1 to ${MAX_CONCURRENCY}`,
			'Set Options → Concurrency, e.g. 4.',
		);
	}
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
		throw invalidParameter(
			context,
			0,
			'Max Attempts',
			'must be a whole number from 1 to 10',
			'Set Options → Max Attempts, e.g. 5.',
		);
	}
	return { concurrency, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts } };
}

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
 * The key for one item, fixed before the first attempt so every retry reuses it.
 * Text keys are scoped by endpoint, so one customer ID can drive both operations.
 */
export function readIdempotencyKey(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
): string {
	const raw = context.getNodeParameter('options.idempotencyKey', itemIndex, '') as unknown;
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		throw invalidParameter(
			context,
			itemIndex,
			'Idempotency Key',
			`must be text or a number, got ${Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`}`,
			'Map it to one value per item, e.g. {{ $json.customerId }}, not to an object or list.',
		);
	}
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (value === '') return randomUUID();
	return isUuid(value) ? value : uuidFromText(path, value);
}
