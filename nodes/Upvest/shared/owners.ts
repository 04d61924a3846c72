/**
 * Who owns an account group or an account: a user or a business. The same choice, fields and
 * body keys on Create, and the same "Owned By" choice on Get Many.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PreparedCall } from '../node.type';
import { businessLocator, userLocator } from './descriptions';
import { listSortOptions, readListOrder, readPaging, returnAllAndLimit } from './listing';
import { optionsCollection } from './options';
import { readChoice, readUuid } from './validation';

export const OWNER_TYPES = ['user', 'business'] as const;
const OWNED_BY = ['all', 'user', 'business'] as const;

/** Owner Type, and the user or business it asks for; `noun` is e.g. "account group". */
export function ownerParameters(noun: string): INodeProperties[] {
	return [
		{
			displayName: 'Owner Type',
			name: 'ownerType',
			type: 'options',
			options: [
				{ name: 'User', value: 'user', description: `An ${noun} owned by a person (user)` },
				{ name: 'Business', value: 'business', description: `An ${noun} owned by a business` },
			],
			default: 'user',
			description: `Who owns the ${noun}. Accepts an expression, so one node can handle mixed items.`,
		},
		userLocator({
			description: `The user who owns the ${noun}`,
			displayOptions: { show: { ownerType: ['user'] } },
		}),
		businessLocator({
			description: `The business that owns the ${noun}`,
			displayOptions: { show: { ownerType: ['business'] } },
		}),
	];
}

/** The owner as Upvest's body has it: `{user_id}` or `{business_id}`. */
export function readOwner(
	context: IExecuteFunctions,
	itemIndex: number,
): { ownerType: (typeof OWNER_TYPES)[number]; body: IDataObject } {
	const ownerType = readChoice(
		context,
		itemIndex,
		'ownerType',
		'Owner Type',
		OWNER_TYPES,
		'Use "user" or "business" (an expression must produce one of these).',
	);
	const body =
		ownerType === 'user'
			? { user_id: readUuid(context, itemIndex, 'userId', 'User ID', 'ID of the Upvest user') }
			: {
					business_id: readUuid(
						context,
						itemIndex,
						'businessId',
						'Business ID',
						'ID of the Upvest business',
					),
				};
	return { ownerType, body };
}

/** Get Many of account groups or accounts: all of the API client's, a user's or a business's. */
export function ownedByListing(nouns: string, segment: string, scopes: readonly string[]) {
	const properties: INodeProperties[] = [
		{
			displayName: 'Owned By',
			name: 'ownedBy',
			type: 'options',
			options: [
				{
					name: 'Anyone',
					value: 'all',
					description: `Every ${nouns.slice(0, -1)} of your API client`,
				},
				{ name: 'A User', value: 'user', description: `The ${nouns} of one user` },
				{ name: 'A Business', value: 'business', description: `The ${nouns} of one business` },
			],
			default: 'all',
			description: `Whose ${nouns} to list`,
		},
		userLocator({
			description: `The user whose ${nouns} to list`,
			displayOptions: { show: { ownedBy: ['user'] } },
		}),
		businessLocator({
			description: `The business whose ${nouns} to list`,
			displayOptions: { show: { ownedBy: ['business'] } },
		}),
		...returnAllAndLimit,
		optionsCollection(listSortOptions),
	];

	function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
		const ownedBy = readChoice(this, itemIndex, 'ownedBy', 'Owned By', OWNED_BY, undefined, 'all');
		let path = `/${segment}`;
		if (ownedBy === 'user') {
			path = `/users/${readUuid(this, itemIndex, 'userId', 'User ID', 'ID of the Upvest user')}/${segment}`;
		} else if (ownedBy === 'business') {
			const businessId = readUuid(
				this,
				itemIndex,
				'businessId',
				'Business ID',
				'ID of the Upvest business',
			);
			path = `/businesses/${businessId}/${segment}`;
		}
		return {
			request: { method: 'GET', path, query: readListOrder(this, itemIndex) },
			scopes,
			paging: readPaging(this, itemIndex),
		};
	}
	return { properties, prepare };
}
