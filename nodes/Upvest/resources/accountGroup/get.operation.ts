import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { accountGroupLocator } from '../../shared/descriptions';
import { optionsCollection } from '../../shared/options';
import { readUuid } from '../../shared/validation';

const properties: INodeProperties[] = [accountGroupLocator(), optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['accountGroup'], operation: ['get'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readUuid(this, itemIndex, 'accountGroupId', 'Account Group ID', 'account group ID');
	return {
		request: { method: 'GET', path: `/account_groups/${id}` },
		scopes: ['accounts:read', 'accounts:admin'],
	};
}
