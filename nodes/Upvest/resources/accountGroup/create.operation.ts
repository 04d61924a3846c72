import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { idempotencyOptions } from '../../shared/idempotency';
import { optionsCollection } from '../../shared/options';
import { ownerParameters, readOwner } from '../../shared/owners';
import { describeValue, invalidParameter, readChoice } from '../../shared/validation';

export const USER_ACCOUNT_GROUP_TYPES = [
	'PERSONAL',
	'LEGAL_ENTITY',
	'FRENCH_PEA',
	'ISA',
	'CHILD',
] as const;
const SECURITIES_ACCOUNT_NUMBER = /^[0-9]{9}$/;

const properties: INodeProperties[] = [
	...ownerParameters('account group'),
	{
		displayName: 'Account Group Type',
		name: 'accountGroupType',
		type: 'options',
		options: [
			{
				name: 'Child',
				value: 'CHILD',
				description: 'Account group of a minor; guardians are added with Role → Create',
			},
			{
				name: 'French PEA',
				value: 'FRENCH_PEA',
				description: 'French Plan d’Épargne en Actions, a tax-advantaged equity savings account',
			},
			{
				name: 'ISA',
				value: 'ISA',
				description: 'UK Individual Savings Account, a tax-advantaged account',
			},
			{
				name: 'Legal Entity',
				value: 'LEGAL_ENTITY',
				description: 'Account group of a legal entity holding assets on behalf of their users',
			},
			{
				name: 'Personal',
				value: 'PERSONAL',
				description: 'Account group of a person holding assets on their own behalf',
			},
		],
		default: 'PERSONAL',
		displayOptions: { show: { ownerType: ['user'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Securities Account Number',
				name: 'securitiesAccountNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 123456789',
				description: 'Nine-digit securities account number to use; Upvest assigns one when empty',
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['accountGroup'], operation: ['create'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const owner = readOwner(this, itemIndex);
	const body: IDataObject = {
		...owner.body,
		type:
			owner.ownerType === 'user'
				? readChoice(
						this,
						itemIndex,
						'accountGroupType',
						'Account Group Type',
						USER_ACCOUNT_GROUP_TYPES,
					)
				: 'BUSINESS',
	};

	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const accountNumber = String(additionalFields.securitiesAccountNumber ?? '').trim();
	if (accountNumber !== '') {
		if (!SECURITIES_ACCOUNT_NUMBER.test(accountNumber)) {
			throw invalidParameter(
				this,
				itemIndex,
				'Securities Account Number',
				`must be nine digits, got ${describeValue(accountNumber)}`,
				'Enter exactly nine digits, or remove the field to let Upvest assign one.',
			);
		}
		body.securities_account_number = accountNumber;
	}
	return {
		request: { method: 'POST', path: '/account_groups', body },
		scopes: ['accounts:admin'],
		creates: true,
	};
}
