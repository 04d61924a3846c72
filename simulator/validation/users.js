'use strict';

/**
 * POST /users bodies (Upvest's API reference, users/create_user): the BYOL and the TOL variant.
 * Errors name the field, never its value (names, dates, addresses are personal data).
 */

const S = require('./schema');
const { ADDRESS, CONSENT } = require('./parts');

const SALUTATIONS = [
	'',
	'SALUTATION_MALE',
	'SALUTATION_FEMALE',
	'SALUTATION_FEMALE_MARRIED',
	'SALUTATION_DIVERSE',
];
const TITLES = ['', 'DR', 'PROF', 'PROF_DR', 'DIPL_ING', 'MAGISTER'];
const GENDERS = ['', 'MALE', 'FEMALE', 'DIVERSE'];
const TAGS = ['CLIENT_EMPLOYEE'];
const PHONE_RE = /^([0-9]{8,15})?$/;
const SOCIAL_SECURITY_RE = /^(\d{2}(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[A-Z]\d{3})?$/;

/** The fields that make a body without a declared licence model a TOL body. */
const TOL_MARKERS = ['fatca', 'terms_and_conditions', 'data_privacy_and_sharing_agreement'];

const BYOL = {
	first_name: S.required(S.string({ min: 2, max: 100 })),
	last_name: S.required(S.string({ min: 1, max: 100 })),
	birth_date: S.required(S.date({ notFuture: true })),
	nationalities: S.required(S.array(S.country(), { min: 1, distinct: true })),
	address: S.required(ADDRESS),
	email: S.email(),
	salutation: S.oneOf(SALUTATIONS),
	title: S.oneOf(TITLES),
	birth_city: S.string({ min: 1, max: 85 }),
	birth_country: S.country(),
	birth_name: S.string({ max: 100 }),
	phone_number: S.string({ max: 15, pattern: PHONE_RE }),
	postal_address: ADDRESS,
	gender: S.oneOf(GENDERS),
	social_security_number: S.string({ max: 12, pattern: SOCIAL_SECURITY_RE }),
	tags: S.array(S.oneOf(TAGS), { distinct: true }),
	branch_id: S.uuid(),
};

const TOL = {
	...BYOL,
	email: S.required(S.email()),
	fatca: S.required(
		S.object({ status: S.required(S.boolean()), confirmed_at: S.required(S.dateTime()) }),
	),
	terms_and_conditions: CONSENT,
	data_privacy_and_sharing_agreement: CONSENT,
};

/** The variant of a body: the client's licence model, or else TOL when it has a TOL field. */
function userVariant(body, licenceModel) {
	if (licenceModel) return licenceModel;
	const isObject = S.isPlainObject(body);
	return isObject && TOL_MARKERS.some((name) => body[name] !== undefined) ? 'TOL' : 'BYOL';
}

/**
 * @param licenceModel 'BYOL' | 'TOL' | undefined (the client declares none: either is taken)
 * @returns {{ ok: true, value, variant } | { ok: false, field, detail }}
 */
function validateUserBody(body, licenceModel, ctx) {
	const variant = userVariant(body, licenceModel);
	const valid = S.validate(variant === 'TOL' ? TOL : BYOL, body, ctx);
	return valid.ok ? { ...valid, variant } : valid;
}

module.exports = { validateUserBody, TOL_MARKERS };
