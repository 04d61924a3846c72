/**
 * Invalid personal and onboarding fields: one broken field in one of three items, per field kind
 * of the onboarding operations (names, dates, date-times, countries, addresses, e-mail, phone,
 * links, document IDs, identifiers, tax numbers, LEIs, choices). Every parameter comes from the
 * item, so each item can be broken on its own. `value` is what a message must never repeat.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PRIVACY_DOCUMENT, TERMS_DOCUMENT, customer } from './onboarding-builders';
import type { InvalidCase } from './validation-cases';

export interface PersonalCase extends InvalidCase {
	/** The broken value: it must not appear in the error. */
	value: string;
}

const USER_ID = '413715f2-5401-4b97-8055-034a6b879f8c';
const BUSINESS_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const fromJson = (name: string, fallback = '""') => `={{ $json.${name} ?? ${fallback} }}`;
const addressFromJson = {
	details: {
		addressLine1: fromJson('street'),
		postcode: fromJson('postcode'),
		city: fromJson('city'),
		country: fromJson('country'),
	},
};

const USER_FROM_JSON: INodeParameters = {
	resource: 'user',
	operation: 'create',
	licenceModel: fromJson('licence', '"tol"'),
	firstName: fromJson('firstName'),
	lastName: fromJson('lastName'),
	birthDate: fromJson('birthDate'),
	nationalities: fromJson('nationalities', '[]'),
	address: addressFromJson,
	email: fromJson('email'),
	birthCity: fromJson('birthCity'),
	birthCountry: fromJson('birthCountry', '"DE"'),
	fatcaStatus: fromJson('fatca', 'false'),
	fatcaConfirmedAt: fromJson('confirmedAt'),
	termsAndConditionsDocumentId: fromJson('termsId'),
	termsAndConditionsConfirmedAt: fromJson('confirmedAt'),
	dataPrivacyAgreementDocumentId: fromJson('privacyId'),
	dataPrivacyAgreementConfirmedAt: fromJson('confirmedAt'),
	additionalFields: {
		phoneNumber: fromJson('phoneNumber'),
		socialSecurityNumber: fromJson('ssn'),
		salutation: fromJson('salutation'),
	},
};
const GOOD_PERSON: IDataObject = {
	...customer(0),
	licence: 'tol',
	termsId: TERMS_DOCUMENT,
	privacyId: PRIVACY_DOCUMENT,
};

const CHECK_FROM_JSON: INodeParameters = {
	resource: 'userCheck',
	operation: 'create',
	userId: fromJson('userId'),
	checkType: fromJson('checkType', '"KYC"'),
	checkConfirmedAt: fromJson('confirmedAt'),
	provider: fromJson('provider'),
	method: 'VIDEO_ID',
	kycDocumentType: fromJson('documentType', '"PASSPORT"'),
	documentExpirationDate: fromJson('expiry'),
	documentCountry: fromJson('documentCountry'),
	dataDownloadLink: fromJson('documentLink'),
	// Shown too while Check Type is an expression; required, so mapped.
	issuanceDate: fromJson('issuanceDate'),
	confirmedAddress: addressFromJson,
};
const GOOD_CHECK: IDataObject = {
	userId: USER_ID,
	confirmedAt: new Date(Date.now() - 86_400_000).toISOString(),
	provider: 'IDnow',
	expiry: '2031-05-17',
	documentCountry: 'DE',
	documentLink: 'https://kyc.example.org/evidence/1.zip',
};

const IDENTIFIER_FROM_JSON: INodeParameters = {
	resource: 'userIdentifier',
	operation: 'create',
	userId: fromJson('userId'),
	identifierType: 'NATIONAL_ID',
	issuingCountry: fromJson('country', '"PL"'),
	identifier: fromJson('identifier'),
	additionalFields: { identifierStandard: fromJson('standard') },
};
const GOOD_IDENTIFIER: IDataObject = { userId: USER_ID, identifier: '02070803628' };

const TAX_FROM_JSON: INodeParameters = {
	resource: 'taxResidency',
	operation: 'set',
	userId: fromJson('userId'),
	taxResidencies: {
		residency: [
			{
				country: fromJson('country', '"DE"'),
				taxIdentifierNumber: fromJson('tin'),
				missingTinReason: fromJson('reason'),
			},
		],
	},
};
const GOOD_TAX: IDataObject = { userId: USER_ID, tin: '12345678901' };

