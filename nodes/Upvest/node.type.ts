import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PagingOptions, StatusAdvice, UpvestRequest } from './transport';

/** Resources and their operations, as the node's parameter values name them. */
export interface UpvestNodeMap {
	account: 'create' | 'get' | 'getAll' | 'update' | 'close';
	accountGroup: 'create' | 'get' | 'getAll' | 'close';
	business: 'create' | 'get' | 'getAll' | 'submitKyb';
	role: 'create' | 'get' | 'getAll' | 'deactivate';
	taxResidency: 'set' | 'get';
	user: 'create' | 'get' | 'getAll' | 'offboard';
	userCheck: 'create' | 'get' | 'getAll';
	userIdentifier: 'create' | 'getAll';
}

export type UpvestResource = keyof UpvestNodeMap;

/** What one item asks of Upvest, read and validated before anything is sent. */
export interface PreparedCall {
	request: UpvestRequest;
	/** Scopes any of which allows the call, smallest first (named when Upvest answers 403). */
	scopes: readonly string[];
	/** The call creates a resource: it carries an idempotency key, so re-sending never duplicates. */
	creates?: boolean;
	/** What to tell the user for a status where Upvest's answer alone would mislead. */
	advice?: Partial<Record<number, StatusAdvice>>;
	/** A Get Many: the list is paged and each entry becomes an output item. */
	paging?: PagingOptions;
	/**
	 * A create for which Upvest takes no idempotency key: the resource an earlier run (or an
	 * earlier attempt of this one) created is looked up before sending, and before every resend.
	 */
	existing?: ExistingLookup;
	/**
	 * Shapes Upvest's answer into the item's output (a list: one item per entry); default: the
	 * answer as it is. `found` is set when the answer is what `existing` found instead of a new
	 * resource.
	 */
	output?: (answer: IDataObject, found?: boolean) => IDataObject | IDataObject[];
}

export interface ExistingLookup {
	request: UpvestRequest;
	scopes: readonly string[];
	/** The resource the call would create, if the lookup's answer already holds it. */
	find(answer: IDataObject): IDataObject | undefined;
}

/** One operation: its parameters, and the code that reads them for one item. */
export interface UpvestOperation {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall;
}

export type UpvestOperations = {
	[R in UpvestResource]: Record<UpvestNodeMap[R], UpvestOperation>;
};
