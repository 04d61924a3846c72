'use strict';

/**
 * Check bodies: POST /users/{user_id}/checks (KYC, POR, INSTRUMENT_FIT; Upvest's API reference,
 * user-checks/create_user_check) and POST /businesses/{business_id}/checks (KYB; business-checks).
 * The variant is chosen by `type`; errors name the field, never its value.
 */

const S = require('./schema');
const { ADDRESS } = require('./parts');

const KYC_DOCUMENTS = [
	'PASSPORT',
	'ID_CARD',
	'RESIDENCE_PERMIT',
	'DRIVING_LICENSE',
	'TWO_PLUS_TWO_VERIFICATION_PROOF',
];
/** KYC documents whose expiration date and issuing country (`nationality`) must be given. */
const KYC_DOCUMENTS_WITH_EXPIRY = ['PASSPORT', 'ID_CARD', 'RESIDENCE_PERMIT', 'DRIVING_LICENSE'];
const KYC_METHODS = [
	'VIDEO_ID',
	'IN_PERSON_ID',
	'ELECTRONIC_ID',
	'LIVENESS_PHOTO_ID',
	'QUALIFIED_ELECTRONIC_SIGNATURE_WITH_TX',
	'TWO_PLUS_TWO_VERIFICATION',
	'ID_COLLECTION',
];
const POR_DOCUMENTS = [
	'UTILITY_BILL',
	'TELEPHONE_BILL',
	'INTERNET_BILL',
	'BANK_STATEMENT',
	'REGISTRATION_CERT',
	'RESIDENCE_PERMIT',
	'ID_CARD',
];

const confirmedAt = () => S.required(S.dateTime({ recent: true }));
const link = () => S.required(S.url(1000));

const USER_CHECKS = {
	KYC: {
		check_confirmed_at: confirmedAt(),
		data_download_link: link(),
		document_type: S.required(S.oneOf(KYC_DOCUMENTS)),
		document_expiration_date: S.date(),
		nationality: S.country(),
		provider: S.required(S.string({ min: 1, max: 100 })),
		method: S.required(S.oneOf(KYC_METHODS)),
		confirmed_address: ADDRESS,
		kyc_update: S.boolean(),
	},
	POR: {
		check_confirmed_at: confirmedAt(),
		issuance_date: S.required(S.date({ notFuture: true })),
		data_download_link: link(),
		document_type: S.required(S.oneOf(POR_DOCUMENTS)),
		confirmed_address: S.required(ADDRESS),
	},
	INSTRUMENT_FIT: {
		check_confirmed_at: confirmedAt(),
		instrument_suitability: S.required(S.object({ suitability: S.required(S.boolean()) })),
	},
};

const BUSINESS_CHECKS = {
	KYB: {
		originally_confirmed_at: S.required(S.dateTime()),
		check_confirmed_at: confirmedAt(),
		data_download_link: link(),
	},
};

function validateUserCheckBody(body, ctx) {
	const valid = S.validateVariant('type', USER_CHECKS, body, ctx);
	if (!valid.ok || valid.value.type !== 'KYC') return valid;
	if (KYC_DOCUMENTS_WITH_EXPIRY.includes(valid.value.document_type)) {
		for (const field of ['document_expiration_date', 'nationality']) {
			if (valid.value[field] === undefined)
				return { ok: false, field, detail: `${field} is required for this document_type` };
		}
	}
	return valid;
}

const validateBusinessCheckBody = (body, ctx) =>
	S.validateVariant('type', BUSINESS_CHECKS, body, ctx);

module.exports = {
	validateUserCheckBody,
	validateBusinessCheckBody,
	USER_CHECK_TYPES: Object.keys(USER_CHECKS),
};
