import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { UpvestTrigger } from '../../../nodes/Upvest/UpvestTrigger.node';
import {
	eventsOf,
	isSelected,
	parseDelivery,
	sortByCreatedAt,
	type UpvestEvent,
} from '../../../nodes/Upvest/trigger/delivery';
import {
	categoryOf,
	categoryOptions,
	EVENT_CATEGORIES,
	eventTypeOptions,
} from '../../../nodes/Upvest/trigger/events';
import {
	dropSeenEvents,
	SeenEventsMemory,
	type SeenEventRecord,
} from '../../../nodes/Upvest/trigger/seenEvents';
import vector from './webhook-vector.json';

function event(id: string, type: string, createdAt: string): UpvestEvent {
	return { id, type, created_at: createdAt, object: { id: `object-${id}` }, webhook_id: 'w-1' };
}

const ids = (events: UpvestEvent[]) => events.map((item) => item.id);

describe('reading a delivery', () => {
	test("Upvest's batch wrapper {payload: [...]}", () => {
		const parsed = parseDelivery(Buffer.from(vector.body));
		expect(parsed).toMatchObject({
			ok: true,
			value: [{ id: '8962b496-8d42-4560-bfab-10490dd1a724', type: 'CASH_BALANCE.UPDATED' }],
		});
	});

	test('a bare array, or a single event object', () => {
		const a = event('a', 'USER.CREATED', '2024-01-01T00:00:00Z');
		expect(parseDelivery(JSON.stringify([a, a]))).toMatchObject({ ok: true, value: [a, a] });
		expect(parseDelivery(JSON.stringify(a))).toMatchObject({ ok: true, value: [a] });
		expect(parseDelivery('{"payload":[]}')).toEqual({ ok: true, value: [] });
	});

	test('the JSON n8n already parsed reads the same as the raw bytes', () => {
		expect(eventsOf(JSON.parse(vector.body))).toEqual(parseDelivery(Buffer.from(vector.body)));
		expect(eventsOf({ data: [] })).toMatchObject({ ok: false, check: 'body' });
	});

	test.each([
		['not JSON', '{"payload":['],
		['an empty body', ''],
		['an object that is neither', '{"data":[]}'],
		['a number', '42'],
		['an event that is not an object', '{"payload":[1]}'],
	])('%s is refused as a body fault', (_name, body) => {
		expect(parseDelivery(body)).toMatchObject({ ok: false, check: 'body' });
	});
});

describe('ordering a batch by created_at', () => {
	test('oldest first, to the nanosecond, across offsets', () => {
		const events = [
			event('c', 'USER.CREATED', '2024-01-01T10:00:00.000000002Z'),
			event('a', 'USER.CREATED', '2024-01-01T09:59:59.999999999Z'),
			event('d', 'USER.CREATED', '2024-01-01T12:00:00.5+02:00'),
			event('b', 'USER.CREATED', '2024-01-01T10:00:00.000000001Z'),
		];
		expect(ids(sortByCreatedAt(events))).toEqual(['a', 'b', 'c', 'd']);
	});

	test('timestamps written alike (UTC, same fraction) sort by their text, same result as by time', () => {
		const at = (n: number) => `2024-01-01T10:00:${String(n).padStart(2, '0')}.123456789Z`;
		const alike = [5, 1, 3, 3, 0].map((n, index) => event(`${n}-${index}`, 'USER.CREATED', at(n)));
		expect(ids(sortByCreatedAt(alike))).toEqual(['0-4', '1-1', '3-2', '3-3', '5-0']);
		// One differently written timestamp makes the general path compare instants.
		const mixed = [...alike, event('early', 'USER.CREATED', '2024-01-01T11:59:59+02:00')];
		expect(ids(sortByCreatedAt(mixed))[0]).toBe('early');
	});

	test('stable for equal times; unreadable times keep their order at the end', () => {
		const events = [
			event('x', 'USER.CREATED', 'yesterday'),
			event('b', 'USER.CREATED', '2024-01-01T10:00:00Z'),
			event('a', 'USER.CREATED', '2024-01-01T10:00:00.000Z'),
			{ id: 'y', type: 'USER.CREATED' },
			event('z', 'USER.CREATED', '2023-12-31T23:00:00Z'),
		];
		expect(ids(sortByCreatedAt(events))).toEqual(['z', 'b', 'a', 'x', 'y']);
	});
});

