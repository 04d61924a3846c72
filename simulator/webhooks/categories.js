'use strict';

/**
 * Subscription categories: the `type` enum of Upvest's API specification for POST and PATCH
 * /webhooks (`exclude_type` takes the same without ALL), and the category an event goes by.
 */

const { BUSINESS_CHECK_EVENTS_CATEGORY } = require('../assumptions');

const WEBHOOK_CATEGORIES = `
	ALL BUSINESS ROLE USER USER_CHECK ORDER ORDER_CANCELLATION EXECUTION POSITION CASH_BALANCE
	ACCOUNT ACCOUNT_GROUP INSTRUMENT REPORT TREASURY_REPORT DIRECT_DEBIT WITHDRAWAL PORTFOLIO
	PORTFOLIO_ALLOCATION PORTFOLIO_ORDER CORPORATE_ACTION ACCOUNT_VALUATION INTRADAY_ACCOUNT_VALUATION
	CASH_TRANSACTION SECURITY_TRANSACTION ACCOUNT_LIQUIDATION ACCOUNT_RETURNS VIRTUAL_CASH_INCREASE
	VIRTUAL_CASH_DECREASE FEE_COLLECTION SAVINGS_PLAN SAVINGS_PLAN_EXECUTION
	REBALANCING_EXECUTION_ORDER TAX_EXEMPTION TAX_COLLECTION ISA_WRAPPER ISA_WRAPPER_ALLOWANCE
	CREDIT_FUNDING VIRTUAL_BANK_ACCOUNT SECURITIES_TRANSFER ACCOUNT_TRANSFER TOPUP ISA_TRANSFER
`
	.trim()
	.split(/\s+/);

/** Event prefixes that are not categories of their own, and the category they go by. */
const CATEGORY_OF_PREFIX = { BUSINESS_CHECK: BUSINESS_CHECK_EVENTS_CATEGORY };

/** The category an event belongs to: the part of its type before the dot (or its alias). */
function categoryOf(type) {
	const prefix = type.slice(0, type.indexOf('.'));
	return CATEGORY_OF_PREFIX[prefix] ?? prefix;
}

/**
 * Whether a subscription takes events of `type`: its `type` holds ALL or the event's category;
 * with ALL, `exclude_type` leaves categories out (it is ignored without ALL).
 */
function subscribed({ type: categories, exclude_type: excluded = [] }, type) {
	const category = categoryOf(type);
	if (categories.includes('ALL')) return !excluded.includes(category);
	return categories.includes(category);
}

module.exports = { WEBHOOK_CATEGORIES, categoryOf, subscribed };
