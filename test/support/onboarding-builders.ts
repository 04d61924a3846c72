/**
 * What the onboarding suites feed the Upvest node: customers with recognisable personal data (so
 * a search for them finds every place they went), the parameters of the onboarding operations,
 * each mapped from the input item, and the bodies Upvest should receive for them.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

/** Every scope the onboarding needs. */
export const ONBOARDING_SCOPES =
	'users:admin checks:admin accounts:admin roles:admin taxes:admin businesses:admin';

/** Upvest's sandbox consent documents. */
export const TERMS_DOCUMENT = 'd0b83880-3809-4eee-b0df-ca50db84c15a';
export const PRIVACY_DOCUMENT = '7ab0fc5c-8157-4acd-b02d-6ccda0e81dec';

/**
 * A customer whose every value is unusual enough to be found by a text search and nowhere else:
 * `n` makes them distinct per item.
 */
export function customer(n = 0): IDataObject {
	const tag = String(n).padStart(2, '0');
	return {
		firstName: `Wilhelmine${tag}`,
		lastName: `Quastenberg${tag}`,
		birthDate: '1984-02-29',
		nationalities: ['DE'],
		street: `Zaunkoenigweg ${17 + n}`,
		postcode: `1099${n % 10}`,
		city: 'Berlin',
		country: 'DE',
		email: `wilhelmine.q${tag}@example.org`,
		birthCity: `Quedlinburg${tag}`,
		phone: `49301234567${tag}`,
		documentLink: `https://kyc.example.org/evidence/quastenberg-${tag}.zip`,
		confirmedAt: '2026-11-30T14:15:00Z',
	};
}

/** The personal values of `customer(n)`: what a leak search looks for. */
export function personalValues(n = 0): string[] {
	const person = customer(n);
	return [
		person.firstName,
		person.lastName,
		person.street,
		person.email,
		person.birthCity,
		person.phone,
		person.documentLink,
	] as string[];
}

const address = (prefix = '') => ({
	details: {
		addressLine1: `={{ $json.${prefix}street }}`,
		postcode: `={{ $json.${prefix}postcode }}`,
		city: `={{ $json.${prefix}city }}`,
		country: `={{ $json.${prefix}country }}`,
	},
});

/** The parameters of one operation on `resource`. */
export const operationOn =
	(resource: string) =>
	(operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource,
		operation,
		...extra,
	});

export const user = operationOn('user');
export const account = operationOn('account');
export const business = operationOn('business');
export const taxResidency = operationOn('taxResidency');
export const userIdentifier = operationOn('userIdentifier');

/** User → Create with every required field from the input item. */
export function createUser(
	licenceModel: 'byol' | 'tol' = 'byol',
	extra: INodeParameters = {},
): INodeParameters {
	const parameters: INodeParameters = {
		resource: 'user',
		operation: 'create',
		licenceModel,
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		birthDate: '={{ $json.birthDate }}',
		nationalities: '={{ $json.nationalities }}',
		address: address(),
		...extra,
	};
	if (licenceModel === 'tol') {
		Object.assign(parameters, {
			email: '={{ $json.email }}',
			birthCity: '={{ $json.birthCity }}',
			birthCountry: 'DE',
			fatcaStatus: false,
			fatcaConfirmedAt: '={{ $json.confirmedAt }}',
			termsAndConditionsDocumentId: TERMS_DOCUMENT,
			termsAndConditionsConfirmedAt: '={{ $json.confirmedAt }}',
			dataPrivacyAgreementDocumentId: PRIVACY_DOCUMENT,
			dataPrivacyAgreementConfirmedAt: '={{ $json.confirmedAt }}',
			...extra,
		});
	}
	return parameters;
}

/** The body Upvest receives for `createUser(licenceModel)` and `customer(n)`. */
export function userBody(licenceModel: 'byol' | 'tol', n = 0): IDataObject {
	const person = customer(n);
	const body: IDataObject = {
		first_name: person.firstName,
		last_name: person.lastName,
		birth_date: person.birthDate,
		nationalities: person.nationalities,
		address: {
			address_line1: person.street,
			postcode: person.postcode,
			city: person.city,
			country: person.country,
		},
	};
	if (licenceModel === 'byol') return body;
	const confirmedAt = '2026-11-30T14:15:00.000Z';
	return {
		...body,
		email: person.email,
		birth_city: person.birthCity,
		birth_country: 'DE',
		fatca: { status: false, confirmed_at: confirmedAt },
		terms_and_conditions: { consent_document_id: TERMS_DOCUMENT, confirmed_at: confirmedAt },
		data_privacy_and_sharing_agreement: {
			consent_document_id: PRIVACY_DOCUMENT,
			confirmed_at: confirmedAt,
		},
	};
}

/** User Check → Create for the user in `$json.userId`, checked at `$json.confirmedAt`. */
export function createCheck(
	checkType: 'KYC' | 'POR' | 'INSTRUMENT_FIT',
	extra: INodeParameters = {},
): INodeParameters {
	const common = {
		resource: 'userCheck',
		operation: 'create',
		userId: '={{ $json.userId }}',
		checkType,
		checkConfirmedAt: '={{ $json.confirmedAt }}',
	};
	if (checkType === 'KYC') {
		return {
			...common,
			provider: 'IDnow',
			method: 'VIDEO_ID',
			kycDocumentType: 'PASSPORT',
			documentExpirationDate: '2031-05-17',
			documentCountry: 'DE',
			dataDownloadLink: '={{ $json.documentLink }}',
			...extra,
		};
	}
	if (checkType === 'POR') {
		return {
			...common,
			porDocumentType: 'UTILITY_BILL',
			issuanceDate: '2026-10-01',
			dataDownloadLink: '={{ $json.documentLink }}',
			confirmedAddress: address(),
			...extra,
		};
	}
	return { ...common, suitability: true, ...extra };
}

