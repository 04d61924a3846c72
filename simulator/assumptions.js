'use strict';

/**
 * Where Upvest's behaviour is not documented, the simulator assumes what is written here, in one
 * place, so each assumption is easy to find and change. docs/simulator.md lists them.
 */

module.exports = {
	/** GET /roles narrows the list by these query parameters (UUIDs). */
	ROLE_LIST_FILTERS: ['user_id', 'entity_id'],
	/**
	 * GET /users/{user_id}/account_groups lists every group that names the user in `users`
	 * (OWNER, CHILD or GUARDIAN), not only the groups the user owns.
	 */
	USER_GROUPS_INCLUDE_ALL_USER_TYPES: true,

	/**
	 * BUSINESS_CHECK.* events are documented, but no subscription category of that name is in the
	 * API specification's enum: they go to subscriptions of this category (and ALL).
	 */
	BUSINESS_CHECK_EVENTS_CATEGORY: 'BUSINESS',
	/** A subscription created without config.max_package_size batches up to this many bytes. */
	DEFAULT_MAX_PACKAGE_SIZE: 1048576,
	/** POST /webhooks/{id}/test delivers one event of this type whose object is the subscription. */
	TEST_EVENT_TYPE: 'WEBHOOK.TEST',
	/**
	 * POST and PATCH /webhooks take an idempotency-key (honoured when sent) but do not require one:
	 * the API specification lists none for them.
	 */
	WEBHOOK_IDEMPOTENCY_KEY: 'optional',
	/** One event has one id; each subscription receives it with its own webhook_id. */
	EVENT_ID_SHARED_ACROSS_SUBSCRIPTIONS: true,
	/** PATCH /webhooks/{id} with `config` replaces the whole config object. */
	WEBHOOK_PATCH_REPLACES_CONFIG: true,

	/**
	 * The identifier standard POST /users/{id}/identifiers assumes without `identifier_standard`
	 * for an issuing country that is not a CONCAT country (AT, DE, FR, HU, IE, LU): this table, else
	 * FALLBACK_IDENTIFIER_STANDARD. Upvest picks the country's first-priority standard; its full
	 * table is not published in a form the simulator could copy.
	 */
	DEFAULT_IDENTIFIER_STANDARDS: {
		BE: 'BNN',
		CZ: 'CZNI',
		DK: 'DPIC',
		ES: 'STIN',
		NL: 'NLPN',
		PL: 'PESEL',
	},
	FALLBACK_IDENTIFIER_STANDARD: 'NIDN',
	/** A business needs an ACTIVE role of each of these types (and a PASSED KYB check). */
	BUSINESS_REQUIRED_ROLES: [
		'ULTIMATE_BENEFICIAL_OWNER',
		'LEGAL_REPRESENTATIVE',
		'CONTRACTING_EXECUTIVE',
	],
	/** DELETE /accounts/{id} answers 409 for an account in one of these statuses. */
	ACCOUNT_CLOSE_CONFLICTS: ['CLOSING', 'CLOSED', 'LOCKED'],
};