const BUSINESS_FROM_JSON: INodeParameters = {
	resource: 'business',
	operation: 'create',
	businessType: 'LIMITED_LIABILITY_COMPANY',
	companyName: fromJson('companyName'),
	companyDesignation: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
	incorporationDate: fromJson('incorporated'),
	contactEmail: fromJson('email'),
	registeredAddress: addressFromJson,
	taxCountryCode: 'DE',
	taxIdentificationType: fromJson('taxType', '"STEUERNUMMER"'),
	taxIdentificationNumber: fromJson('taxNumber'),
	additionalFields: { legalEntityIdentifier: fromJson('lei') },
};
const GOOD_BUSINESS: IDataObject = {
	companyName: 'Quastenberg Holding GmbH',
	incorporated: '2015-03-01',
	email: 'office@quastenberg.example.org',
	street: 'Zaunkoenigweg 1',
	postcode: '10999',
	city: 'Berlin',
	country: 'DE',
	taxNumber: '133/8150/8159',
};

const ACCOUNT_FROM_JSON: INodeParameters = {
	resource: 'account',
	operation: 'create',
	ownerType: 'user',
	userId: fromJson('userId'),
	accountGroupId: fromJson('groupId'),
	accountType: fromJson('accountType', '"TRADING"'),
	additionalFields: { name: fromJson('name') },
};
const GOOD_ACCOUNT: IDataObject = {
	userId: USER_ID,
	groupId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
};

function builder(parameters: INodeParameters, good: IDataObject) {
	return (
		name: string,
		index: number,
		bad: IDataObject,
		field: string,
		message: RegExp,
		fix: RegExp,
	): PersonalCase => {
		const items = [0, 1, 2].map(() => ({ ...good }));
		items[index] = { ...good, ...bad };
		// Codes such as CONCAT or GUARDIAN may be named; anything else must not be repeated.
		const value = Object.values(bad).find(
			(entry) => typeof entry === 'string' && entry.length > 2 && !/^[A-Z_]+$/.test(entry),
		);
		return { name, parameters, items, index, field, message, fix, value: String(value ?? '') };
	};
}

const userCase = builder(USER_FROM_JSON, GOOD_PERSON);
const checkCase = builder(CHECK_FROM_JSON, GOOD_CHECK);
const identifierCase = builder(IDENTIFIER_FROM_JSON, GOOD_IDENTIFIER);
const taxCase = builder(TAX_FROM_JSON, GOOD_TAX);
const businessCase = builder(BUSINESS_FROM_JSON, GOOD_BUSINESS);
const accountCase = builder(ACCOUNT_FROM_JSON, GOOD_ACCOUNT);
const monthsAgo = (months: number) => {
	const date = new Date();
	date.setUTCMonth(date.getUTCMonth() - months);
	return date.toISOString();
};

