import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { readId, returnAllAndLimit, show, unpagedList } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { USERS_READ, userIdField } from '../user/userId';

const user = userIdField('The user whose identifiers to list');

const properties: INodeProperties[] = [user.property, ...returnAllAndLimit, optionsCollection()];

export const description = updateDisplayOptions(show('userIdentifier', 'getAll'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const userId = readId(this, itemIndex, user);
	return {
		request: { method: 'GET', path: `/users/${userId}/identifiers` },
		scopes: USERS_READ,
		output: unpagedList(this, itemIndex),
	};
}