describe('choosing events', () => {
	const created = event('1', 'ACCOUNT_GROUP.CREATED', '2024-01-01T00:00:00Z');
	const activated = event('2', 'ACCOUNT_GROUP.ACTIVATED', '2024-01-01T00:00:00Z');
	const user = event('3', 'USER.CREATED', '2024-01-01T00:00:00Z');
	const odd = { id: '4' };

	test('by event type, when types are chosen', () => {
		const selection = { categories: ['ACCOUNT_GROUP'], eventTypes: ['ACCOUNT_GROUP.ACTIVATED'] };
		expect([created, activated, user, odd].filter((e) => isSelected(e, selection))).toEqual([
			activated,
		]);
	});

	test('by category, when no type is chosen', () => {
		const selection = { categories: ['ACCOUNT_GROUP', 'ROLE'], eventTypes: [] };
		expect([created, activated, user, odd].filter((e) => isSelected(e, selection))).toEqual([
			created,
			activated,
		]);
	});

	test("Upvest's test event passes only while listening for a test event", () => {
		const test = event('5', 'WEBHOOK.TEST', '2024-01-01T00:00:00Z');
		const selection = { categories: ['ACCOUNT_GROUP'], eventTypes: ['ACCOUNT_GROUP.CREATED'] };
		expect(isSelected(test, selection)).toBe(false);
		expect(isSelected(test, { ...selection, testEvents: true })).toBe(true);
		expect(isSelected(user, { ...selection, testEvents: true })).toBe(false);
	});

	test('ALL passes every event, even one of an unknown type', () => {
		const selection = { categories: ['ALL'], eventTypes: [] };
		expect([created, user, odd].every((e) => isSelected(e, selection))).toBe(true);
	});
});

describe('dropping events already seen', () => {
	const now = 1_700_000_000;
	const limits = { maxEntries: 5, maxAgeSeconds: 7 * 86_400 };
	const batch = (...names: string[]) =>
		names.map((name) => event(name, 'USER.CREATED', '2024-01-01T00:00:00Z'));

	test('a redelivery passes nothing again; new events in it pass', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		expect(ids(dropSeenEvents(batch('a', 'b'), stores, now, limits))).toEqual(['a', 'b']);
		expect(ids(dropSeenEvents(batch('a', 'b'), stores, now + 1, limits))).toEqual([]);
		expect(ids(dropSeenEvents(batch('b', 'c'), stores, now + 2, limits))).toEqual(['c']);
		expect(stores.persistent).toEqual({ a: now, b: now, c: now + 2 });
	});

	test('repeats inside one batch pass once', () => {
		const stores = { persistent: {}, memory: new Map<string, number>() };
		expect(ids(dropSeenEvents(batch('a', 'a', 'b'), stores, now, limits))).toEqual(['a', 'b']);
	});

	test('the in-process memory catches a redelivery before static data was saved', () => {
		const memory = new SeenEventsMemory().forNode('workflow-1:node-1');
		dropSeenEvents(batch('a'), { persistent: {}, memory }, now, limits);
		// The second request reads the static data as stored before the first execution saved it.
		expect(dropSeenEvents(batch('a'), { persistent: {}, memory }, now + 1, limits)).toEqual([]);
	});

	test('the static data catches a redelivery after a restart (memory empty)', () => {
		const persistent: SeenEventRecord = {};
		dropSeenEvents(batch('a'), { persistent, memory: new Map() }, now, limits);
		const restored = JSON.parse(JSON.stringify(persistent)) as SeenEventRecord;
		expect(
			dropSeenEvents(batch('a'), { persistent: restored, memory: new Map() }, now, limits),
		).toEqual([]);
	});

	test('both stores keep at most maxEntries ids, forgetting the oldest', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		dropSeenEvents(batch('1', '2', '3', '4'), stores, now, limits);
		dropSeenEvents(batch('5', '6', '7'), stores, now + 1, limits);
		expect(Object.keys(stores.persistent)).toEqual(['3', '4', '5', '6', '7']);
		expect([...stores.memory.keys()]).toEqual(['3', '4', '5', '6', '7']);
		// '1' was forgotten, so it would pass again: the bound is the trade-off for memory.
		expect(ids(dropSeenEvents(batch('1', '7'), stores, now + 2, limits))).toEqual(['1']);
	});

	test('ids older than maxAgeSeconds are forgotten', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		dropSeenEvents(batch('old'), stores, now, limits);
		dropSeenEvents(batch('recent'), stores, now + 6 * 86_400, limits);
		const later = now + 7 * 86_400 + 1;
		expect(ids(dropSeenEvents(batch('old', 'recent'), stores, later, limits))).toEqual(['old']);
		expect(Object.keys(stores.persistent)).toEqual(['recent', 'old']);
	});

	test('events without an id always pass', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		const anonymous = [{ type: 'USER.CREATED' }, { id: '', type: 'USER.CREATED' }];
		expect(dropSeenEvents(anonymous, stores, now, limits)).toHaveLength(2);
		expect(dropSeenEvents(anonymous, stores, now, limits)).toHaveLength(2);
		expect(stores.persistent).toEqual({});
	});

	test('by default an id is remembered for seven days, to the second', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		dropSeenEvents(batch('a', 'b'), stores, now);
		const week = 7 * 24 * 60 * 60;
		expect(ids(dropSeenEvents(batch('a'), stores, now + week))).toEqual([]);
		expect(ids(dropSeenEvents(batch('b'), stores, now + week + 1))).toEqual(['b']);
	});

	test('an id "__proto__" always passes and is never stored', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		const proto = [{ id: '__proto__', type: 'USER.CREATED' }];
		expect(dropSeenEvents(proto, stores, now, limits)).toHaveLength(1);
		expect(dropSeenEvents(proto, stores, now, limits)).toHaveLength(1);
		expect(Object.keys(stores.persistent)).toEqual([]);
		expect(stores.memory.size).toBe(0);
		expect(Object.getPrototypeOf(stores.persistent)).toBe(Object.prototype);
	});

	test('the in-process memory is one map per trigger node, kept between deliveries', () => {
		const memory = new SeenEventsMemory();
		const first = memory.forNode('workflow-1:node-1');
		expect(memory.forNode('workflow-1:node-1')).toBe(first);
		expect(memory.forNode('workflow-1:node-2')).not.toBe(first);
	});

	test('the default bounds hold 10,000 ids', () => {
		const stores = { persistent: {} as SeenEventRecord, memory: new Map<string, number>() };
		const many = Array.from({ length: 10_050 }, (_, i) => ({ id: `e-${i}`, type: 'USER.CREATED' }));
		expect(dropSeenEvents(many, stores, now)).toHaveLength(10_050);
		expect(Object.keys(stores.persistent)).toHaveLength(10_000);
		expect(stores.memory.size).toBe(10_000);
		expect(stores.persistent['e-49']).toBeUndefined();
		expect(stores.persistent['e-50']).toBe(now);
	});
});

