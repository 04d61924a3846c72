import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { countryOptions } from '../../shared/countries';
import { ItemFields } from '../../shared/fields';
import { idempotencyOptions } from '../../shared/idempotency';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { userIdField } from '../user/userId';

const MISSING_TIN_REASONS = [
	'TIN_NOT_YET_ASSIGNED',
	'COUNTRY_HAS_NO_TIN',
	'OTHER_REASONS',
] as const;

const user = userIdField('The user whose tax residencies to set');

const properties: INodeProperties[] = [
	user.property,
	{
		displayName:
			'Replaces all of the user’s tax residencies with these. Every user declares at least one.',
		name: 'taxResidencyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Tax Residencies',
		name: 'taxResidencies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		required: true,
		placeholder: 'Add Tax Residency',
		default: {},
		options: [
			{
				name: 'residency',
				displayName: 'Tax Residency',
				values: [
					{
						displayName: 'Country',
						name: 'country',
						type: 'options',
						options: countryOptions,
						default: 'DE',
					},
					{
						displayName: 'Tax Identification Number',
						name: 'taxIdentifierNumber',
						type: 'string',
						default: '',
						placeholder: 'e.g. 12345678901',
						description: '7 to 50 characters; leave empty and give a reason when there is none',
					},
					{
						displayName: 'Reason Without Number',
						name: 'missingTinReason',
						type: 'options',
						options: [
							{ name: 'None (a Number Is Given)', value: '' },
							{ name: 'Not Yet Assigned', value: 'TIN_NOT_YET_ASSIGNED' },
							{ name: 'The Country Has No Tax Numbers', value: 'COUNTRY_HAS_NO_TIN' },
							{ name: 'Other Reasons', value: 'OTHER_REASONS' },
						],
						default: '',
					},
				],
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(show('taxResidency', 'set'), properties);

function readResidency(fields: ItemFields, entry: IDataObject, position: number): IDataObject {
	const label = `Tax Residency ${position + 1}`;
	const country = fields.country(`${label}: Country`, entry.country, true) as string;
	const number = fields.text(`${label}: Tax Identification Number`, entry.taxIdentifierNumber, {
		min: 7,
		max: 50,
	});
	const reason = fields.option(
		`${label}: Reason Without Number`,
		entry.missingTinReason,
		MISSING_TIN_REASONS,
		false,
	);
	if ((number === undefined) === (reason === undefined)) {
		fields.fail(
			label,
			number === undefined ? 'has neither a number nor a reason' : 'has both a number and a reason',
			'Give the tax identification number, or choose why there is none.',
		);
	}
	return number === undefined
		? { country, missing_tin_reason: reason }
		: { country, tax_identifier_number: number };
}

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const userId = readId(this, itemIndex, user);
	const fields = new ItemFields(this, itemIndex);
	const group = fields.group('taxResidencies');
	const entries = Array.isArray(group.residency) ? (group.residency as IDataObject[]) : [];
	if (entries.length === 0) {
		fields.fail('Tax Residencies', 'is empty', 'Add at least one tax residency.');
	}
	const residencies = entries.map((entry, position) => readResidency(fields, entry, position));
	const countries = residencies.map((residency) => residency.country);
	if (new Set(countries).size !== countries.length) {
		fields.fail('Tax Residencies', 'name a country twice', 'Give each country once.');
	}
	return {
		request: {
			method: 'POST',
			path: `/users/${userId}/tax_residencies`,
			body: { tax_residencies: residencies },
		},
		scopes: ['taxes:admin'],
		creates: true,
	};
}
