import type { INodeProperties } from 'n8n-workflow';

/** The role to read or deactivate, by its ID. */
export const roleIdField: INodeProperties = {
	displayName: 'Role ID',
	name: 'roleId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f',
	description: 'ID of the role, as Role → Create or Get Many returned it',
};
