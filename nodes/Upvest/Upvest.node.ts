import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { listSearch } from './methods';
import * as account from './resources/account';
import * as accountGroup from './resources/accountGroup';
import * as business from './resources/business';
import * as role from './resources/role';
import * as taxResidency from './resources/taxResidency';
import * as user from './resources/user';
import * as userCheck from './resources/userCheck';
import * as userIdentifier from './resources/userIdentifier';
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
			'Onboard customers with the Upvest Investment API: users and their checks, businesses, account groups, roles and accounts',
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
					{ name: 'Account', value: 'account' },
					{ name: 'Account Group', value: 'accountGroup' },
					{ name: 'Business', value: 'business' },
					{ name: 'Role', value: 'role' },
					{ name: 'Tax Residency', value: 'taxResidency' },
					{ name: 'User', value: 'user' },
					{ name: 'User Check', value: 'userCheck' },
					{ name: 'User Identifier', value: 'userIdentifier' },
				],
				default: 'accountGroup',
			},
			...user.description,
			...userCheck.description,
			...userIdentifier.description,
			...taxResidency.description,
			...business.description,
			...accountGroup.description,
			...role.description,
			...account.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
