import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { ACCOUNTS_ADMIN, accountIdField } from './accountId';

const account = accountIdField('The account to close');

const properties: INodeProperties[] = [
	account.property,
	{
		displayName:
			'Upvest closes the account asynchronously: it answers at once, reports ACCOUNT.CLOSING_INITIATED, and ACCOUNT.CLOSED once no positions are left.',
		name: 'closeNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('account', 'close'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readId(this, itemIndex, account);
	return {
		request: { method: 'DELETE', path: `/accounts/${id}` },
		scopes: ACCOUNTS_ADMIN,
		advice: {
			409: {
				reason: 'the account’s status does not allow closing it',
				fix: 'An account that is already CLOSING or CLOSED, or LOCKED, cannot be closed: check it with Account → Get.',
			},
		},
		// Upvest answers 202 without a body; the item names what was asked.
		output: (answer: IDataObject) => ({ id, closeRequested: true, ...answer }),
	};
}
