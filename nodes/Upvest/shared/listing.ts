import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PagingOptions } from '../transport';
import { readChoice, readInteger } from './validation';

const SORT_FIELDS = ['created_at', 'updated_at'] as const;
const ORDERS = ['ASC', 'DESC'] as const;
/** More than any API client's resources; keeps a typo from asking for billions. */
const MAX_LIMIT = 1_000_000;

/** Return All and Limit, as in every n8n Get Many operation. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Sort and Order of Upvest's list endpoints. */
export const listSortOptions: INodeProperties[] = [
	{
		displayName: 'Sort By',
		name: 'sort',
		type: 'options',
		options: [
			{ name: 'Created At', value: 'created_at' },
			{ name: 'Updated At', value: 'updated_at' },
		],
		default: 'created_at',
		description: 'The field Upvest sorts the list by',
	},
	{
		displayName: 'Order',
		name: 'order',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'ASC' },
			{ name: 'Descending', value: 'DESC' },
		],
		default: 'ASC',
		description: 'Oldest first (ascending) or newest first (descending)',
	},
];

/** Sort and Order from the Options collection, checked (expressions may give anything). */
export function readListOrder(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const query: IDataObject = {};
	if (options.sort !== undefined) {
		query.sort = readChoice(context, itemIndex, 'options.sort', 'Sort By', SORT_FIELDS);
	}
	if (options.order !== undefined) {
		query.order = readChoice(context, itemIndex, 'options.order', 'Order', ORDERS);
	}
	return query;
}

/** Return All, or Limit as a whole number. */
export function readPaging(context: IExecuteFunctions, itemIndex: number): PagingOptions {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) === true;
	return returnAll
		? { returnAll }
		: { returnAll, limit: readInteger(context, itemIndex, 'limit', 'Limit', 1, MAX_LIMIT, 50) };
}
