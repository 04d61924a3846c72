import type { INodeProperties } from 'n8n-workflow';

import * as close from './close.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { close, create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accountGroup'] } },
		options: [
			{
				name: 'Close',
				value: 'close',
				action: 'Close an account group',
				description:
					'Close an account group by its ID; Upvest closes it asynchronously (DELETE /account_groups/{account_group_id})',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create an account group',
				description:
					'Open a new account group for a user or a business; safe to re-run (POST /account_groups)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an account group',
				description:
					'Look up one account group by its ID: owners, type and status such as ACTIVE (GET /account_groups/{account_group_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many account groups',
				description:
					'List the account groups of your API client, or those of one user or business (GET /account_groups)',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...close.description,
];
