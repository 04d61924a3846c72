/**
 * Creates for which Upvest takes no idempotency key (a user's checks and identifiers, a business's
 * KYB check): instead of a key, the resource an earlier run created is looked up first, and again
 * before every resend after a failure that may have reached Upvest. Items of one run that would
 * create the same resource are sent once; the later ones output what the first created.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ExistingLookup } from '../node.type';
import { upvestApiRequest, type UpvestRequest, type UpvestRequestOptions } from '../transport';

export interface CreateResult {
	answer: IDataObject;
	/** The answer is the resource created before, not a new one. */
	found: boolean;
}

async function lookUp(
	context: IExecuteFunctions,
	existing: ExistingLookup,
	options: UpvestRequestOptions,
): Promise<IDataObject | undefined> {
	const answer = await upvestApiRequest.call(context, existing.request, {
		...options,
		idempotencyKey: undefined,
		scopes: existing.scopes,
	});
	return existing.find(answer);
}

async function createUnlessFound(
	context: IExecuteFunctions,
	request: UpvestRequest,
	existing: ExistingLookup,
	options: UpvestRequestOptions,
): Promise<CreateResult> {
	const earlier = await lookUp(context, existing, options);
	if (earlier !== undefined) return { answer: earlier, found: true };
	let found = false;
	const answer = await upvestApiRequest.call(context, request, {
		...options,
		beforeResend: async () => {
			const again = await lookUp(context, existing, options);
			found = again !== undefined;
			return again;
		},
	});
	return { answer, found };
}

/** One per run: remembers which creates are under way, by a key derived from the request. */
export class CreateOnce {
	private readonly started = new Map<string, Promise<CreateResult | undefined>>();

	async send(
		context: IExecuteFunctions,
		key: string,
		request: UpvestRequest,
		existing: ExistingLookup,
		options: UpvestRequestOptions,
	): Promise<CreateResult> {
		const earlier = this.started.get(key);
		// A first attempt that failed is not reused: this item tries on its own (and looks first).
		const first = earlier === undefined ? undefined : await earlier;
		if (first !== undefined) return { answer: first.answer, found: true };
		const sending = createUnlessFound(context, request, existing, options);
		this.started.set(
			key,
			sending.catch(() => undefined),
		);
		return await sending;
	}
}
