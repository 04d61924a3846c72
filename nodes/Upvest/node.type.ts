import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PagingOptions, UpvestRequest } from './transport';

/** Resources and their operations, as the node's parameter values name them. */
export interface UpvestNodeMap {
	accountGroup: 'create' | 'get' | 'getAll' | 'close';
	role: 'create' | 'get' | 'getAll' | 'deactivate';
}

export type UpvestResource = keyof UpvestNodeMap;

/** What one item asks of Upvest, read and validated before anything is sent. */
export interface PreparedCall {
	request: UpvestRequest;
	/** Scopes any of which allows the call, smallest first (named when Upvest answers 403). */
	scopes: readonly string[];
	/** The call creates a resource: it carries an idempotency key, so re-sending never duplicates. */
	creates?: boolean;
	/** A Get Many: the list is paged and each entry becomes an output item. */
	paging?: PagingOptions;
	/** Shapes Upvest's answer into the item's output; default: the answer as it is. */
	output?: (answer: IDataObject) => IDataObject;
}

/** One operation: its parameters, and the code that reads them for one item. */
export interface UpvestOperation {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall;
}

export type UpvestOperations = {
	[R in UpvestResource]: Record<UpvestNodeMap[R], UpvestOperation>;
};
