import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { countryOptions } from '../../shared/countries';
import { ItemFields } from '../../shared/fields';
import { listEntries, readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { USERS_READ, userIdField } from '../user/userId';

const IDENTIFIER_TYPES = ['NATIONAL_ID', 'PASSPORT'] as const;
/** Upvest derives this standard from the user's name and birth date itself. */
const CONCAT = 'CONCAT';

const user = userIdField('The user the identifier belongs to');

const properties: INodeProperties[] = [
	user.property,
	{
		displayName:
			'Needed when the user’s decisive nationality is not AT, DE, FR, HU, IE or LU: Upvest generates those (CONCAT) itself.',
		name: 'identifierNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Identifier Type',
		name: 'identifierType',
		type: 'options',
		options: [
			{ name: 'National ID', value: 'NATIONAL_ID' },
			{ name: 'Passport', value: 'PASSPORT' },
		],
		default: 'NATIONAL_ID',
	},
	{
		displayName: 'Issuing Country',
		name: 'issuingCountry',
		type: 'options',
		options: countryOptions,
		default: 'PL',
		description: 'The nationality the identifier belongs to',
	},
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		default: '',
		placeholder: 'e.g. 02070803628',
		description:
			'The identifier itself, e.g. a PESEL number; leave empty only with the standard CONCAT',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Identifier Standard',
				name: 'identifierStandard',
				type: 'string',
				default: '',
				placeholder: 'e.g. PESEL',
				description:
					'The standard of the identifier (up to 6 characters); empty: the issuing country’s first one. CONCAT asks Upvest to generate it from name and birth date.',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('userIdentifier', 'create'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const userId = readId(this, itemIndex, user);
	const fields = new ItemFields(this, itemIndex);
	const body: IDataObject = {
		type: fields.option('Identifier Type', fields.param('identifierType'), IDENTIFIER_TYPES),
		issuing_country: fields.country('Issuing Country', fields.param('issuingCountry'), true),
	};
	const standard = fields.text(
		'Identifier Standard',
		fields.group('additionalFields').identifierStandard,
		{ max: 6, pattern: /^[A-Z0-9]+$/, patternHint: 'capital letters and digits, e.g. PESEL' },
	);
	if (standard !== undefined) body.identifier_standard = standard;
	const identifier = fields.text(
		'Identifier',
		fields.param('identifier'),
		{ max: 30 },
		standard !== CONCAT,
	);
	if (identifier !== undefined) {
		if (standard === CONCAT) {
			fields.fail('Identifier', 'must be empty with the standard CONCAT', 'Clear the Identifier.');
		}
		body.identifier = identifier;
	}
	const path = `/users/${userId}/identifiers`;
	return {
		request: { method: 'POST', path, body },
		scopes: ['users:admin'],
		creates: true,
		// Upvest takes no idempotency key here: an identifier a run already added is looked up.
		existing: {
			request: { method: 'GET', path },
			scopes: USERS_READ,
			find: (answer) =>
				listEntries(answer).find(
					(entry) =>
						entry.type === body.type &&
						entry.issuing_country === body.issuing_country &&
						(standard === undefined || entry.identifier_standard === standard) &&
						(identifier === undefined || entry.identifier === identifier),
				),
		},
		output: (answer, found) => ({ ...answer, alreadyExisted: found === true }),
	};
}
