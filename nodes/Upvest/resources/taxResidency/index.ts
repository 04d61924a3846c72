import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['taxResidency'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the tax residencies of a user',
				description:
					'Read a user’s tax residencies and their status (GET /users/{user_id}/tax_residencies)',
			},
			{
				name: 'Set',
				value: 'set',
				action: 'Set the tax residencies of a user',
				description:
					'Declare the countries where a user pays tax, replacing earlier ones; safe to re-run (POST /users/{user_id}/tax_residencies)',
			},
		],
		default: 'set',
	},
	...set.description,
	...get.description,
];
