import type { INodeProperties } from 'n8n-workflow';

import { UUID_PATTERN } from './validation';

interface LocatorKind {
	name: string;
	displayName: string;
	/** e.g. "an account group": the description and the list's placeholder use it. */
	noun: string;
	searchListMethod: string;
	example: string;
}

/**
 * An Upvest resource, picked from a searchable list or typed by ID. Workflows saved when the
 * field was plain text keep their string value: the editor shows it (with no mode chosen until
 * the user picks one) and the node reads it as the ID.
 */
function locator(kind: LocatorKind, overrides: Partial<INodeProperties>): INodeProperties {
	return {
		displayName: kind.displayName,
		name: kind.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: `The ${kind.noun.replace(/^an? /, '')}, from the list or by its ID`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${kind.noun}...`,
				typeOptions: { searchListMethod: kind.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${kind.example}`,
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

export const accountGroupLocator = (overrides: Partial<INodeProperties> = {}) =>
	locator(
		{
			name: 'accountGroupId',
			displayName: 'Account Group ID',
			noun: 'an account group',
			searchListMethod: 'searchAccountGroups',
			example: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
		},
		overrides,
	);

export const userLocator = (overrides: Partial<INodeProperties> = {}) =>
	locator(
		{
			name: 'userId',
			displayName: 'User ID',
			noun: 'a user',
			searchListMethod: 'searchUsers',
			example: '413715f2-5401-4b97-8055-034a6b879f8c',
		},
		overrides,
	);

export const accountLocator = (overrides: Partial<INodeProperties> = {}) =>
	locator(
		{
			name: 'accountId',
			displayName: 'Account ID',
			noun: 'an account',
			searchListMethod: 'searchAccounts',
			example: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
		},
		overrides,
	);

export const businessLocator = (overrides: Partial<INodeProperties> = {}) =>
	locator(
		{
			name: 'businessId',
			displayName: 'Business ID',
			noun: 'a business',
			searchListMethod: 'searchBusinesses',
			example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
		},
		overrides,
	);
