/**
 * What the trigger asks Upvest to deliver: the categories, the categories an All subscription
 * leaves out, and how deliveries are batched (`config.delay`, `config.max_package_size`). Read
 * from the node's parameters and checked against Upvest's rules before anything is registered.
 */
import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { ALL_CATEGORIES } from './events';

/** Upvest collects events for 1 to 30 seconds into one delivery. */
export const DELAY_SECONDS = { min: 1, max: 30 };
/** The size of one delivery, in bytes. */
export const PACKAGE_BYTES = { min: 100, max: 1_048_576 };

/** Every category of Upvest's subscription enum but ALL: what an All subscription may leave out. */
export const EXCLUDABLE_CATEGORIES = [
	'ACCOUNT',
	'ACCOUNT_GROUP',
	'ACCOUNT_LIQUIDATION',
	'ACCOUNT_RETURNS',
	'ACCOUNT_TRANSFER',
	'ACCOUNT_VALUATION',
	'BUSINESS',
	'CASH_BALANCE',
	'CASH_TRANSACTION',
	'CORPORATE_ACTION',
	'CREDIT_FUNDING',
	'DIRECT_DEBIT',
	'EXECUTION',
	'FEE_COLLECTION',
	'INSTRUMENT',
	'INTRADAY_ACCOUNT_VALUATION',
	'ISA_TRANSFER',
	'ISA_WRAPPER',
	'ISA_WRAPPER_ALLOWANCE',
	'ORDER',
	'ORDER_CANCELLATION',
	'PORTFOLIO',
	'PORTFOLIO_ALLOCATION',
	'PORTFOLIO_ORDER',
	'POSITION',
	'REBALANCING_EXECUTION_ORDER',
	'REPORT',
	'ROLE',
	'SAVINGS_PLAN',
	'SAVINGS_PLAN_EXECUTION',
	'SECURITIES_TRANSFER',
	'SECURITY_TRANSACTION',
	'TAX_COLLECTION',
	'TAX_EXEMPTION',
	'TOPUP',
	'TREASURY_REPORT',
	'USER',
	'USER_CHECK',
	'VIRTUAL_BANK_ACCOUNT',
	'VIRTUAL_CASH_DECREASE',
	'VIRTUAL_CASH_INCREASE',
	'WITHDRAWAL',
] as const;

export interface Subscription {
	type: string[];
	/** Only with ALL; empty when nothing is left out. */
	excludeType: string[];
	/** Only the settings the user chose; Upvest keeps its own for the rest. */
	config: IDataObject;
}

function fail(context: IHookFunctions, message: string): never {
	throw new NodeOperationError(context.getNode(), message);
}

function wholeNumberIn(
	context: IHookFunctions,
	value: unknown,
	label: string,
	{ min, max }: { min: number; max: number },
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		fail(context, `${label} must be a whole number from ${min} to ${max}: Upvest accepts no other`);
	}
	return number;
}

export function readSubscription(context: IHookFunctions): Subscription {
	const categories = context.getNodeParameter('categories', []) as string[];
	if (categories.length === 0) fail(context, 'Choose at least one category to subscribe to');
	const all = categories.includes(ALL_CATEGORIES);
	const type = all ? [ALL_CATEGORIES] : [...new Set(categories)];

	const options = context.getNodeParameter('options', {}) as IDataObject;
	const excluded = Array.isArray(options.excludeCategories)
		? [...new Set(options.excludeCategories as string[])]
		: [];
	if (excluded.length > 0 && !all) {
		fail(
			context,
			'Exclude Categories applies only to an All subscription: choose All in Categories, or clear Exclude Categories',
		);
	}
	const unknown = excluded.find(
		(category) => !(EXCLUDABLE_CATEGORIES as readonly string[]).includes(category),
	);
	if (unknown !== undefined) {
		fail(context, `Exclude Categories holds a value Upvest does not know: use the list`);
	}

	const config: IDataObject = {};
	if (options.deliveryDelaySeconds !== undefined && options.deliveryDelaySeconds !== '') {
		const seconds = wholeNumberIn(
			context,
			options.deliveryDelaySeconds,
			'Delivery Delay (Seconds)',
			DELAY_SECONDS,
		);
		config.delay = `${seconds}s`;
	}
	if (options.maxDeliveryBytes !== undefined && options.maxDeliveryBytes !== '') {
		config.max_package_size = wholeNumberIn(
			context,
			options.maxDeliveryBytes,
			'Max Delivery Size (Bytes)',
			PACKAGE_BYTES,
		);
	}
	return { type, excludeType: excluded, config };
}

/** The body of `POST /webhooks` for `title` and `url`. */
export function createBody(subscription: Subscription, title: string, url: string): IDataObject {
	const body: IDataObject = { title, url, type: subscription.type };
	if (subscription.excludeType.length > 0) body.exclude_type = subscription.excludeType;
	if (Object.keys(subscription.config).length > 0) body.config = subscription.config;
	return body;
}

function sameSet(current: unknown, wanted: string[]): boolean {
	const list = Array.isArray(current) ? current : [];
	return list.length === wanted.length && wanted.every((entry) => list.includes(entry));
}

/** What a `PATCH` must change on an existing subscription; empty when it is as wanted. */
export function changesFor(existing: IDataObject, subscription: Subscription): IDataObject {
	const changes: IDataObject = {};
	if (!sameSet(existing.type, subscription.type)) changes.type = subscription.type;
	if (!sameSet(existing.exclude_type, subscription.excludeType)) {
		changes.exclude_type = subscription.excludeType;
	}
	const current = (existing.config ?? {}) as IDataObject;
	const differs = Object.entries(subscription.config).some(
		([key, value]) => current[key] !== value,
	);
	// A PATCH replaces the whole config: the settings Upvest has and the user did not choose stay.
	if (differs) changes.config = { ...current, ...subscription.config };
	if (existing.enabled === false) changes.enabled = true;
	return changes;
}
