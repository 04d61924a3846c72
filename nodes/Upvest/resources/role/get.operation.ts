import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { optionsCollection } from '../../shared/options';
import { readUuid } from '../../shared/validation';
import { roleIdField } from './roleId';

const properties: INodeProperties[] = [roleIdField, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['role'], operation: ['get'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readUuid(this, itemIndex, 'roleId', 'Role ID', 'role ID');
	return {
		request: { method: 'GET', path: `/roles/${id}` },
		scopes: ['roles:read', 'roles:admin'],
	};
}
