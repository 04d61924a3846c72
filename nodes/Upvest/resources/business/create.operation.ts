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
import { show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';

export const BUSINESS_TYPES = ['LIMITED_LIABILITY_COMPANY', 'SOLE_TRADER'] as const;
const COMPANY_DESIGNATIONS = [
	'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
	'UNTERNEHMERGESELLSCHAFT',
	'AKTIENGESELLSCHAFT',
] as const;
const SOLE_TRADER_DESIGNATIONS = [
	'EINZELUNTERNEHMER',
	'FREIBERUFLER',
	'EINGETRAGENER_KAUFMANN',
	'EINGETRAGENE_KAUFFRAU',
] as const;
const TAX_ID_TYPES = ['STEUERNUMMER', 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER'] as const;
/** Steuernummer: 10 or 11 digits, bare or grouped by slashes as the German states write it. */
const STEUERNUMMER =
	/^(\d{10,11}|\d{3}\/\d{4}\/\d{4}|\d{3}\/\d{3}\/\d{5}|\d{2}\/\d{3}\/\d{5}|\d{3}\/\d{3}\/\d{4})$/;
const WIRTSCHAFTS_ID = /^DE\d{9}(-\d{5})?$/;
/** ISO 17442: 18 letters or digits and 2 check digits. */
const LEGAL_ENTITY_IDENTIFIER = /^[A-Z0-9]{18}[0-9]{2}$/;

const showCompany = { businessType: ['LIMITED_LIABILITY_COMPANY'] };
const showSoleTrader = { businessType: ['SOLE_TRADER'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Business Type',
		name: 'businessType',
		type: 'options',
		options: [
			{
				name: 'Company (GmbH, UG, AG)',
				value: 'LIMITED_LIABILITY_COMPANY',
				description: 'A German limited liability company or stock corporation',
			},
			{
				name: 'Sole Trader',
				value: 'SOLE_TRADER',
				description:
					'A person trading on their own account (Einzelunternehmen, Freiberufler, e.K.)',
			},
		],
		default: 'LIMITED_LIABILITY_COMPANY',
	},
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Muster Holding GmbH',
		description: 'The registered name of the business',
	},
	{
		displayName: 'Legal Designation',
		name: 'companyDesignation',
		type: 'options',
		options: [
			{ name: 'GmbH', value: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG' },
			{ name: 'UG (Haftungsbeschränkt)', value: 'UNTERNEHMERGESELLSCHAFT' },
			{ name: 'AG', value: 'AKTIENGESELLSCHAFT' },
		],
		default: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
		displayOptions: { show: showCompany },
	},
	{
		displayName: 'Legal Designation',
		name: 'soleTraderDesignation',
		type: 'options',
		options: [
			{ name: 'Einzelunternehmer', value: 'EINZELUNTERNEHMER' },
			{ name: 'Freiberufler', value: 'FREIBERUFLER' },
			{ name: 'Eingetragener Kaufmann (E.K.)', value: 'EINGETRAGENER_KAUFMANN' },
			{ name: 'Eingetragene Kauffrau (E.Kfr.)', value: 'EINGETRAGENE_KAUFFRAU' },
		],
		default: 'EINZELUNTERNEHMER',
		displayOptions: { show: showSoleTrader },
	},
	{
		displayName: 'Incorporation Date',
		name: 'incorporationDate',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2015-03-01',
		displayOptions: { show: showCompany },
	},
	{
		displayName: 'Contact Email',
		name: 'contactEmail',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
	},
	addressParameter('registeredAddress', 'Registered Address', { required: true }),
	{
		displayName: 'Tax Country',
		name: 'taxCountryCode',
		type: 'options',
		options: countryOptions,
		default: 'DE',
	},
	{
		displayName: 'Tax Identification Type',
		name: 'taxIdentificationType',
		type: 'options',
		options: [
			{ name: 'Steuernummer', value: 'STEUERNUMMER' },
			{ name: 'Wirtschafts-Identifikationsnummer', value: 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER' },
		],
		default: 'STEUERNUMMER',
	},
	{
		displayName: 'Tax Identification Number',
		name: 'taxIdentificationNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 133/8150/8159',
		description:
			'Steuernummer: 10 or 11 digits, bare or with slashes; Wirtschafts-ID: DE and 9 digits, e.g. DE123456789',
	},
	{
		displayName: 'Resident in Several Tax Jurisdictions',
		name: 'multipleTaxJurisdictions',
		type: 'boolean',
		default: false,
		description: 'Whether the business is tax resident in more than one country',
	},
	{
		displayName: 'Subject to FATCA',
		name: 'subjectToFatca',
		type: 'boolean',
		default: false,
		description: 'Whether the business is subject to FATCA (US tax reporting)',
	},
	{
		displayName: 'Passive Non-Financial Entity (CRS)',
		name: 'passiveNonFinancialEntity',
		type: 'boolean',
		default: false,
		description:
			'Whether the company is a passive non-financial entity under the Common Reporting Standard',
		displayOptions: { show: showCompany },
	},
	{
		displayName: 'Financial Institution (CRS)',
		name: 'financialInstitution',
		type: 'boolean',
		default: false,
		description:
			'Whether the company is a financial institution under the Common Reporting Standard',
		displayOptions: { show: showCompany },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...consentParameters(),
			{
				displayName: 'District Court',
				name: 'districtCourt',
				type: 'string',
				default: '',
				placeholder: 'e.g. Amtsgericht Charlottenburg',
				displayOptions: { show: { '/businessType': ['LIMITED_LIABILITY_COMPANY'] } },
			},
			{
				displayName: 'Incorporation Date',
				name: 'incorporationDate',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2015-03-01',
				displayOptions: { show: { '/businessType': ['SOLE_TRADER'] } },
			},
			{
				displayName: 'Legal Entity Identifier (LEI)',
				name: 'legalEntityIdentifier',
				type: 'string',
				default: '',
				placeholder: 'e.g. 529900T8BM49AURSDO55',
				description: '20 characters: 18 letters or digits and 2 check digits',
				displayOptions: { show: { '/businessType': ['LIMITED_LIABILITY_COMPANY'] } },
			},
			{
				displayName: 'Registration Number',
				name: 'registrationNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. HRB 123456 B',
			},
		],
	},
	optionsCollection(idempotencyOptions),
];

export const description = updateDisplayOptions(show('business', 'create'), properties);

function taxInformation(fields: ItemFields): IDataObject {
	const type = fields.option(
		'Tax Identification Type',
		fields.param('taxIdentificationType'),
		TAX_ID_TYPES,
	);
	const steuernummer = type === 'STEUERNUMMER';
	return {
		tax_country_code: fields.country('Tax Country', fields.param('taxCountryCode'), true),
		tax_identification_type: type,
		tax_identification_number: fields.text(
			'Tax Identification Number',
			fields.param('taxIdentificationNumber'),
			{
				pattern: steuernummer ? STEUERNUMMER : WIRTSCHAFTS_ID,
				patternHint: steuernummer
					? '10 or 11 digits, bare or grouped like 133/8150/8159'
					: 'DE and 9 digits, e.g. DE123456789 or DE123456789-00001',
			},
			true,
		),
		is_resident_in_multiple_tax_jurisdictions: fields.boolean(
			'Resident in Several Tax Jurisdictions',
			fields.param('multipleTaxJurisdictions', false),
			false,
		),
		is_subject_to_fatca: fields.boolean(
			'Subject to FATCA',
			fields.param('subjectToFatca', false),
			false,
		),
	};
}

function identification(fields: ItemFields, company: boolean, extra: IDataObject): IDataObject {
	const result: IDataObject = {
		company_name: fields.text('Company Name', fields.param('companyName'), { max: 200 }, true),
		legal_designation: company
			? fields.option('Legal Designation', fields.param('companyDesignation'), COMPANY_DESIGNATIONS)
			: fields.option(
					'Legal Designation',
					fields.param('soleTraderDesignation'),
					SOLE_TRADER_DESIGNATIONS,
				),
	};
	const incorporated = fields.date(
		'Incorporation Date',
		company ? fields.param('incorporationDate') : extra.incorporationDate,
		{ notFuture: true },
		company,
	);
	if (incorporated !== undefined) result.incorporation_date = incorporated;
	if (!company) return result;
	const court = fields.text('District Court', extra.districtCourt, { max: 40 });
	if (court !== undefined) result.district_court = court;
	const lei = fields.text('Legal Entity Identifier (LEI)', extra.legalEntityIdentifier, {
		pattern: LEGAL_ENTITY_IDENTIFIER,
		patternHint: '20 characters: 18 capital letters or digits and 2 check digits',
	});
	if (lei !== undefined) result.legal_entity_identifier = lei;
	result.common_reporting_standards = {
		is_passive_non_financial_entity: fields.boolean(
			'Passive Non-Financial Entity (CRS)',
			fields.param('passiveNonFinancialEntity', false),
			false,
		),
		is_financial_institution: fields.boolean(
			'Financial Institution (CRS)',
			fields.param('financialInstitution', false),
			false,
		),
	};
	return result;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const fields = new ItemFields(this, itemIndex);
	const businessType = fields.option('Business Type', fields.param('businessType'), BUSINESS_TYPES);
	const extra = fields.group('additionalFields');
	const body: IDataObject = {
		business_type: businessType,
		contact_email: fields.email('Contact Email', fields.param('contactEmail'), true),
		registered_address: readAddress(
			fields,
			'Registered Address',
			fields.param('registeredAddress', {}),
			true,
		),
		tax_information: taxInformation(fields),
		identification: identification(fields, businessType === 'LIMITED_LIABILITY_COMPANY', extra),
		...readConsents(fields, 'additionalFields.', false),
	};
	const registration = fields.text('Registration Number', extra.registrationNumber, { max: 100 });
	if (registration !== undefined) body.registration_number = registration;
	return {
		request: { method: 'POST', path: '/businesses', body },
		scopes: ['businesses:admin'],
		creates: true,
	};
}