export const INVALID_USERS: PersonalCase[] = [
	userCase(
		'first name of one letter',
		1,
		{ firstName: 'Q' },
		'First Name',
		/must be 2 to 100 characters long, got 1/,
		/Shorten or complete/,
	),
	userCase(
		'last name too long',
		2,
		{ lastName: 'Quastenberg'.repeat(10) },
		'Last Name',
		/must be 1 to 100 characters long, got 110/,
		/Shorten or complete/,
	),
	userCase(
		'last name empty',
		0,
		{ lastName: '  ' },
		'Last Name',
		/is empty/,
		/Enter the last name/,
	),
	userCase(
		'birth date no calendar date',
		1,
		{ birthDate: '1984-02-30' },
		'Birth Date',
		/is not a date/,
		/YYYY-MM-DD/,
	),
	userCase(
		'birth date in German notation',
		0,
		{ birthDate: '29.02.1984' },
		'Birth Date',
		/is not a date/,
		/YYYY-MM-DD/,
	),
	userCase(
		'birth date in the future',
		2,
		{ birthDate: '2999-01-01' },
		'Birth Date',
		/lies in the future/,
		/up to today/,
	),
	userCase('no nationality', 1, { nationalities: [] }, 'Nationalities', /is empty/, /at least one/),
	userCase(
		'nationality not an ISO code',
		0,
		{ nationalities: ['Deutsch'] },
		'Nationalities',
		/is not an ISO 3166-1 country code, got text of 7 characters/,
		/two-letter code/,
	),
	userCase(
		'nationality twice',
		2,
		{ nationalities: 'DE, de' },
		'Nationalities',
		/names a country twice/,
		/each country once/,
	),
	userCase(
		'postcode with a hash',
		1,
		{ postcode: 'AB#123' },
		'Address: Postcode',
		/is not in the form Upvest accepts/,
		/Correct the address: postcode/,
	),
	userCase(
		'postcode too long',
		0,
		{ postcode: '12345678901' },
		'Address: Postcode',
		/must be 1 to 10 characters long, got 11/,
		/Shorten or complete/,
	),
	userCase('city missing', 2, { city: '' }, 'Address: City', /is empty/, /Enter the address: city/),
	userCase(
		'address country by name',
		1,
		{ country: 'Germany' },
		'Address: Country',
		/is not an ISO 3166-1 country code/,
		/two-letter code/,
	),
	userCase(
		'address line too long',
		0,
		{ street: `Zaunkoenigweg ${'9'.repeat(100)}` },
		'Address: Address Line 1',
		/must be 1 to 100 characters long/,
		/Shorten or complete/,
	),
	userCase(
		'e-mail without a domain',
		1,
		{ email: 'wilhelmine.q' },
		'Email',
		/is not an e-mail address/,
		/name@example\.com/,
	),
	userCase(
		'birth city empty (Upvest’s licence)',
		2,
		{ birthCity: '' },
		'Birth City',
		/is empty/,
		/Enter the birth city/,
	),
	userCase(
		'phone with + and spaces',
		0,
		{ phoneNumber: '+49 30 1234567' },
		'Phone Number',
		/8 to 15 digits without \+ or spaces/,
		/Correct the phone number/,
	),
	userCase(
		'social security number',
		1,
		{ ssn: '25300972-S014' },
		'Social Security Number',
		/German social insurance number/,
		/Correct the social security number/,
	),
	userCase(
		'FATCA status as text',
		2,
		{ fatca: 'maybe' },
		'US Person (FATCA)',
		/must be true or false, got text of 5 characters/,
		/Map it to a boolean/,
	),
	userCase(
		'FATCA time not a time',
		0,
		{ confirmedAt: 'yesterday' },
		'FATCA Confirmed At',
		/is not a date and time/,
		/ISO 8601/,
	),
	userCase(
		'consent document not a UUID',
		1,
		{ termsId: 'terms-v2-2026' },
		'Terms and Conditions: Document ID',
		/must be a UUID, got text of 13 characters/,
		/as Upvest gave it/,
	),
	userCase(
		'salutation not allowed',
		2,
		{ salutation: 'Frau Dr.' },
		'Salutation',
		/is not allowed \(text of 8 characters\)/,
		/SALUTATION_FEMALE/,
	),
	userCase(
		'licence model in capitals',
		0,
		{ licence: 'TOL' },
		'Licence Model',
		/is not allowed/,
		/byol, tol/,
	),
];

export const INVALID_CHECKS: PersonalCase[] = [
	checkCase(
		'confirmed 25 months ago',
		1,
		{ confirmedAt: monthsAgo(25) },
		'Check Confirmed At',
		/is more than 24 months ago/,
		/within 24 months/,
	),
	checkCase(
		'confirmed tomorrow',
		0,
		{ confirmedAt: new Date(Date.now() + 86_400_000).toISOString() },
		'Check Confirmed At',
		/lies in the future/,
		/up to now/,
	),
	checkCase(
		'confirmed at an impossible time',
		2,
		{ confirmedAt: '2026-11-30T25:00:00Z' },
		'Check Confirmed At',
		/is not a date and time/,
		/ISO 8601/,
	),
	checkCase(
		'download link not http',
		1,
		{ documentLink: 'ftp://kyc.example.org/evidence/1.zip' },
		'Data Download Link',
		/is not an http\(s\) URL/,
		/full download link/,
	),
	checkCase(
		'passport without expiry',
		0,
		{ expiry: '' },
		'Document Expiration Date',
		/is empty/,
		/expiration date/,
	),
	checkCase(
		'passport without issuing country',
		2,
		{ documentCountry: '' },
		'Document Issuing Country',
		/is empty/,
		/document issuing country/,
	),
	checkCase(
		'provider too long',
		1,
		{ provider: 'IDnow'.repeat(21) },
		'Provider',
		/must be 1 to 100 characters long, got 105/,
		/Shorten/,
	),
	checkCase(
		'unknown check type',
		0,
		{ checkType: 'GUARDIAN' },
		'Check Type',
		/is not allowed/,
		/KYC, POR, INSTRUMENT_FIT/,
	),
	checkCase(
		'user ID is a name',
		2,
		{ userId: 'Wilhelmine Quastenberg' },
		'User ID',
		/must be a UUID, got text of 22 characters/,
		/as Upvest returned it/,
	),
];

