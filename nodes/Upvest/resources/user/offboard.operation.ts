import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { userIdField } from './userId';

const user = userIdField('The user to offboard');

const properties: INodeProperties[] = [
	user.property,
	{
		displayName:
			'Close the user’s accounts and account groups first. Upvest offboards asynchronously: it answers at once and reports USER.OFFBOARDING_INITIATED, then USER.OFFBOARDED once nothing is open any more.',
		name: 'offboardNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('user', 'offboard'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = readId(this, itemIndex, user);
	return {
		request: { method: 'DELETE', path: `/users/${id}` },
		scopes: ['users:admin'],
		// Upvest answers 202 without a body; the item names what was asked.
		output: (answer: IDataObject) => ({ id, offboardRequested: true, ...answer }),
	};
}
