import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { addressParameter, readAddress } from '../../shared/address';
import { consentParameters, readConsents } from '../../shared/consents';
import { countryOptions } from '../../shared/countries';
import { ItemFields } from '../../shared/fields';
import { idempotencyOptions } from '../../shared/idempotency';
import { optionsCollection } from '../../shared/options';

export const LICENCE_MODELS = ['byol', 'tol'] as const;
const SALUTATIONS = [
	'SALUTATION_MALE',
	'SALUTATION_FEMALE',
	'SALUTATION_FEMALE_MARRIED',
	'SALUTATION_DIVERSE',
] as const;
const TITLES = ['DR', 'PROF', 'PROF_DR', 'DIPL_ING', 'MAGISTER'] as const;
const GENDERS = ['MALE', 'FEMALE', 'DIVERSE'] as const;
const TAGS = ['CLIENT_EMPLOYEE'] as const;
const PHONE = /^[0-9]{8,15}$/;
const SOCIAL_SECURITY_NUMBER = /^\d{2}(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[A-Z]\d{3}$/;

const showTol = { licenceModel: ['tol'] };
const options = (values: readonly string[], names: Record<string, string>) =>
	values.map((value) => ({ name: names[value] ?? value, value }));

const properties: INodeProperties[] = [
	{
		displayName: 'Licence Model',
		name: 'licenceModel',
		type: 'options',
		options: [
			{
				name: 'Your Own Licence (BYOL)',
				value: 'byol',
				description: 'Your company is licensed and performs the checks; Upvest needs less data',
			},
			{
				name: 'Upvest’s Licence (TOL)',
				value: 'tol',
				description:
					'The customer is onboarded under Upvest’s licence: also e-mail, birthplace, FATCA status and consents',
			},
		],
		default: 'byol',
		description:
			'Which of Upvest’s two user bodies to send; it follows your contract with Upvest (see the README, Operations)',
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Karl Heinz',
		description: 'All first and middle names, 2 to 100 characters',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Schmidt',
	},
	{
		displayName: 'Birth Date',
		name: 'birthDate',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1972-09-30',
		description: 'Date of birth, YYYY-MM-DD',
	},
	{
		displayName: 'Nationalities',
		name: 'nationalities',
		type: 'multiOptions',
		required: true,
		options: countryOptions,
		default: [],
		description:
			'Every nationality of the user; an expression may give a list or text such as "DE, AT"',
	},
	addressParameter('address', 'Address', {
		required: true,
		description: 'Where the user lives: no P.O. box or c/o address',
	}),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		displayOptions: { show: showTol },
	},
	{
		displayName: 'Birth City',
		name: 'birthCity',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Berlin',
		displayOptions: { show: showTol },
	},
	{
		displayName: 'Birth Country',
		name: 'birthCountry',
		type: 'options',
		required: true,
		options: countryOptions,
		default: 'DE',
		displayOptions: { show: showTol },
	},
	{
		displayName: 'US Person (FATCA)',
		name: 'fatcaStatus',
		type: 'boolean',
		default: false,
		description: 'Whether the user declared to be a US person under FATCA',
		displayOptions: { show: showTol },
	},
	{
		displayName: 'FATCA Confirmed At',
		name: 'fatcaConfirmedAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When the user made that declaration',
		displayOptions: { show: showTol },
	},
	...consentParameters({ required: true, displayOptions: { show: showTol } }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Birth City',
				name: 'birthCity',
				type: 'string',
				default: '',
				displayOptions: { show: { '/licenceModel': ['byol'] } },
			},
			{
				displayName: 'Birth Country',
				name: 'birthCountry',
				type: 'options',
				options: countryOptions,
				default: 'DE',
				displayOptions: { show: { '/licenceModel': ['byol'] } },
			},
			{ displayName: 'Birth Name', name: 'birthName', type: 'string', default: '' },
			{
				displayName: 'Branch ID',
				name: 'branchId',
				type: 'string',
				default: '',
				description: 'The branch (market) the user is onboarded on, for clients with branches',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				displayOptions: { show: { '/licenceModel': ['byol'] } },
			},
			{
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: options(GENDERS, { MALE: 'Male', FEMALE: 'Female', DIVERSE: 'Diverse' }),
				default: 'FEMALE',
				description: 'Needed for the German pension government bonus',
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4930901820',
				description: 'International number, 8 to 15 digits without + or spaces',
			},
			addressParameter('postalAddress', 'Postal Address', {
				description: 'Only where it differs from the address',
			}),
			{
				displayName: 'Salutation',
				name: 'salutation',
				type: 'options',
				options: options(SALUTATIONS, {
					SALUTATION_MALE: 'Mr',
					SALUTATION_FEMALE: 'Ms',
					SALUTATION_FEMALE_MARRIED: 'Mrs',
					SALUTATION_DIVERSE: 'Diverse',
				}),
				default: 'SALUTATION_FEMALE',
			},
			{
				displayName: 'Social Security Number',
				name: 'socialSecurityNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 25300972S014',
				description: 'German social insurance number, for the pension government bonus',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'multiOptions',
				options: [{ name: 'Client Employee', value: 'CLIENT_EMPLOYEE' }],
				default: [],
				description: 'Client Employee marks the user as one of your employees',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'options',
				options: options(TITLES, {
					DR: 'Dr.',
					PROF: 'Prof.',
					PROF_DR: 'Prof. Dr.',
					DIPL_ING: 'Dipl.-Ing.',
					MAGISTER: 'Mag.',
				}),
				default: 'DR',
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

/** The fields both bodies have; optional ones only when given. */
function personBody(fields: ItemFields, extra: IDataObject): IDataObject {
	const body: IDataObject = {
		first_name: fields.text('First Name', fields.param('firstName'), { min: 2, max: 100 }, true),
		last_name: fields.text('Last Name', fields.param('lastName'), { max: 100 }, true),
		birth_date: fields.date('Birth Date', fields.param('birthDate'), { notFuture: true }, true),
		nationalities: fields.countries('Nationalities', fields.param('nationalities', [])),
		address: readAddress(fields, 'Address', fields.param('address', {}), true),
	};
	const optional: Array<[string, unknown]> = [
		['salutation', fields.option('Salutation', extra.salutation, SALUTATIONS, false)],
		['title', fields.option('Title', extra.title, TITLES, false)],
		['birth_name', fields.text('Birth Name', extra.birthName, { max: 100 })],
		['gender', fields.option('Gender', extra.gender, GENDERS, false)],
		[
			'phone_number',
			fields.text('Phone Number', extra.phoneNumber, {
				pattern: PHONE,
				patternHint: '8 to 15 digits without + or spaces, e.g. 4930901820',
			}),
		],
		[
			'social_security_number',
			fields.text('Social Security Number', extra.socialSecurityNumber, {
				pattern: SOCIAL_SECURITY_NUMBER,
				patternHint: 'a German social insurance number such as 25300972S014',
			}),
		],
		['postal_address', readAddress(fields, 'Postal Address', extra.postalAddress, false)],
		['branch_id', fields.uuid('Branch ID', extra.branchId)],
	];
	for (const [key, value] of optional) if (value !== undefined) body[key] = value;
	const tags = Array.isArray(extra.tags) ? (extra.tags as unknown[]) : [];
	if (tags.length > 0) body.tags = tags.map((tag) => fields.option('Tags', tag, TAGS));
	return body;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const fields = new ItemFields(this, itemIndex);
	const licence = fields.option(
		'Licence Model',
		fields.param('licenceModel', 'byol'),
		LICENCE_MODELS,
	);
	const extra = fields.group('additionalFields');
	const body = personBody(fields, extra);
	if (licence === 'tol') {
		body.email = fields.email('Email', fields.param('email'), true);
		body.birth_city = fields.text('Birth City', fields.param('birthCity'), { max: 85 }, true);
		body.birth_country = fields.country('Birth Country', fields.param('birthCountry'), true);
		body.fatca = {
			status: fields.boolean('US Person (FATCA)', fields.param('fatcaStatus', false), false),
			confirmed_at: fields.dateTime(
				'FATCA Confirmed At',
				fields.param('fatcaConfirmedAt'),
				{},
				true,
			),
		};
		Object.assign(body, readConsents(fields, '', true));
	} else {
		const optional: Array<[string, unknown]> = [
			['email', fields.email('Email', extra.email)],
			['birth_city', fields.text('Birth City', extra.birthCity, { max: 85 })],
			['birth_country', fields.country('Birth Country', extra.birthCountry)],
		];
		for (const [key, value] of optional) if (value !== undefined) body[key] = value;
	}
	return {
		request: { method: 'POST', path: '/users', body },
		scopes: ['users:admin'],
		creates: true,
	};
}