export const INVALID_IDENTIFIERS: PersonalCase[] = [
	identifierCase(
		'identifier missing',
		1,
		{ identifier: '' },
		'Identifier',
		/is empty/,
		/Enter the identifier/,
	),
	identifierCase(
		'identifier with CONCAT',
		0,
		{ standard: 'CONCAT' },
		'Identifier',
		/must be empty with the standard CONCAT/,
		/Clear the Identifier/,
	),
	identifierCase(
		'identifier too long',
		2,
		{ identifier: '0207080362'.repeat(4) },
		'Identifier',
		/must be 1 to 30 characters long, got 40/,
		/Shorten/,
	),
	identifierCase(
		'standard in small letters',
		1,
		{ standard: 'pesel' },
		'Identifier Standard',
		/capital letters and digits/,
		/Correct the identifier standard/,
	),
];

export const INVALID_TAX_RESIDENCIES: PersonalCase[] = [
	taxCase(
		'number and reason',
		1,
		{ reason: 'COUNTRY_HAS_NO_TIN' },
		'Tax Residency 1',
		/has both a number and a reason/,
		/or choose why there is none/,
	),
	taxCase(
		'neither number nor reason',
		0,
		{ tin: '' },
		'Tax Residency 1',
		/has neither a number nor a reason/,
		/Give the tax identification number/,
	),
	taxCase(
		'number too short',
		2,
		{ tin: '12345' },
		'Tax Residency 1: Tax Identification Number',
		/must be 7 to 50 characters long, got 5/,
		/Shorten or complete/,
	),
	taxCase(
		'country by name',
		1,
		{ country: 'Deutschland' },
		'Tax Residency 1: Country',
		/is not an ISO 3166-1 country code/,
		/two-letter code/,
	),
];

export const INVALID_BUSINESSES: PersonalCase[] = [
	businessCase(
		'Steuernummer too short',
		1,
		{ taxNumber: '99/12345' },
		'Tax Identification Number',
		/10 or 11 digits/,
		/Correct the tax identification number/,
	),
	businessCase(
		'Wirtschafts-ID without DE',
		0,
		{ taxType: 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER', taxNumber: '987654321' },
		'Tax Identification Number',
		/DE and 9 digits/,
		/Correct/,
	),
	businessCase(
		'LEI of 19 characters',
		2,
		{ lei: '529900T8BM49AURSDO5' },
		'Legal Entity Identifier (LEI)',
		/20 characters/,
		/Correct/,
	),
	businessCase(
		'contact e-mail',
		1,
		{ email: 'office at quastenberg' },
		'Contact Email',
		/is not an e-mail address/,
		/name@example\.com/,
	),
	businessCase(
		'incorporated in the future',
		0,
		{ incorporated: '2999-01-01' },
		'Incorporation Date',
		/lies in the future/,
		/up to today/,
	),
	businessCase(
		'company name empty',
		2,
		{ companyName: '' },
		'Company Name',
		/is empty/,
		/Enter the company name/,
	),
];

export const INVALID_ACCOUNTS: PersonalCase[] = [
	accountCase(
		'name too long',
		1,
		{ name: 'Sparen für Wilhelmine '.repeat(5) },
		'Name',
		/must be 1 to 100 characters long, got 109/,
		/Shorten/,
	),
	accountCase(
		'account type unknown',
		0,
		{ accountType: 'SAVINGS' },
		'Account Type',
		/is not allowed \(text of 7 characters\)/,
		/TRADING, PORTFOLIO/,
	),
	accountCase(
		'account group ID a name',
		2,
		{ groupId: 'Wilhelmines Depot' },
		'Account Group ID',
		/must be a UUID, got text of 17 characters/,
		/as Upvest returned it/,
	),
];

export const INVALID_BUSINESS_IDS = { USER_ID, BUSINESS_ID };
