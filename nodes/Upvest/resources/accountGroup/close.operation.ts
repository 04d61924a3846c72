import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { accountGroupLocator } from '../../shared/descriptions';
import { optionsCollection } from '../../shared/options';
import { readUuid } from '../../shared/validation';

const properties: INodeProperties[] = [
	accountGroupLocator({ description: 'The account group to close' }),
	{
		displayName:
			'Upvest closes the account group asynchronously: it answers at once (status CLOSING) and reports ACCOUNT_GROUP.CLOSED later.',
		name: 'closeNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['accountGroup'], operation: ['close'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readUuid(this, itemIndex, 'accountGroupId', 'Account Group ID', 'account group ID');
	return {
		request: { method: 'DELETE', path: `/account_groups/${id}` },
		scopes: ['accounts:admin'],
		advice: {
			409: {
				reason: 'the account group’s status does not allow closing it',
				fix: 'A group that is already CLOSING or CLOSED cannot be closed again: check it with Account Group → Get.',
			},
		},
		// Upvest answers 202 Accepted; when it sends no body the item still names what was closed.
		output: (answer: IDataObject) => ({ id, closeRequested: true, ...answer }),
	};
}
