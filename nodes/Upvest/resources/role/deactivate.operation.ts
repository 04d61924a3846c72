import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { optionsCollection } from '../../shared/options';
import { readUuid } from '../../shared/validation';
import { roleIdField } from './roleId';

const properties: INodeProperties[] = [
	{ ...roleIdField, description: 'ID of the role to deactivate' },
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['role'], operation: ['deactivate'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readUuid(this, itemIndex, 'roleId', 'Role ID', 'role ID');
	return {
		request: { method: 'DELETE', path: `/roles/${id}` },
		scopes: ['roles:admin'],
		advice: {
			// Upvest deactivates business roles only; a guardian's role on an account group is
			// refused with 403, which is not a missing scope (docs/endpoints.md).
			403: {
				reason: 'Upvest deactivates business roles only',
				fix: 'This role is on an account group (a guardian): Upvest does not deactivate those through the API. Roles on a business (legal representative, UBO, …) can be deactivated.',
			},
		},
		// Upvest may answer without a body; the item still names what was deactivated.
		output: (answer: IDataObject) => ({ id, deactivated: true, ...answer }),
	};
}
