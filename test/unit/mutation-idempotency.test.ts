/**
 * The idempotency key each created item sends (shared/idempotency.ts), through the functions the
 * router calls: the same input always gives the same key, different inputs never share one, and
 * the options decide between the user's key, a fresh one and the derived one.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	derivedIdempotencyKey,
	idempotencyOptions,
	readIdempotencyKey,
	uuidFromText,
} from '../../nodes/Upvest/shared/idempotency';
import type { UpvestRequest } from '../../nodes/Upvest/transport';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A name-based UUID: version 5, RFC 4122 variant. */
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CLIENT = '5ec16164-6173-461d-b90d-116d68f55b40';

const create: UpvestRequest = {
	method: 'POST',
	path: '/account_groups',
	body: { user_id: '413715f2-5401-4b97-8055-034a6b879f8c', type: 'PERSONAL' },
};

/** The node's options for one item, as getNodeParameter reads them. */
function itemOptions(options: Record<string, unknown>) {
	return {
		getNode: () => ({ name: 'Upvest' }) as INode,
		getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) => {
			const option = name.replace(/^options\./, '');
			return Object.prototype.hasOwnProperty.call(options, option) ? options[option] : fallback;
		},
	} as unknown as IExecuteFunctions;
}

const keyFor = (options: Record<string, unknown>, request = create, itemIndex = 0) =>
	readIdempotencyKey(itemOptions(options), itemIndex, request, CLIENT);

describe('name-based keys', () => {
	test('the same text gives the same UUID (version 5 layout); any change gives another', () => {
		const key = uuidFromText('/account_groups', 'customer-1');
		expect(key).toMatch(UUID_V5);
		expect(uuidFromText('/account_groups', 'customer-1')).toBe(key);
		const others = [
			uuidFromText('/account_groups', 'customer-2'),
			uuidFromText('/roles', 'customer-1'),
			uuidFromText('/account_groups', ''),
			uuidFromText('', 'customer-1'),
		];
		expect(new Set([key, ...others]).size).toBe(5);
		for (const other of others) expect(other).toMatch(UUID_V5);
	});

	test('namespace and text are kept apart ("ab" + "c" is not "a" + "bc")', () => {
		expect(uuidFromText('ab', 'c')).not.toBe(uuidFromText('a', 'bc'));
	});
});

describe('the derived key', () => {
	test('depends on the API client, the method, the endpoint and the body bytes', () => {
		const key = derivedIdempotencyKey(CLIENT, create);
		expect(key).toMatch(UUID_V5);
		expect(derivedIdempotencyKey(CLIENT, { ...create })).toBe(key);
		const others = [
			derivedIdempotencyKey('00000000-0000-4000-8000-000000000000', create),
			derivedIdempotencyKey(CLIENT, { ...create, method: 'PATCH' }),
			derivedIdempotencyKey(CLIENT, { ...create, path: '/roles' }),
			derivedIdempotencyKey(CLIENT, { ...create, body: { ...create.body, type: 'JOINT' } }),
			// The same fields in another order are other bytes, so another key.
			derivedIdempotencyKey(CLIENT, { ...create, body: { type: 'PERSONAL', ...create.body } }),
		];
		expect(new Set([key, ...others]).size).toBe(6);
	});

	test('a request without a body is keyed like an empty body', () => {
		const noBody = { method: 'POST' as const, path: '/x' };
		expect(derivedIdempotencyKey(CLIENT, noBody)).toBe(
			derivedIdempotencyKey(CLIENT, { ...noBody, body: {} }),
		);
	});

	test('is not the key the same text would give as a user key', () => {
		const body = JSON.stringify(create.body);
		expect(derivedIdempotencyKey(CLIENT, create)).not.toBe(uuidFromText(create.path, body));
	});
});

describe('the key an item sends', () => {
	test('no options: the derived key', () => {
		expect(keyFor({})).toBe(derivedIdempotencyKey(CLIENT, create));
		expect(keyFor({ idempotencyKey: '   ' })).toBe(derivedIdempotencyKey(CLIENT, create));
		expect(keyFor({ idempotencyKey: null })).toBe(derivedIdempotencyKey(CLIENT, create));
		// An expression that maps to nothing for this item, e.g. {{ $json.missing }}.
		expect(keyFor({ idempotencyKey: undefined })).toBe(derivedIdempotencyKey(CLIENT, create));
		expect(keyFor({ newIdempotencyKeyEachRun: false })).toBe(derivedIdempotencyKey(CLIENT, create));
	});

	test('"New Key on Every Run": a random UUID for every call', () => {
		const first = keyFor({ newIdempotencyKeyEachRun: true });
		const second = keyFor({ newIdempotencyKeyEachRun: true });
		expect(first).toMatch(UUID_V4);
		expect(second).toMatch(UUID_V4);
		expect(first).not.toBe(second);
	});

	test('only a boolean true asks for a new key', () => {
		expect(keyFor({ newIdempotencyKeyEachRun: 'true' })).toBe(
			derivedIdempotencyKey(CLIENT, create),
		);
	});

	test('a UUID of the user is sent as it is, and wins over a new key every run', () => {
		const own = 'CCB07F42-4104-44AD-8E1F-C660BB7B269C';
		expect(keyFor({ idempotencyKey: own })).toBe(own);
		expect(keyFor({ idempotencyKey: ` ${own} `, newIdempotencyKeyEachRun: true })).toBe(own);
	});

	test('other text becomes a stable UUID per endpoint, trimmed', () => {
		const key = keyFor({ idempotencyKey: 'customer-1' });
		expect(key).toMatch(UUID_V5);
		expect(keyFor({ idempotencyKey: '  customer-1 ' })).toBe(key);
		expect(keyFor({ idempotencyKey: 'customer-1', newIdempotencyKeyEachRun: true })).toBe(key);
		expect(keyFor({ idempotencyKey: 'customer-2' })).not.toBe(key);
		expect(keyFor({ idempotencyKey: 'customer-1' }, { ...create, path: '/roles' })).not.toBe(key);
		expect(key).not.toBe(derivedIdempotencyKey(CLIENT, create));
	});

	test('a number is read as its text', () => {
		expect(keyFor({ idempotencyKey: 1234 })).toBe(keyFor({ idempotencyKey: '1234' }));
		expect(keyFor({ idempotencyKey: 0 })).toBe(keyFor({ idempotencyKey: '0' }));
	});

	test.each([
		['an object', { id: 1 }],
		['a list', ['a']],
		['a boolean', true],
	])('%s is refused, naming the field and the item', (kind, value) => {
		let error: unknown;
		try {
			keyFor({ idempotencyKey: value }, create, 3);
		} catch (caught) {
			error = caught;
		}
		expect(error).toMatchObject({
			message: expect.stringMatching(new RegExp(`^Idempotency Key .*${kind}.*\\[item 3\\]$`)),
			description: expect.stringContaining('{{ $json.customerId }}'),
		});
	});
});

describe('the options', () => {
	test('as the editor shows them: a text key, and a switch for a new key every run', () => {
		expect(idempotencyOptions).toMatchObject([
			{ displayName: 'Idempotency Key', name: 'idempotencyKey', type: 'string', default: '' },
			{
				displayName: 'New Key on Every Run',
				name: 'newIdempotencyKeyEachRun',
				type: 'boolean',
				default: false,
			},
		]);
		for (const option of idempotencyOptions) expect(option.description).toMatch(/\w/);
		expect(idempotencyOptions[0].placeholder).toMatch(/\w/);
	});
});
