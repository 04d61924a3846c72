import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { ItemFields } from '../../shared/fields';
import { readId, returnAllAndLimit, show, unpagedList } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { userIdField } from '../user/userId';
import { CHECKS_READ } from './checks';

const CHECK_TYPES = [
	'KYC',
	'POR',
	'INSTRUMENT_FIT',
	'COMPLIANCE',
	'GUARDIAN',
	'USER_SELF_ASSESSMENT',
	'US_WITHHOLDING_TAX_STATUS',
] as const;

const user = userIdField('The user whose checks to list');

const properties: INodeProperties[] = [
	user.property,
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Check Type',
				name: 'type',
				type: 'options',
				options: CHECK_TYPES.map((value) => ({ name: value, value })),
				default: 'KYC',
			},
			{
				displayName: 'Include Earlier Checks',
				name: 'listHistory',
				type: 'boolean',
				default: true,
				description:
					'Whether to list every check ever submitted; otherwise Upvest lists the latest of each type',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('userCheck', 'getAll'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const userId = readId(this, itemIndex, user);
	const fields = new ItemFields(this, itemIndex);
	const filters = fields.group('filters');
	const query: Record<string, string | boolean> = {};
	if (filters.type !== undefined)
		query.type = fields.option('Check Type', filters.type, CHECK_TYPES);
	if (filters.listHistory !== undefined) {
		query.list_history = fields.boolean('Include Earlier Checks', filters.listHistory);
	}
	return {
		// Upvest answers a user's checks in one list, without paging.
		request: { method: 'GET', path: `/users/${userId}/checks`, query },
		scopes: CHECKS_READ,
		output: unpagedList(this, itemIndex),
	};
}
