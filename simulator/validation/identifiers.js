'use strict';

/**
 * User identifier bodies (Upvest's API reference, user-identifiers): POST
 * /users/{user_id}/identifiers and PATCH …/identifiers/{identifier_id}. The identifier's format is
 * checked for the standards whose patterns Upvest's identifiers guide publishes; errors name the
 * field, never the identifier.
 */

const S = require('./schema');
const { CONCAT_COUNTRIES } = require('../countries');
const { DEFAULT_IDENTIFIER_STANDARDS, FALLBACK_IDENTIFIER_STANDARD } = require('../assumptions');

const TYPES = ['NATIONAL_ID', 'PASSPORT'];
const CONCAT = 'CONCAT';
/** Published patterns of some national standards (docs.upvest.co, Users → Identifiers). */
const STANDARD_PATTERNS = {
	BNN: /^[0-9]{2}([0][1-9]|[1][012])([0][1-9]|[12][0-9]|[3][01])[0-9]{5}$/,
	DPIC: /^([0][1-9]|[12][0-9]|[3][01])([0][1-9]|[1][012])[0-9]{2}[0-9]{4}$/,
	STIN: /^[A-Z0-9]{9}$/,
	CZNI: /^[0-9]{2,6}-?[0-9]{2,10}\/?[0-9]{4}$/,
};

const IDENTIFIER = S.string({ max: 30 });
const CREATE = {
	type: S.required(S.oneOf(TYPES)),
	issuing_country: S.required(S.country()),
	identifier: IDENTIFIER,
	identifier_standard: S.string({ min: 1, max: 6 }),
};
const UPDATE = { identifier: S.required(IDENTIFIER) };

/** The standard Upvest picks when none is given: CONCAT countries, then the table, else NIDN. */
function defaultStandard(country) {
	if (CONCAT_COUNTRIES.has(country)) return CONCAT;
	return DEFAULT_IDENTIFIER_STANDARDS[country] ?? FALLBACK_IDENTIFIER_STANDARD;
}

/** The identifier against its standard: absent for CONCAT, present and well-formed otherwise. */
function checkIdentifier(identifier, standard) {
	const fail = (detail) => ({ ok: false, field: 'identifier', detail });
	if (standard === CONCAT) {
		if (identifier !== undefined)
			return fail('identifier must be omitted when identifier_standard is CONCAT');
		return null;
	}
	if (identifier === undefined) return fail('identifier is required');
	const pattern = STANDARD_PATTERNS[standard];
	if (pattern && !pattern.test(identifier))
		return fail(`identifier must match ${pattern.source} (identifier_standard ${standard})`);
	return null;
}

/** POST body -> { ok, value: {type, issuing_country, identifier_standard, identifier?} }. */
function validateIdentifierBody(body, ctx) {
	const valid = S.validate(CREATE, body, ctx);
	if (!valid.ok) return valid;
	const v = valid.value;
	const standard = v.identifier_standard ?? defaultStandard(v.issuing_country);
	const error = checkIdentifier(v.identifier, standard);
	if (error) return error;
	const value = { type: v.type, issuing_country: v.issuing_country, identifier_standard: standard };
	if (v.identifier !== undefined) value.identifier = v.identifier;
	return { ok: true, value };
}

/** PATCH body { identifier } for an identifier of `standard`. */
function validateIdentifierUpdate(body, standard, ctx) {
	const valid = S.validate(UPDATE, body, ctx);
	if (!valid.ok) return valid;
	if (standard === CONCAT)
		return {
			ok: false,
			field: 'identifier',
			detail: 'identifier cannot be changed: identifier_standard is CONCAT',
		};
	return checkIdentifier(valid.value.identifier, standard) || valid;
}

module.exports = { validateIdentifierBody, validateIdentifierUpdate, defaultStandard, CONCAT };
