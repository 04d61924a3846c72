import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { accountGroupLocator, businessLocator, userLocator } from '../../shared/descriptions';
import { idempotencyOptions } from '../../shared/idempotency';
import { optionsCollection } from '../../shared/options';
import { readChoice, readUuid } from '../../shared/validation';

export const ENTITY_TYPES = ['accountGroup', 'business'] as const;
export const ACCOUNT_GROUP_ROLE_TYPES = ['GUARDIAN'] as const;
export const BUSINESS_ROLE_TYPES = [
	'LEGAL_REPRESENTATIVE',
	'AUTHORISED_SIGNATORY',
	'ULTIMATE_BENEFICIAL_OWNER',
	'CONTRACTING_EXECUTIVE',
	'TRADER',
] as const;
export const CUSTODY_TYPES = ['SOLE_CUSTODY', 'JOINT_CUSTODY'] as const;

const showAccountGroup = { entityType: ['accountGroup'] };
const showBusiness = { entityType: ['business'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Entity Type',
		name: 'entityType',
		type: 'options',
		options: [
			{
				name: 'Account Group',
				value: 'accountGroup',
				description: 'A role on a (child) account group',
			},
			{ name: 'Business', value: 'business', description: 'A role on a business' },
		],
		default: 'accountGroup',
		description: 'What the role is on. Accepts an expression, so one node can handle mixed items.',
	},
	userLocator({ description: 'The user who gets the role' }),
	// Same name as the Business ID below: both are the body's entity_id, and workflows saved with
	// either variant keep their value.
	accountGroupLocator({
		name: 'entityId',
		description: 'The account group the role is on',
		displayOptions: { show: showAccountGroup },
	}),
	businessLocator({
		name: 'entityId',
		description: 'The business the role is on',
		displayOptions: { show: showBusiness },
	}),

	{
		// Guardian is the only role a client gives on an account group (Upvest sets the child's
		// role itself), so there is no choice to keep: switching Entity Type cannot leave a
		// business role type behind.
		displayName: 'Role Type: Guardian, a legal custodian of the child account group',
		name: 'guardianNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showAccountGroup },
	},
	{
		displayName: 'Role Type',
		name: 'roleType',
		type: 'options',
		options: [
			{
				name: 'Authorised Signatory',
				value: 'AUTHORISED_SIGNATORY',
				description: 'May sign documents on behalf of the business',
			},
			{
				name: 'Contracting Executive',
				value: 'CONTRACTING_EXECUTIVE',
				description: 'Enters into the contract with Upvest on behalf of the business',
			},
			{
				name: 'Legal Representative',
				value: 'LEGAL_REPRESENTATIVE',
				description: 'Officially represents the business',
			},
			{ name: 'Trader', value: 'TRADER', description: 'May trade on behalf of the business' },
			{
				name: 'Ultimate Beneficial Owner',
				value: 'ULTIMATE_BENEFICIAL_OWNER',
				description: 'Ultimately owns or controls the business',
			},
		],
		default: 'LEGAL_REPRESENTATIVE',
		displayOptions: { show: showBusiness },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showAccountGroup },
		options: [
			{
				displayName: 'Custody Type',
				name: 'custodyType',
				type: 'options',
				options: [
					{
						name: 'Sole Custody',
						value: 'SOLE_CUSTODY',
						description: 'This guardian has sole custody',
					},
					{
						name: 'Joint Custody',
						value: 'JOINT_CUSTODY',
						description: 'Custody is shared with another guardian',
					},
				],
				default: 'SOLE_CUSTODY',
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['role'], operation: ['create'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const entityType = readChoice(
		this,
		itemIndex,
		'entityType',
		'Entity Type',
		ENTITY_TYPES,
		'Use "accountGroup" or "business" (an expression must produce one of these).',
	);
	const onAccountGroup = entityType === 'accountGroup';
	const body: IDataObject = {
		user_id: readUuid(this, itemIndex, 'userId', 'User ID', 'ID of the Upvest user'),
		entity_type: onAccountGroup ? 'ACCOUNT_GROUP' : 'BUSINESS',
		entity_id: onAccountGroup
			? readUuid(this, itemIndex, 'entityId', 'Account Group ID', 'ID of the account group')
			: readUuid(this, itemIndex, 'entityId', 'Business ID', 'ID of the business'),
		role_type: onAccountGroup
			? readChoice(
					this,
					itemIndex,
					'roleType',
					'Role Type',
					ACCOUNT_GROUP_ROLE_TYPES,
					`A role on an account group must be GUARDIAN; ${BUSINESS_ROLE_TYPES.join(', ')} are roles on a business (set Entity Type to Business).`,
					'GUARDIAN',
				)
			: readChoice(
					this,
					itemIndex,
					'roleType',
					'Role Type',
					BUSINESS_ROLE_TYPES,
					`A role on a business must be one of ${BUSINESS_ROLE_TYPES.join(', ')}; GUARDIAN is a role on an account group.`,
				),
	};
	if (onAccountGroup) {
		const additionalFields = this.getNodeParameter(
			'additionalFields',
			itemIndex,
			{},
		) as IDataObject;
		if (additionalFields.custodyType !== undefined && additionalFields.custodyType !== '') {
			body.custody_type = readChoice(
				this,
				itemIndex,
				'additionalFields.custodyType',
				'Custody Type',
				CUSTODY_TYPES,
			);
		}
	}
	return {
		request: { method: 'POST', path: '/roles', body },
		scopes: ['roles:admin'],
		creates: true,
	};
}
