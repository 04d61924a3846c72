import type { INodeProperties } from 'n8n-workflow';

import { UUID_PATTERN } from './validation';

/**
 * An account group, picked from a searchable list or typed by ID. Workflows saved when this was a
 * plain text field keep their string value: the editor shows it (with no mode chosen until the
 * user picks one) and the node reads it as the ID.
 */
export function accountGroupLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Account Group ID',
		name: 'accountGroupId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The account group, from the list or by its ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an account group...',
				typeOptions: { searchListMethod: 'searchAccountGroups', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
				validation: [
					{
						type: 'regex',
						properties: { regex: UUID_PATTERN, errorMessage: 'Not a valid UUID' },
					},
				],
			},
		],
		...overrides,
	};
}

/** A required ID field typed as text (a UUID, checked before sending). */
function idField(
	name: string,
	displayName: string,
	example: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${example}`,
		description,
	};
}

export const userIdField = (description: string, overrides: Partial<INodeProperties> = {}) => ({
	...idField('userId', 'User ID', '413715f2-5401-4b97-8055-034a6b879f8c', description),
	...overrides,
});

export const businessIdField = (description: string, overrides: Partial<INodeProperties> = {}) => ({
	...idField('businessId', 'Business ID', '3fa85f64-5717-4562-b3fc-2c963f66afa6', description),
	...overrides,
});
