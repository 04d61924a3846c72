import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as submitKyb from './submitKyb.operation';

export { create, get, getAll, submitKyb };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['business'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a business',
				description:
					'Register a company or sole trader as a customer; safe to re-run (POST /businesses)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a business',
				description: 'Look up one business by ID and its status (GET /businesses/{business_id})',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many businesses',
				description: 'List the businesses of your API client (GET /businesses)',
			},
			{
				name: 'Submit KYB Check',
				value: 'submitKyb',
				action: 'Submit a KYB check of a business',
				description:
					'Submit the know-your-business check you performed; a re-run submits nothing twice (POST /businesses/{business_id}/checks)',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...submitKyb.description,
];
