'use strict';

/**
 * POST /users/{user_id}/tax_residencies bodies (Upvest's API reference,
 * tax-residencies/set_tax_residencies): each residency has a country and either a tax
 * identification number or the reason it is missing. Errors never quote a tax number.
 */

const S = require('./schema');

const MISSING_TIN_REASONS = ['TIN_NOT_YET_ASSIGNED', 'COUNTRY_HAS_NO_TIN', 'OTHER_REASONS'];

const RESIDENCY = S.object({
	country: S.required(S.country()),
	tax_identifier_number: S.string({ min: 7, max: 50 }),
	missing_tin_reason: S.oneOf(MISSING_TIN_REASONS),
});
const BODY = { tax_residencies: S.required(S.array(RESIDENCY, { min: 1 })) };

function validateTaxResidenciesBody(body, ctx) {
	const valid = S.validate(BODY, body, ctx);
	if (!valid.ok) return valid;
	const seen = new Set();
	const list = valid.value.tax_residencies;
	for (let i = 0; i < list.length; i++) {
		const at = `tax_residencies[${i}]`;
		const item = list[i];
		if ((item.tax_identifier_number === undefined) === (item.missing_tin_reason === undefined))
			return {
				ok: false,
				field: at,
				detail: `${at} must have either tax_identifier_number or missing_tin_reason`,
			};
		if (seen.has(item.country))
			return {
				ok: false,
				field: `${at}.country`,
				detail: `${at}.country must differ from the countries before it`,
			};
		seen.add(item.country);
	}
	return valid;
}

module.exports = { validateTaxResidenciesBody };
