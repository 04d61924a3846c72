import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { businessIdField, userIdField } from '../../shared/descriptions';
import {
	listSortOptions,
	readListOrder,
	readPaging,
	returnAllAndLimit,
} from '../../shared/listing';
import { optionsCollection } from '../../shared/options';
import { readChoice, readUuid } from '../../shared/validation';

const OWNED_BY = ['all', 'user', 'business'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Owned By',
		name: 'ownedBy',
		type: 'options',
		options: [
			{ name: 'Anyone', value: 'all', description: 'Every account group of your API client' },
			{ name: 'A User', value: 'user', description: 'The account groups of one user' },
			{ name: 'A Business', value: 'business', description: 'The account groups of one business' },
		],
		default: 'all',
		description: 'Whose account groups to list',
	},
	userIdField('ID of the Upvest user whose account groups to list', {
		displayOptions: { show: { ownedBy: ['user'] } },
	}),

	businessIdField('ID of the Upvest business whose account groups to list', {
		displayOptions: { show: { ownedBy: ['business'] } },
	}),

	...returnAllAndLimit,
	optionsCollection(listSortOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['accountGroup'], operation: ['getAll'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const ownedBy = readChoice(this, itemIndex, 'ownedBy', 'Owned By', OWNED_BY, undefined, 'all');
	let path = '/account_groups';
	if (ownedBy === 'user') {
		path = `/users/${readUuid(this, itemIndex, 'userId', 'User ID', 'ID of the Upvest user')}/account_groups`;
	} else if (ownedBy === 'business') {
		const businessId = readUuid(
			this,
			itemIndex,
			'businessId',
			'Business ID',
			'ID of the Upvest business',
		);
		path = `/businesses/${businessId}/account_groups`;
	}
	return {
		request: { method: 'GET', path, query: readListOrder(this, itemIndex) },
		scopes: ['accounts:read', 'accounts:admin'],
		paging: readPaging(this, itemIndex),
	};
}
