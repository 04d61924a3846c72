import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';

export { create };

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
				description: 'Give a user a role on an account group or a business',
			},
		],
		default: 'create',
	},
	...create.description,
];
