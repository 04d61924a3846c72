/**
 * The webhook categories the trigger subscribes to and the event types inside them, in one place
 * so that a change on Upvest's side is one edit. Sources: the webhook subscription `type` enum and
 * the event pages of https://docs.upvest.co (webhooks, account group, account, user and role
 * events). `inferred` marks what no source listed outright.
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
	/** Not seen in a published enum; follows from the events Upvest documents. */
	inferred?: boolean;
}

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
		value: 'USER',
		name: 'User',
		description: 'Users created, activated, deactivated, changed or offboarded',
		actions: [
			'CREATED',
			'ACTIVATED',
			'DEACTIVATED',
			'DATA_CHANGED',
			'DATA_CHANGE_FAILED',
			'OFFBOARDING_INITIATED',
			'OFFBOARDED',
		],
	},
	{
		value: 'ROLE',
		name: 'Role',
		description: 'Roles created, activated or deactivated',
		actions: ['CREATED', 'ACTIVATED', 'DEACTIVATED'],
		// Role events are documented; the ROLE subscription category is not in a published enum.
		inferred: true,
	},
];

/** The category of an event type: `ACCOUNT_GROUP.CREATED` → `ACCOUNT_GROUP`. */
export function categoryOf(eventType: string): string {
	const dot = eventType.indexOf('.');
	return dot < 0 ? eventType : eventType.slice(0, dot);
}

export function categoryOptions(): INodePropertyOptions[] {
	return [
		{ name: 'All', value: ALL_CATEGORIES, description: 'Every event Upvest sends' },
		...EVENT_CATEGORIES.map(({ name, value, description }) => ({ name, value, description })),
	];
}

function humanize(action: string): string {
	const words = action.toLowerCase().split('_');
	return words.join(' ').replace(/^./, (first) => first.toUpperCase());
}

/** The event types of the chosen categories (all of them for ALL or none chosen). */
export function eventTypeOptions(categories: readonly string[]): INodePropertyOptions[] {
	const everything = categories.length === 0 || categories.includes(ALL_CATEGORIES);
	return EVENT_CATEGORIES.filter((category) => everything || categories.includes(category.value))
		.flatMap((category) =>
			category.actions.map((action) => ({
				name: `${category.name}: ${humanize(action)}`,
				value: `${category.value}.${action}`,
			})),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
}
