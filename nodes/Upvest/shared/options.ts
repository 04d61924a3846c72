import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport';
import { invalidParameter } from './validation';

/** Four requests in flight hide network latency while one core still signs P-521 fast enough. */
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
const MAX_ATTEMPTS_LIMIT = 10;

/** Fields of the Options collection that every operation offers; each operation adds its own. */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: 4,
	description:
		'How many items are sent to Upvest at the same time, like batching in other n8n nodes but with a cap on requests in flight. Output order always follows the input. Read from the first item.',
};

export const maxAttemptsOption: INodeProperties = {
	displayName: 'Max Attempts',
	name: 'maxAttempts',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_ATTEMPTS_LIMIT },
	default: 5,
	description:
		'Attempts per request for rate limits (429), server errors (500, 502, 503, 504) and broken connections, with exponential backoff that honours Retry-After. Read from the first item.',
};

/** The Options collection of one operation: its own fields, then the shared ones, sorted by name. */
export function optionsCollection(fields: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...fields, concurrencyOption, maxAttemptsOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

export interface BatchOptions {
	concurrency: number;
	policy: RetryPolicy;
}

/** Run-level options, read once from the first item. */
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
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
		throw invalidParameter(
			context,
			0,
			'Max Attempts',
			`must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`,
			'Set Options → Max Attempts, e.g. 5.',
		);
	}
	return { concurrency, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts } };
}
