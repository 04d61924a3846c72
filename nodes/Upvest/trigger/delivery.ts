/**
 * A verified delivery's events: the batch split into events in `created_at` order, then the events
 * the user chose. Upvest sends `{"payload": [events]}`; a bare array or one event object is read
 * the same way. Events are `{id, created_at, type, object, webhook_id}`.
 */
import type { IDataObject } from 'n8n-workflow';

import { fail, ok, type Result } from './checks';
import { ALL_CATEGORIES, categoryOf, TEST_EVENT_CATEGORY } from './events';

export interface UpvestEvent extends IDataObject {
	id?: string;
	type?: string;
	created_at?: string;
}

export interface EventSelection {
	/** Subscribed categories; ALL passes every event. */
	categories: readonly string[];
	/** Event types to pass on; empty passes every event of the categories. */
	eventTypes: readonly string[];
	/** Also pass Upvest's test events (while n8n listens for a test event). */
	testEvents?: boolean;
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Splits the raw body into its events, or fails with check `body`. */
export function parseDelivery(body: Buffer | string): Result<UpvestEvent[]> {
	let json: unknown;
	try {
		json = JSON.parse(body.toString());
	} catch {
		return fail('body', 'the delivery is not JSON');
	}
	return eventsOf(json);
}

/**
 * The events of a delivery's JSON. n8n parses a JSON webhook body before the trigger runs; when
 * that holds Upvest's `payload` list, it is the same JSON as the raw bytes verified, and reading
 * it saves parsing a large batch twice.
 */
export function eventsOf(json: unknown): Result<UpvestEvent[]> {
	let list: unknown[];
	if (isObject(json) && Array.isArray(json.payload)) list = json.payload;
	else if (Array.isArray(json)) list = json;
	else if (isObject(json) && typeof json.type === 'string') list = [json];
	else return fail('body', 'the delivery holds neither a payload list nor an event');
	if (!list.every(isObject))
		return fail('body', 'the delivery holds an event that is not an object');
	return ok(list as UpvestEvent[]);
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** [epoch seconds, nanoseconds]: Date keeps milliseconds only, Upvest sends nanoseconds. */
function instant(value: unknown): [number, number] | undefined {
	const match = typeof value === 'string' ? RFC3339.exec(value) : null;
	if (match === null) return undefined;
	const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
	if (Number.isNaN(seconds)) return undefined;
	return [seconds, Number((match[2] ?? '').padEnd(9, '0'))];
}

/** RFC 3339 in UTC with one fraction length: then the text order is the time order. */
function sameUtcLayout(
	events: UpvestEvent[],
): events is Array<UpvestEvent & { created_at: string }> {
	const first = events[0]?.created_at;
	if (typeof first !== 'string' || !/Z$/i.test(first)) return false;
	return events.every(
		(event) =>
			typeof event.created_at === 'string' &&
			event.created_at.length === first.length &&
			RFC3339.test(event.created_at) &&
			/Z$/i.test(event.created_at),
	);
}

/** Oldest first; stable, and events without a readable `created_at` keep their place at the end. */
export function sortByCreatedAt(events: UpvestEvent[]): UpvestEvent[] {
	if (sameUtcLayout(events)) {
		// The usual case: Upvest writes every timestamp alike, so comparing the text is enough.
		return [...events].sort((a, b) =>
			a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
		);
	}
	const keyed = events.map((event) => ({ event, at: instant(event.created_at) }));
	keyed.sort((a, b) => {
		if (a.at === undefined || b.at === undefined) return a.at === b.at ? 0 : a.at ? -1 : 1;
		return a.at[0] - b.at[0] || a.at[1] - b.at[1];
	});
	return keyed.map(({ event }) => event);
}

export function isSelected(event: UpvestEvent, selection: EventSelection): boolean {
	const type = typeof event.type === 'string' ? event.type : '';
	if (selection.testEvents === true && categoryOf(type) === TEST_EVENT_CATEGORY) return true;
	if (selection.eventTypes.length > 0) return selection.eventTypes.includes(type);
	return (
		selection.categories.includes(ALL_CATEGORIES) || selection.categories.includes(categoryOf(type))
	);
}