describe('event catalog', () => {
	test('categories: All first, then the six of the onboarding, none inferred any more', () => {
		expect(categoryOptions().map((option) => option.value)).toEqual([
			'ALL',
			'ACCOUNT_GROUP',
			'ACCOUNT',
			'BUSINESS',
			'ROLE',
			'USER',
			'USER_CHECK',
		]);
		expect(EVENT_CATEGORIES.filter((category) => category.inferred)).toEqual([]);
	});

	test('event types follow the chosen categories', () => {
		const values = (categories: string[]) =>
			eventTypeOptions(categories).map((option) => option.value);
		expect(values(['ROLE'])).toEqual(['ROLE.ACTIVATED', 'ROLE.CREATED', 'ROLE.DEACTIVATED']);
		expect(values(['ACCOUNT_GROUP'])).toContain('ACCOUNT_GROUP.CLOSING_INITIATED');
		expect(values(['ACCOUNT_GROUP'])).not.toContain('USER.CREATED');
		// Account group 6, account 6, business 7 + 3 business check, role 3, user 7, user check 3.
		expect(values(['ALL'])).toHaveLength(6 + 6 + 10 + 3 + 7 + 3);
		expect(values([])).toHaveLength(35);
		expect(eventTypeOptions(['USER'])).toContainEqual({
			name: 'User: Data change failed',
			value: 'USER.DATA_CHANGE_FAILED',
		});
		expect(values(['USER_CHECK'])).toEqual([
			'USER_CHECK.CREATED',
			'USER_CHECK.FAILED',
			'USER_CHECK.PASSED',
		]);
		expect(eventTypeOptions(['BUSINESS'])).toContainEqual({
			name: 'Business Check: Passed',
			value: 'BUSINESS_CHECK.PASSED',
		});
	});

	test("the node's loadOptions method offers the event types of the chosen categories", async () => {
		const { getEventTypes } = new UpvestTrigger().methods.loadOptions;
		const context = { getCurrentNodeParameter: () => ['ROLE'] } as unknown as ILoadOptionsFunctions;
		const options = await getEventTypes.call(context);
		expect(options.map((option) => option.value)).toEqual([
			'ROLE.ACTIVATED',
			'ROLE.CREATED',
			'ROLE.DEACTIVATED',
		]);
	});

	test('categoryOf', () => {
		expect(categoryOf('ACCOUNT_GROUP.CREATED')).toBe('ACCOUNT_GROUP');
		expect(categoryOf('USER_CHECK.PASSED')).toBe('USER_CHECK');
		// No BUSINESS_CHECK category exists: its events come with BUSINESS.
		expect(categoryOf('BUSINESS_CHECK.FAILED')).toBe('BUSINESS');
		expect(categoryOf('PLAIN')).toBe('PLAIN');
	});
});
