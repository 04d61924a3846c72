/**
 * The webhook categories the trigger subscribes to and the event types inside them, in one place
 * so that a change on Upvest's side is one edit. Sources: the webhook subscription `type` enum and
 * the event pages of https://docs.upvest.co (account group, account, user, user check, role,
 * business and business check events; docs/endpoints.md). `inferred` marks what no source listed
 * outright.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export const ALL_CATEGORIES = 'ALL';

/**
 * The category of the event `POST /webhooks/{id}/test` sends (inferred: `WEBHOOK.TEST`). It is
 * passed on while n8n listens for a test event, whatever the chosen categories.
 */
export const TEST_EVENT_CATEGORY = 'WEBHOOK';

export interface EventCategory {
	value: string;
	name: string;
	description: string;
	/** Actions; the event type is `<value>.<action>`. */
	actions: readonly string[];
	/** Event types of another prefix that Upvest delivers with this category. */
	alsoDelivers?: readonly string[];
	/** Not seen in a published source; follows from the events Upvest documents. */
	inferred?: boolean;
}

/** What happens to a customer, a user or a business, over its life at Upvest. */
const CUSTOMER_ACTIONS = [
	'CREATED',
	'ACTIVATED',
	'DEACTIVATED',
	'DATA_CHANGED',
	'DATA_CHANGE_FAILED',
	'OFFBOARDING_INITIATED',
	'OFFBOARDED',
];

export const EVENT_CATEGORIES: readonly EventCategory[] = [
	{
		value: 'ACCOUNT_GROUP',
		name: 'Account Group',
		description: 'Account groups created, activated, locked, updated or closed',
		actions: ['CREATED', 'ACTIVATED', 'CLOSING_INITIATED', 'CLOSED', 'LOCKED', 'UPDATED'],
	},
	{
		value: 'ACCOUNT',
		name: 'Account',
		description: 'Accounts created, activated, updated, locked or closed',
		actions: ['CREATED', 'ACTIVATED', 'UPDATED', 'LOCKED', 'CLOSING_INITIATED', 'CLOSED'],
	},
	{
		value: 'BUSINESS',
		name: 'Business',
		description: 'Businesses created, activated, changed or offboarded, and their KYB checks',
		actions: CUSTOMER_ACTIONS,
		// Business check events are documented, but no BUSINESS_CHECK category is: assumed to come
		// with BUSINESS.
		alsoDelivers: ['BUSINESS_CHECK.CREATED', 'BUSINESS_CHECK.PASSED', 'BUSINESS_CHECK.FAILED'],
	},
	{
		value: 'ROLE',
		name: 'Role',
		description: 'Roles created, activated or deactivated',
		actions: ['CREATED', 'ACTIVATED', 'DEACTIVATED'],
	},
	{
		value: 'USER',
		name: 'User',
		description: 'Users created, activated, deactivated, changed or offboarded',
		actions: CUSTOMER_ACTIONS,
	},
	{
		value: 'USER_CHECK',
		name: 'User Check',
		description: 'Checks of a user submitted, passed or failed',
		actions: ['CREATED', 'PASSED', 'FAILED'],
	},
];

/** Every event type of a category: `<value>.<action>` and what it also delivers. */
export function eventTypesOf(category: EventCategory): string[] {
	return [
		...category.actions.map((action) => `${category.value}.${action}`),
		...(category.alsoDelivers ?? []),
	];
}

/**
 * The subscription category an event type arrives with: `ACCOUNT_GROUP.CREATED` →
 * `ACCOUNT_GROUP`, `BUSINESS_CHECK.PASSED` → `BUSINESS`.
 */
export function categoryOf(eventType: string): string {
	const listed = EVENT_CATEGORIES.find((category) => category.alsoDelivers?.includes(eventType));
	if (listed !== undefined) return listed.value;
	const dot = eventType.indexOf('.');
	return dot < 0 ? eventType : eventType.slice(0, dot);
}

export function categoryOptions(): INodePropertyOptions[] {
	return [
		{ name: 'All', value: ALL_CATEGORIES, description: 'Every event Upvest sends' },
		...EVENT_CATEGORIES.map(({ name, value, description }) => ({ name, value, description })),
	];
}

function humanize(eventType: string): string {
	const [prefix, action] = eventType.split('.');
	const category = EVENT_CATEGORIES.find((entry) => entry.value === prefix);
	const name =
		category?.name ??
		prefix
			.toLowerCase()
			.split('_')
			.map((word) => word.replace(/^./, (first) => first.toUpperCase()))
			.join(' ');
	const words = action.toLowerCase().split('_').join(' ');
	return `${name}: ${words.replace(/^./, (first) => first.toUpperCase())}`;
}

/** The event types of the chosen categories (all of them for ALL or none chosen). */
export function eventTypeOptions(categories: readonly string[]): INodePropertyOptions[] {
	const everything = categories.length === 0 || categories.includes(ALL_CATEGORIES);
	return EVENT_CATEGORIES.filter((category) => everything || categories.includes(category.value))
		.flatMap(eventTypesOf)
		.map((type) => ({ name: humanize(type), value: type }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
