import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import {
	listSortOptions,
	readListOrder,
	readPaging,
	returnAllAndLimit,
} from '../../shared/listing';
import { optionsCollection } from '../../shared/options';
import { readUuid } from '../../shared/validation';

/**
 * The filters of GET /roles. Upvest's documentation confirms the endpoint but does not list its
 * query parameters; these two follow Upvest's naming and are inferred (see README, Operations).
 */
const ROLE_FILTERS = [
	{ name: 'userId', query: 'user_id', label: 'User ID', what: 'ID of the Upvest user' },
	{
		name: 'entityId',
		query: 'entity_id',
		label: 'Entity ID',
		what: 'ID of the account group or business',
	},
] as const;

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Entity ID',
				name: 'entityId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
				description: 'Only roles on this account group or business',
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 413715f2-5401-4b97-8055-034a6b879f8c',
				description: 'Only roles of this user',
			},
		],
	},
	optionsCollection(listSortOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['role'], operation: ['getAll'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const query = readListOrder(this, itemIndex);
	for (const filter of ROLE_FILTERS) {
		const value = filters[filter.name];
		if (value === undefined || value === '') continue;
		query[filter.query] = readUuid(
			this,
			itemIndex,
			`filters.${filter.name}`,
			filter.label,
			filter.what,
		);
	}
	return {
		request: { method: 'GET', path: '/roles', query },
		scopes: ['roles:read', 'roles:admin'],
		paging: readPaging(this, itemIndex),
	};
}
