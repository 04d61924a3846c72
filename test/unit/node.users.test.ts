/**
 * User → Create (both licence models), Get, Get Many and Offboard through n8n-core's real
 * execution against the simulator: the exact bodies sent, the idempotency key, what is output,
 * and the user picker.
 */
import type { IDataObject } from 'n8n-workflow';

import { UNKNOWN_ID } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import {
	ONBOARDING_SCOPES,
	createUser,
	customer,
	user,
	userBody,
} from '../support/onboarding-builders';

const node = useNodeSuite(32);
const store = () => node.newStore('ed25519', { scopes: ONBOARDING_SCOPES });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const sentBodies = (path: string) =>
	node
		.apiRecords()
		.filter((record) => record.method === 'POST' && record.path === path)
		.map((record) => JSON.parse(record.body) as IDataObject);

describe('User → Create', () => {
	test('Your Own Licence: the BYOL body, with a key derived from it; the output is the user', async () => {
		const result = await node.run(createUser('byol'), [customer(0), customer(1)], {
			store: store(),
		});
		expect(result.error).toBeUndefined();
		expect(sentBodies('/users')).toEqual([userBody('byol', 0), userBody('byol', 1)]);
		const posts = node.apiRecords().filter((record) => record.method === 'POST');
		expect(posts.every((record) => record.signature.valid)).toBe(true);
		expect(new Set(posts.map((record) => record.idempotencyKey)).size).toBe(2);
		expect(result.items.map((item) => item.json.first_name)).toEqual([
			customer(0).firstName,
			customer(1).firstName,
		]);
		expect(result.items[0].json).toMatchObject({ id: expect.any(String), status: 'INACTIVE' });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		node.expectNoLeak(result);
	});

	test('Upvest’s Licence: e-mail, birthplace, FATCA and both consents are sent too', async () => {
		const result = await node.run(createUser('tol'), [customer(2)], { store: store() });
		expect(result.error).toBeUndefined();
		expect(sentBodies('/users')).toEqual([userBody('tol', 2)]);
	});

	test('additional fields are sent in Upvest’s names; empty ones are left out', async () => {
		const parameters = createUser('byol', {
			additionalFields: {
				salutation: 'SALUTATION_FEMALE',
				title: 'DR',
				birthName: 'Kranichfeld',
				phoneNumber: '={{ $json.phone }}',
				email: '={{ $json.email }}',
				birthCity: '={{ $json.birthCity }}',
				birthCountry: 'AT',
				gender: 'FEMALE',
				socialSecurityNumber: '25300972S014',
				tags: ['CLIENT_EMPLOYEE'],
				postalAddress: {
					details: {
						addressLine1: 'Postfachweg 1',
						postcode: 'A-1010',
						city: 'Wien',
						country: 'AT',
					},
				},
				branchId: '',
			},
		});
		const person = customer(3);
		const result = await node.run(parameters, [person], { store: store() });
		expect(result.error).toBeUndefined();
		expect(sentBodies('/users')).toEqual([
			{
				...userBody('byol', 3),
				salutation: 'SALUTATION_FEMALE',
				title: 'DR',
				birth_name: 'Kranichfeld',
				gender: 'FEMALE',
				phone_number: person.phone,
				social_security_number: '25300972S014',
				postal_address: {
					address_line1: 'Postfachweg 1',
					postcode: 'A-1010',
					city: 'Wien',
					country: 'AT',
				},
				tags: ['CLIENT_EMPLOYEE'],
				email: person.email,
				birth_city: person.birthCity,
				birth_country: 'AT',
			},
		]);
	});

	test('nationalities from an expression as text, and a licence model per item', async () => {
		// With the licence model from an expression n8n shows (and requires) both models' fields.
		const parameters = createUser('tol', {
			licenceModel: '={{ $json.licence }}',
			nationalities: '={{ $json.nationalityText }}',
		});
		const items = [
			{ ...customer(4), licence: 'byol', nationalityText: 'DE, AT' },
			{ ...customer(5), licence: 'tol', nationalityText: 'fr' },
		];
		const result = await node.run(parameters, items, { store: store() });
		expect(result.error).toBeUndefined();
		const bodies = sentBodies('/users');
		expect(bodies.map((body) => body.nationalities)).toEqual([['DE', 'AT'], ['FR']]);
		expect(bodies.map((body) => body.fatca !== undefined)).toEqual([false, true]);
	});

	test('re-running the same input creates nothing: Upvest replays the first answer', async () => {
		const first = await node.run(createUser('byol'), [customer(6)], { store: store() });
		const again = await node.run(createUser('byol'), [customer(6)], { store: store() });
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		expect(node.sim.state.users).toHaveLength(1);
		expect(node.apiRecords().filter((record) => record.replayed)).toHaveLength(1);
	});
});

