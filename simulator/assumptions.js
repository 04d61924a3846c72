'use strict';

/**
 * Where Upvest's behaviour is not documented, the simulator assumes what is written here, in one
 * place, so each assumption is easy to find and change. docs/simulator.md lists them.
 */

module.exports = {
	/** GET /roles narrows the list by these query parameters (UUIDs). */
	ROLE_LIST_FILTERS: ['user_id', 'entity_id'],
	/** DELETE /roles/{id} answers this status with the role, now INACTIVE. */
	ROLE_DEACTIVATE_STATUS: 202,
	/**
	 * GET /users/{user_id}/account_groups lists every group that names the user in `users`
	 * (OWNER, CHILD or GUARDIAN), not only the groups the user owns.
	 */
	USER_GROUPS_INCLUDE_ALL_USER_TYPES: true,

	/**
	 * Subscription categories: the `type` enum of Upvest's API specification, plus ROLE and
	 * BUSINESS, whose events are documented but which no published enum lists.
	 */
	WEBHOOK_CATEGORIES: [
		'ALL',
		'USER',
		'USER_CHECK',
		'ORDER',
		'ORDER_CANCELLATION',
		'EXECUTION',
		'POSITION',
		'CASH_BALANCE',
		'ACCOUNT',
		'ACCOUNT_GROUP',
		'REPORT',
		'TREASURY_REPORT',
		'DIRECT_DEBIT',
		'WITHDRAWAL',
		'PORTFOLIO',
		'PORTFOLIO_ALLOCATION',
		'PORTFOLIO_ORDER',
		'CORPORATE_ACTION',
		'ACCOUNT_VALUATION',
		'INTRADAY_ACCOUNT_VALUATION',
		'CASH_TRANSACTION',
		'SECURITY_TRANSACTION',
		'ACCOUNT_LIQUIDATION',
		'ACCOUNT_RETURNS',
		'VIRTUAL_CASH_INCREASE',
		'VIRTUAL_CASH_DECREASE',
		'FEE_COLLECTION',
		'ROLE',
		'BUSINESS',
	],
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
};
