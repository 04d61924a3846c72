/**
 * An address as Upvest takes it (a user's address and postal address, a check's confirmed
 * address, a business's registered address): one group of fields in the editor, one object on
 * the wire. Upvest refuses P.O. boxes and c/o addresses; that cannot be checked here.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { countryOptions } from './countries';
import type { ItemFields } from './fields';

/** The single entry of the address group (`<name>.details`). */
const ENTRY = 'details';
const POSTCODE = /^[a-zA-Z0-9][a-zA-Z0-9\s-]{0,8}[a-zA-Z0-9]?$/;

const addressFields: INodeProperties[] = [
	{
		displayName: 'Address Line 1',
		name: 'addressLine1',
		type: 'string',
		default: '',
		placeholder: 'e.g. Rosenweg 221',
		description: 'Street and house number, not a post office box or c/o address',
	},
	{
		displayName: 'Address Line 2',
		name: 'addressLine2',
		type: 'string',
		default: '',
		placeholder: 'e.g. apt. 33',
	},
	{
		displayName: 'Postcode',
		name: 'postcode',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10117',
	},
	{ displayName: 'City', name: 'city', type: 'string', default: '', placeholder: 'e.g. Berlin' },
	{
		displayName: 'State',
		name: 'state',
		type: 'string',
		default: '',
		placeholder: 'e.g. BE',
		description: 'State or region, where the country has them',
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'options',
		options: countryOptions,
		default: 'DE',
		description: 'The country; an expression gives its ISO 3166-1 code, e.g. DE',
	},
];

/** An address group parameter named `name`, shown as `displayName`. */
export function addressParameter(
	name: string,
	displayName: string,
	overrides: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		placeholder: `Add ${displayName}`,
		default: {},
		options: [{ name: ENTRY, displayName, values: addressFields }],
		...overrides,
	};
}

/**
 * Reads and checks an address group; `value` is the parameter's value (`{details: {...}}`) or,
 * from an expression, the address object itself in either naming.
 */
export function readAddress(
	fields: ItemFields,
	label: string,
	value: unknown,
	required: boolean,
): IDataObject | undefined {
	const group = (value ?? {}) as IDataObject;
	const address = ((group[ENTRY] as IDataObject | undefined) ?? group) as IDataObject;
	const pick = (camel: string, snake: string) => address[camel] ?? address[snake];
	const line1 = pick('addressLine1', 'address_line1');
	if (Object.keys(address).length === 0 || line1 === undefined) {
		if (required) fields.fail(label, 'is empty', `Add the ${label.toLowerCase()} and fill it in.`);
		return undefined;
	}
	const body: IDataObject = {
		address_line1: fields.text(`${label}: Address Line 1`, line1, { max: 100 }, true),
	};
	const line2 = fields.text(`${label}: Address Line 2`, pick('addressLine2', 'address_line2'), {
		max: 100,
	});
	if (line2 !== undefined) body.address_line2 = line2;
	body.postcode = fields.text(
		`${label}: Postcode`,
		pick('postcode', 'postcode'),
		{ max: 10, pattern: POSTCODE, patternHint: 'up to 10 letters, digits, spaces and hyphens' },
		true,
	);
	body.city = fields.text(`${label}: City`, pick('city', 'city'), { max: 85 }, true);
	const state = fields.text(`${label}: State`, pick('state', 'state'), { max: 50 });
	if (state !== undefined) body.state = state;
	body.country = fields.country(`${label}: Country`, pick('country', 'country'), true);
	return body;
}