describe('User → Get, Get Many, Offboard', () => {
	async function createdUsers(count: number): Promise<string[]> {
		const people = Array.from({ length: count }, (_, n) => customer(10 + n));
		const result = await node.run(createUser('byol'), people, { store: store() });
		expect(result.error).toBeUndefined();
		return result.items.map((item) => String(item.json.id));
	}

	test('Get by ID, from the list, or as a plain string saved before the picker', async () => {
		const [id] = await createdUsers(1);
		for (const value of [byId(id), { __rl: true, mode: 'list', value: id }, id]) {
			const result = await node.run(user('get', { userId: value }), [{}], { store: store() });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ id, last_name: customer(10).lastName });
		}
		const missing = await node.run(user('get', { userId: byId(UNKNOWN_ID) }), [{}], {
			store: store(),
		});
		expect(missing.error?.message).toBe('Upvest answered 404 Not Found [item 0]');
	});

	test('Get Many pages through every user, or up to Limit', async () => {
		const ids = await createdUsers(5);
		const all = await node.run(user('getAll', { returnAll: true }), [{}], { store: store() });
		expect(all.items.map((item) => item.json.id)).toEqual(ids);
		const some = await node.run(
			user('getAll', { returnAll: false, limit: 2, options: { order: 'DESC' } }),
			[{}],
			{ store: store() },
		);
		expect(some.items.map((item) => item.json.id)).toEqual([ids[4], ids[3]]);
		const gets = node.apiRecords().filter((record) => record.method === 'GET');
		expect(gets.map((record) => record.query)).toEqual([
			'offset=0&limit=1000',
			'order=DESC&offset=0&limit=2',
		]);
	});

	test('Offboard sends DELETE; Upvest’s 202 has no body, the item names the user', async () => {
		const [id] = await createdUsers(1);
		const result = await node.run(user('offboard', { userId: byId(id) }), [{}], {
			store: store(),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ id, offboardRequested: true });
		const deletes = node.apiRecords().filter((record) => record.method === 'DELETE');
		expect(deletes.map((record) => [record.path, record.status])).toEqual([[`/users/${id}`, 202]]);
		expect(node.sim.state.users[0].status).toBe('OFFBOARDING');
	});

	test('a credential without users:admin: the 403 says which scope to add', async () => {
		const limited = node.newStore('ed25519', { scopes: 'accounts:admin' });
		const result = await node.run(createUser('byol'), [customer(20)], { store: limited });
		expect(result.error?.message).toBe('Upvest answered 403 Forbidden [item 0]');
		expect(result.error?.description).toContain('Add users:admin to the Scopes');
	});
});

describe('the user picker', () => {
	test('lists users newest first by status and date, never by name', async () => {
		const created = await node.run(createUser('byol'), [customer(30), customer(31)], {
			store: store(),
		});
		expect(created.error).toBeUndefined();
		const page = await node.searchList('searchUsers', store());
		expect(page.results.map((entry) => entry.value)).toEqual(
			created.items.map((item) => item.json.id).reverse(),
		);
		for (const entry of page.results) {
			expect(entry.name).toMatch(/^User · INACTIVE · created \d{4}-\d{2}-\d{2} · [0-9a-f]{8}…$/);
		}
		expect(JSON.stringify(page)).not.toContain(String(customer(30).lastName));
	});
});
