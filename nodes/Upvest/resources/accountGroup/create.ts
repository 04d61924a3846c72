import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UpvestRequest } from '../../transport/request';
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

const show = { resource: ['accountGroup'], operation: ['create'] };

export const description: INodeProperties[] = [
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
		displayOptions: { show },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 413715f2-5401-4b97-8055-034a6b879f8c',
		description: 'ID of the Upvest user who owns the account group',
		displayOptions: { show: { ...show, ownerType: ['user'] } },
	},
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
		displayOptions: { show: { ...show, ownerType: ['user'] } },
	},
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
		description: 'ID of the Upvest business that owns the account group (type BUSINESS)',
		displayOptions: { show: { ...show, ownerType: ['business'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
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
];

export function buildRequest(this: IExecuteFunctions, itemIndex: number): UpvestRequest {
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
	return { method: 'POST', path: '/account_groups', body };
}
