/**
 * The shape of the invalid-parameter tables (one broken field in one of three items, and the
 * message and fix the node must give), their builders, and the table for the batch Options.
 * The tables per resource are in validation-cases.account-groups.ts and validation-cases.roles.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	ACCOUNT_GROUP_FROM_JSON,
	GOOD_BUSINESS_GROUP,
	GOOD_BUSINESS_ROLE,
	GOOD_GUARDIAN,
	GOOD_USER_GROUP,
	ROLE_FROM_JSON,
} from './node-builders';

export interface InvalidCase {
	name: string;
	parameters: INodeParameters;
	/** Three items; the broken one is at `index`. */
	items: IDataObject[];
	index: number;
	/** The field's display name, as the message must show it. */
	field: string;
	message: RegExp;
	fix: RegExp;
}

/** The fix for any malformed UUID: where to copy the right value from. */
export const UUID_FIX = /as Upvest returned it, e\.g\. [0-9a-f-]{36}/;

/** The three items of a case: valid ones around the broken one. */
function itemsWith(goodItems: IDataObject[], index: number, broken: IDataObject): IDataObject[] {
	const items = goodItems.map((item) => ({ ...item }));
	items[index] = broken;
	return items;
}

/** A case builder for one create: the broken item is `base` (the first good item) with `bad`. */
function caseBuilder(parameters: INodeParameters, goodItems: IDataObject[]) {
	return (
		name: string,
		index: number,
		bad: IDataObject,
		field: string,
		message: RegExp,
		fix: RegExp,
		base = goodItems[0],
	): InvalidCase => ({
		name,
		parameters,
		items: itemsWith(goodItems, index, { ...base, ...bad }),
		index,
		field,
		message,
		fix,
	});
}

/** Account Group → Create, between a user's and a business's valid groups. */
export const groupCase = caseBuilder(ACCOUNT_GROUP_FROM_JSON, [
	GOOD_USER_GROUP,
	GOOD_BUSINESS_GROUP,
	GOOD_USER_GROUP,
]);
/** Role → Create, between a valid guardian and a valid business role. */
export const roleCase = caseBuilder(ROLE_FROM_JSON, [
	GOOD_GUARDIAN,
	GOOD_BUSINESS_ROLE,
	GOOD_GUARDIAN,
]);

/** Options are read once, from the first item: every item is valid, the error names item 0. */
function optionCase(
	name: string,
	options: IDataObject,
	field: string,
	message: RegExp,
): InvalidCase {
	return {
		name,
		parameters: { ...ACCOUNT_GROUP_FROM_JSON, options: options as INodeParameters },
		items: [GOOD_USER_GROUP, GOOD_BUSINESS_GROUP, GOOD_USER_GROUP],
		index: 0,
		field,
		message,
		fix: new RegExp(`Set Options → ${field}`),
	};
}

const outOfRange = (field: string, option: string, values: number[], range: string) =>
	values.map((value) =>
		optionCase(
			`${field.toLowerCase()} ${value}`,
			{ [option]: value },
			field,
			new RegExp(`must be a whole number from ${range}`),
		),
	);

export const INVALID_OPTIONS: InvalidCase[] = [
	...outOfRange('Concurrency', 'concurrency', [0, 33], '1 to 32'),
	optionCase('concurrency 2.5', { concurrency: 2.5 }, 'Concurrency', /must be a whole number/),
	...outOfRange('Max Attempts', 'maxAttempts', [11, 0, -1], '1 to 10'),
];