/** A resource locator holding an ID typed "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Account → Create in the group `$json.groupId`, for the owner in `$json.userId` or `$json.businessId`. */
export function createAccount(
	ownerType: 'user' | 'business' = 'user',
	extra: INodeParameters = {},
): INodeParameters {
	return account('create', {
		ownerType,
		[ownerType === 'user' ? 'userId' : 'businessId']: `={{ $json.${ownerType}Id }}`,
		accountGroupId: '={{ $json.groupId }}',
		accountType: 'TRADING',
		...extra,
	});
}

export type BusinessKind = 'company' | 'soleTrader';

/**
 * A business as recognisable as `customer(n)`. A sole trader trades under their own name, so
 * their company name is a person's name: personal data like any other.
 */
export function company(n = 0, kind: BusinessKind = 'company'): IDataObject {
	const tag = String(n).padStart(2, '0');
	const person = customer(n);
	return {
		companyName:
			kind === 'company'
				? `Quastenberg Feinwerk${tag} GmbH`
				: `${String(person.firstName)} ${String(person.lastName)}`,
		incorporated: '2015-03-01',
		email: `kontor${tag}@quastenberg-feinwerk.example.org`,
		street: `Kranichstieg ${3 + n}`,
		postcode: `1043${n % 10}`,
		city: 'Berlin',
		country: 'DE',
		taxNumber: '133/8150/8159',
		confirmedAt: '2026-11-30T14:15:00Z',
		documentLink: `https://kyb.example.org/evidence/feinwerk-${tag}.zip`,
	};
}

/** Business → Create with every required field from the input item (`company(n, kind)`). */
export function createBusiness(
	kind: BusinessKind = 'company',
	extra: INodeParameters = {},
): INodeParameters {
	const designation =
		kind === 'company'
			? {
					companyDesignation: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
					incorporationDate: '={{ $json.incorporated }}',
				}
			: { soleTraderDesignation: 'EINGETRAGENE_KAUFFRAU' };
	return business('create', {
		businessType: kind === 'company' ? 'LIMITED_LIABILITY_COMPANY' : 'SOLE_TRADER',
		companyName: '={{ $json.companyName }}',
		...designation,
		contactEmail: '={{ $json.email }}',
		registeredAddress: address(),
		taxCountryCode: 'DE',
		taxIdentificationType: 'STEUERNUMMER',
		taxIdentificationNumber: '={{ $json.taxNumber }}',
		...extra,
	});
}

/** The body Upvest receives for `createBusiness(kind)` and `company(n, kind)`. */
export function businessBody(kind: BusinessKind, n = 0): IDataObject {
	const input = company(n, kind);
	const identification: IDataObject =
		kind === 'company'
			? {
					company_name: input.companyName,
					legal_designation: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
					incorporation_date: input.incorporated,
					common_reporting_standards: {
						is_passive_non_financial_entity: false,
						is_financial_institution: false,
					},
				}
			: { company_name: input.companyName, legal_designation: 'EINGETRAGENE_KAUFFRAU' };
	return {
		business_type: kind === 'company' ? 'LIMITED_LIABILITY_COMPANY' : 'SOLE_TRADER',
		contact_email: input.email,
		registered_address: {
			address_line1: input.street,
			postcode: input.postcode,
			city: input.city,
			country: input.country,
		},
		tax_information: {
			tax_country_code: 'DE',
			tax_identification_type: 'STEUERNUMMER',
			tax_identification_number: input.taxNumber,
			is_resident_in_multiple_tax_jurisdictions: false,
			is_subject_to_fatca: false,
		},
		identification,
	};
}

/** Business → Submit KYB Check for the business in `$json.businessId`, confirmed at `$json.confirmedAt`. */
export const submitKyb = (extra: INodeParameters = {}): INodeParameters =>
	business('submitKyb', {
		businessId: byId('={{ $json.businessId }}'),
		checkConfirmedAt: '={{ $json.confirmedAt }}',
		dataDownloadLink: '={{ $json.documentLink }}',
		...extra,
	});

/** User Identifier → Create: a Polish national ID (PESEL) for the user in `$json.userId`. */
export const createIdentifier = (extra: INodeParameters = {}): INodeParameters =>
	userIdentifier('create', {
		userId: byId('={{ $json.userId }}'),
		identifierType: 'NATIONAL_ID',
		issuingCountry: 'PL',
		identifier: '={{ $json.pesel }}',
		...extra,
	});

/** Tax Residency → Set for the user in `$json.userId`, one entry per residency given. */
export const setTaxResidencies = (
	residencies: Array<{ country: string; taxIdentifierNumber?: string; missingTinReason?: string }>,
	extra: INodeParameters = {},
): INodeParameters =>
	taxResidency('set', {
		userId: byId('={{ $json.userId }}'),
		taxResidencies: { residency: residencies },
		...extra,
	});
