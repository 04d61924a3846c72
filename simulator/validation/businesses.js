'use strict';

/**
 * POST /businesses bodies (Upvest's API reference, businesses/create_business): the fields every
 * business has, and the identification of a LIMITED_LIABILITY_COMPANY or a SOLE_TRADER.
 */

const S = require('./schema');
const { ADDRESS, CONSENT } = require('./parts');

const TAX_ID_TYPES = ['STEUERNUMMER', 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER'];
/** 10 or 11 digits, bare or grouped by slashes as 3/4/4, 3/3/5, 2/3/5 or 3/3/4. */
const STEUERNUMMER_RE =
	/^(\d{10,11}|\d{3}\/\d{4}\/\d{4}|\d{3}\/\d{3}\/\d{5}|\d{2}\/\d{3}\/\d{5}|\d{3}\/\d{3}\/\d{4})$/;
const WIDNR_RE = /^DE[0-9]{9}(-[0-9]{5})?$/;
/** tax_identification_type -> [pattern, what the detail says of the number]. */
const TAX_ID_RULES = {
	STEUERNUMMER: [
		STEUERNUMMER_RE,
		'must have 10 or 11 digits, bare or grouped by slashes as 3/4/4, 3/3/5, 2/3/5 or 3/3/4',
	],
	WIRTSCHAFTSIDENTIFIKATIONSNUMMER: [WIDNR_RE, `must match ${WIDNR_RE.source}`],
};
const LEI_RE = /^[A-Z0-9]{18}[0-9]{2}$/;

const COMMON = {
	contact_email: S.required(S.email()),
	registered_address: S.required(ADDRESS),
	registration_number: S.string({ max: 100 }),
	tax_information: S.required(
		S.object({
			tax_country_code: S.required(S.country()),
			tax_identification_type: S.required(S.oneOf(TAX_ID_TYPES)),
			tax_identification_number: S.required(S.string({ min: 1, max: 20 })),
			is_resident_in_multiple_tax_jurisdictions: S.required(S.boolean()),
			is_subject_to_fatca: S.required(S.boolean()),
		}),
	),
	terms_and_conditions: CONSENT,
	data_privacy_and_sharing_agreement: CONSENT,
};

const COMPANY_NAME = S.required(S.string({ min: 1, max: 200 }));
const VARIANTS = {
	LIMITED_LIABILITY_COMPANY: {
		...COMMON,
		identification: S.required(
			S.object({
				company_name: COMPANY_NAME,
				incorporation_date: S.required(S.date({ notFuture: true })),
				district_court: S.string({ min: 1, max: 40 }),
				legal_designation: S.required(
					S.oneOf([
						'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
						'UNTERNEHMERGESELLSCHAFT',
						'AKTIENGESELLSCHAFT',
					]),
				),
				legal_entity_identifier: S.string({ max: 20, pattern: LEI_RE }),
				common_reporting_standards: S.required(
					S.object({
						is_passive_non_financial_entity: S.required(S.boolean()),
						is_financial_institution: S.required(S.boolean()),
					}),
				),
			}),
		),
	},
	SOLE_TRADER: {
		...COMMON,
		identification: S.required(
			S.object({
				company_name: COMPANY_NAME,
				incorporation_date: S.date({ notFuture: true }),
				legal_designation: S.required(
					S.oneOf([
						'EINZELUNTERNEHMER',
						'FREIBERUFLER',
						'EINGETRAGENER_KAUFMANN',
						'EINGETRAGENE_KAUFFRAU',
					]),
				),
			}),
		),
	},
};

function validateBusinessBody(body, ctx) {
	const valid = S.validateVariant('business_type', VARIANTS, body, ctx);
	if (!valid.ok) return valid;
	const tax = valid.value.tax_information;
	const [pattern, rule] = TAX_ID_RULES[tax.tax_identification_type];
	if (pattern.test(tax.tax_identification_number)) return valid;
	const field = 'tax_information.tax_identification_number';
	return { ok: false, field, detail: `${field} ${rule} for ${tax.tax_identification_type}` };
}

module.exports = { validateBusinessBody, BUSINESS_TYPES: Object.keys(VARIANTS) };
