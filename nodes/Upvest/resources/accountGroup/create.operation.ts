import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { businessIdField, userIdField } from '../../shared/descriptions';
import { idempotencyOptions } from '../../shared/idempotency';
import { optionsCollection } from '../../shared/options';
import { invalidParameter, readChoice, readUuid } from '../../shared/validation';

export const OWNER_TYPES = ['user', 'business'] as const;
export const USER_ACCOUNT_GROUP_TYPES = [
	'PERSONAL',
	'LEGAL_ENTITY',
	'FRENCH_PEA',
	'ISA',
	'CHILD',
] as const;
const SECURITIES_ACCOUNT_NUMBER = /^[0-9]{9}$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Owner Type',
		name: 'ownerType',
		type: 'options',
		options: [
			{ name: 'User', value: 'user', description: 'An account group owned by a person (user)' },
			{ name: 'Business', value: 'business', description: 'An account group owned by a business' },
		],
		default: 'user',
		description:
			'Who owns the account group. Accepts an expression, so one node can handle mixed items.',
	},
	userIdField('ID of the Upvest user who owns the account group', {
		displayOptions: { show: { ownerType: ['user'] } },
	}),

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
	businessIdField('ID of the Upvest business that owns the account group (type BUSINESS)', {
		displayOptions: { show: { ownerType: ['business'] } },
	}),

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
	const ownerType = readChoice(
		this,
		itemIndex,
		'ownerType',
		'Owner Type',
		OWNER_TYPES,
		'Use "user" or "business" (an expression must produce one of these).',
	);
	const body: IDataObject =
		ownerType === 'user'
			? {
					user_id: readUuid(this, itemIndex, 'userId', 'User ID', 'ID of the Upvest user'),
					type: readChoice(
						this,
						itemIndex,
						'accountGroupType',
						'Account Group Type',
						USER_ACCOUNT_GROUP_TYPES,
					),
				}
			: {
					business_id: readUuid(
						this,
						itemIndex,
						'businessId',
						'Business ID',
						'ID of the Upvest business',
					),
					type: 'BUSINESS',
				};

	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const accountNumber = String(additionalFields.securitiesAccountNumber ?? '').trim();
	if (accountNumber !== '') {
		if (!SECURITIES_ACCOUNT_NUMBER.test(accountNumber)) {
			throw invalidParameter(
				this,
				itemIndex,
				'Securities Account Number',
				`must be nine digits, got "${accountNumber}"`,
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
