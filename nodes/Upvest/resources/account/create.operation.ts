import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { accountGroupLocator } from '../../shared/descriptions';
import { ItemFields } from '../../shared/fields';
import { idempotencyOptions } from '../../shared/idempotency';
import { show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { ownerParameters, readOwner } from '../../shared/owners';
import { readChoice, readUuid } from '../../shared/validation';
import { ACCOUNTS_ADMIN } from './accountId';

export const ACCOUNT_TYPES = ['TRADING', 'PORTFOLIO'] as const;

const properties: INodeProperties[] = [
	...ownerParameters('account'),
	accountGroupLocator({ description: 'The account group the account is opened in' }),
	{
		displayName: 'Account Type',
		name: 'accountType',
		type: 'options',
		options: [
			{
				name: 'Trading',
				value: 'TRADING',
				description: 'An account the customer trades in themselves',
			},
			{
				name: 'Portfolio',
				value: 'PORTFOLIO',
				description: 'An account managed as a portfolio (wealth management)',
			},
		],
		default: 'TRADING',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Savings for Lena',
				description: 'A name for the account, up to 100 characters',
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(show('account', 'create'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	// The owner must own the account group too; Upvest checks that.
	const body: IDataObject = { ...readOwner(this, itemIndex).body };
	body.account_group_id = readUuid(
		this,
		itemIndex,
		'accountGroupId',
		'Account Group ID',
		'account group ID',
	);
	body.type = readChoice(this, itemIndex, 'accountType', 'Account Type', ACCOUNT_TYPES);
	const fields = new ItemFields(this, itemIndex);
	const name = fields.text('Name', fields.group('additionalFields').name, { max: 100 });
	if (name !== undefined) body.name = name;
	return {
		request: { method: 'POST', path: '/accounts', body },
		scopes: ACCOUNTS_ADMIN,
		creates: true,
	};
}
