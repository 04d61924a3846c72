import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userCheck'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Submit a user check',
				description:
					'Submit a regulatory check you performed (KYC, proof of residency, instrument fit); a re-run submits nothing twice (POST /users/{user_id}/checks)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a user check',
				description:
					'Look up one check of a user and its status, e.g. PASSED (GET /users/{user_id}/checks/{check_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many user checks',
				description: 'List the checks of a user (GET /users/{user_id}/checks)',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
