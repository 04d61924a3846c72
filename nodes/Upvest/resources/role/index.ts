import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { create, deactivate, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['role'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a role',
				description:
					'Give a user a role on an account group (guardian) or a business (e.g. legal representative); safe to re-run (POST /roles)',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				action: 'Deactivate a role',
				description: 'End a user’s role by the role ID (DELETE /roles/{role_id})',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a role',
				description:
					'Look up one role by its ID: who, on what, and its status (GET /roles/{role_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many roles',
				description:
					'List roles, optionally only those of one user or on one account group or business (GET /roles)',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...deactivate.description,
];
