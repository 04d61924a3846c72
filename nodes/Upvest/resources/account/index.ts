import type { INodeProperties } from 'n8n-workflow';

import * as close from './close.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { close, create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Close',
				value: 'close',
				action: 'Close an account',
				description:
					'Close an account by its ID; Upvest closes it asynchronously (DELETE /accounts/{account_id})',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create an account',
				description:
					'Open a trading or portfolio account in an account group; safe to re-run (POST /accounts)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an account',
				description:
					'Look up one account by its ID: type, owners and status such as ACTIVE (GET /accounts/{account_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many accounts',
				description:
					'List the accounts of your API client, or those of one user or business (GET /accounts)',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Rename an account',
				description: 'Change an account’s name (PATCH /accounts/{account_id})',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...close.description,
];
