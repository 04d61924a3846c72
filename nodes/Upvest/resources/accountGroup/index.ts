import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accountGroup'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an account group',
				description: 'Create an account group for a user or a business',
			},
		],
		default: 'create',
	},
	...create.description,
];
