import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as offboard from './offboard.operation';

export { create, get, getAll, offboard };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a user',
				description:
					'Register a customer with their personal data, under your licence or Upvest’s; safe to re-run (POST /users)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a user',
				description: 'Look up one user by ID: personal data and status (GET /users/{user_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many users',
				description: 'List the users of your API client (GET /users)',
			},
			{
				name: 'Offboard',
				value: 'offboard',
				action: 'Offboard a user',
				description:
					'End the business relationship with a user; Upvest offboards asynchronously (DELETE /users/{user_id})',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...offboard.description,
];
