'use strict';

/**
 * Objects several Upvest request bodies share (Upvest's API reference): the Address of users,
 * checks and businesses, and the consent of terms and conditions and data privacy agreements.
 */

const S = require('./schema');

const POSTCODE_RE = /^[a-zA-Z0-9][a-zA-Z0-9\s\-]{0,8}[a-zA-Z0-9]?$/;

/** Address: `address`, `postal_address`, a check's `confirmed_address`, `registered_address`. */
const ADDRESS = S.object({
	address_line1: S.required(S.string({ max: 100 })),
	address_line2: S.string({ max: 100 }),
	postcode: S.required(S.string({ max: 10, pattern: POSTCODE_RE })),
	city: S.required(S.string({ min: 1, max: 85 })),
	state: S.string({ max: 50 }),
	country: S.required(S.country()),
});

/** `terms_and_conditions` and `data_privacy_and_sharing_agreement`. */
const CONSENT = S.object({
	consent_document_id: S.required(S.uuid()),
	confirmed_at: S.required(S.dateTime()),
});

module.exports = { ADDRESS, CONSENT, POSTCODE_RE };
