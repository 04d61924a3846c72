import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { ItemFields } from '../../shared/fields';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { ACCOUNTS_ADMIN, accountIdField } from './accountId';

const account = accountIdField('The account to rename');

const properties: INodeProperties[] = [
	account.property,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Savings for Lena',
		description:
			'The account’s new name, up to 100 characters; the only field Upvest lets you change',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('account', 'update'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readId(this, itemIndex, account);
	const fields = new ItemFields(this, itemIndex);
	const name = fields.text('Name', fields.param('name'), { max: 100 }, true);
	return {
		request: { method: 'PATCH', path: `/accounts/${id}`, body: { name } },
		scopes: ACCOUNTS_ADMIN,
	};
}
