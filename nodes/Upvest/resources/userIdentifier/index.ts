import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';

export { create, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userIdentifier'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Add a user identifier',
				description:
					'Add the national identifier Upvest needs for some nationalities; a re-run adds nothing twice (POST /users/{user_id}/identifiers)',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many user identifiers',
				description: 'List the identifiers of a user (GET /users/{user_id}/identifiers)',
			},
		],
		default: 'create',
	},
	...create.description,
	...getAll.description,
];
