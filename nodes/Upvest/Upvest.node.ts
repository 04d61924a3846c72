import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { listSearch } from './methods';
import * as accountGroup from './resources/accountGroup';
import * as role from './resources/role';
import { router } from './router';
import { UPVEST_CREDENTIAL_TYPE } from './transport/credentials';

export class Upvest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upvest',
		name: 'upvest',
		icon: { light: 'file:../../icons/upvest.svg', dark: 'file:../../icons/upvest.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Create, look up and close account groups and roles with the Upvest Investment API',
		defaults: { name: 'Upvest' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: UPVEST_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account Group', value: 'accountGroup' },
					{ name: 'Role', value: 'role' },
				],
				default: 'accountGroup',
			},
			...accountGroup.description,
			...role.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
