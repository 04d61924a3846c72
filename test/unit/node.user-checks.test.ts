/**
 * User Check → Create (KYC, proof of residency, instrument fit), Get and Get Many against the
 * simulator, and why a re-run never submits a check twice although Upvest takes no idempotency
 * key for checks: the node looks for the check first, and again before a resend.
 */
import type { IDataObject } from 'n8n-workflow';

import { useNodeSuite } from '../support/node-suite';
import {
	ONBOARDING_SCOPES,
	createCheck,
	createUser,
	customer,
} from '../support/onboarding-builders';

const node = useNodeSuite(32);
const store = () => node.newStore('ed25519', { scopes: ONBOARDING_SCOPES });

/** A user created through the node, and the input of a check on them. */
async function userWithInput(n = 0): Promise<IDataObject> {
	const created = await node.run(createUser('byol'), [customer(n)], { store: store() });
	expect(created.error).toBeUndefined();
	return { ...customer(n), userId: created.items[0].json.id };
}

const checkPosts = () =>
	node.apiRecords().filter((record) => record.method === 'POST' && record.path.endsWith('/checks'));
const bodiesSent = () => checkPosts().map((record) => JSON.parse(record.body) as IDataObject);

describe('User Check → Create, each check type', () => {
	test('KYC: the body Upvest takes, no idempotency key, the check as submitted in the output', async () => {
		const input = await userWithInput(0);
		const result = await node.run(createCheck('KYC'), [input], { store: store() });
		expect(result.error).toBeUndefined();
		expect(bodiesSent()).toEqual([
			{
				type: 'KYC',
				check_confirmed_at: '2026-11-30T14:15:00.000Z',
				provider: 'IDnow',
				method: 'VIDEO_ID',
				document_type: 'PASSPORT',
				data_download_link: input.documentLink,
				document_expiration_date: '2031-05-17',
				nationality: 'DE',
			},
		]);
		expect(checkPosts()[0].idempotencyKey).toBeUndefined();
		expect(checkPosts()[0].status).toBe(202);
		expect(result.items[0].json).toMatchObject({
			id: expect.any(String),
			user_id: input.userId,
			type: 'KYC',
			alreadyExisted: false,
		});
		// The lookup came first.
		const calls = node.apiRecords().slice(-2);
		expect(calls.map((record) => [record.method, record.path, record.query])).toEqual([
			['GET', `/users/${String(input.userId)}/checks`, 'list_history=true&type=KYC'],
			['POST', `/users/${String(input.userId)}/checks`, null],
		]);
	});

	test('proof of residency: document, issuance date, link and the confirmed address', async () => {
		const input = await userWithInput(1);
		const result = await node.run(createCheck('POR'), [input], { store: store() });
		expect(result.error).toBeUndefined();
		expect(bodiesSent()).toEqual([
			{
				type: 'POR',
				check_confirmed_at: '2026-11-30T14:15:00.000Z',
				document_type: 'UTILITY_BILL',
				issuance_date: '2026-10-01',
				data_download_link: input.documentLink,
				confirmed_address: {
					address_line1: input.street,
					postcode: input.postcode,
					city: input.city,
					country: 'DE',
				},
			},
		]);
	});

	test('instrument fit: only the suitability', async () => {
		const input = await userWithInput(2);
		const result = await node.run(createCheck('INSTRUMENT_FIT', { suitability: false }), [input], {
			store: store(),
		});
		expect(result.error).toBeUndefined();
		expect(bodiesSent()).toEqual([
			{
				type: 'INSTRUMENT_FIT',
				check_confirmed_at: '2026-11-30T14:15:00.000Z',
				instrument_suitability: { suitability: false },
			},
		]);
	});

	test('a driving licence needs no expiry date here but a 2+2 proof needs neither; KYC extras', async () => {
		const input = await userWithInput(3);
		const result = await node.run(
			createCheck('KYC', {
				kycDocumentType: 'TWO_PLUS_TWO_VERIFICATION_PROOF',
				method: 'TWO_PLUS_TWO_VERIFICATION',
				documentExpirationDate: '',
				documentCountry: '',
				additionalFields: { kycUpdate: true },
			}),
			[input],
			{ store: store() },
		);
		expect(result.error).toBeUndefined();
		expect(bodiesSent()[0]).toEqual({
			type: 'KYC',
			check_confirmed_at: '2026-11-30T14:15:00.000Z',
			provider: 'IDnow',
			method: 'TWO_PLUS_TWO_VERIFICATION',
			document_type: 'TWO_PLUS_TWO_VERIFICATION_PROOF',
			data_download_link: input.documentLink,
			kyc_update: true,
		});
	});
});

describe('a check is never submitted twice', () => {
	test('re-running the same input finds the check and submits nothing', async () => {
		const input = await userWithInput(4);
		const first = await node.run(createCheck('KYC'), [input], { store: store() });
		const again = await node.run(createCheck('KYC'), [input], { store: store() });
		expect(again.error).toBeUndefined();
		expect(checkPosts()).toHaveLength(1);
		expect(again.items[0].json).toMatchObject({
			id: first.items[0].json.id,
			type: 'KYC',
			status: 'IN_PROGRESS',
			alreadyExisted: true,
		});
		expect(node.sim.state.userChecks).toHaveLength(1);
	});

	test('a new confirmation time is a new check; another type is another check', async () => {
		const input = await userWithInput(5);
		await node.run(createCheck('KYC'), [input], { store: store() });
		await node.run(createCheck('KYC'), [{ ...input, confirmedAt: '2026-12-01T08:00:00Z' }], {
			store: store(),
		});
		await node.run(createCheck('INSTRUMENT_FIT'), [input], { store: store() });
		expect(checkPosts()).toHaveLength(3);
	});

	test('the same check on two items of one run goes out once; both items show it', async () => {
		const input = await userWithInput(6);
		const result = await node.run(createCheck('KYC'), [input, input, input], { store: store() });
		expect(result.error).toBeUndefined();
		expect(checkPosts()).toHaveLength(1);
		const ids = result.items.map((item) => item.json.id);
		expect(new Set(ids).size).toBe(1);
		expect(result.items.map((item) => item.json.alreadyExisted)).toEqual([false, true, true]);
	});

	test('a connection dropped after Upvest took the check: the resend finds it instead', async () => {
		const input = await userWithInput(7);
		node.sim.setFaults([
			{ method: 'POST', pathPrefix: '/users/', kind: 'drop-after-create', count: 1 },
		]);
		const result = await node.run(createCheck('KYC'), [input], { store: store() });
		expect(result.error).toBeUndefined();
		expect(node.sim.state.userChecks).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ alreadyExisted: true, type: 'KYC' });
		const methods = node
			.apiRecords()
			.filter((record) => record.path.endsWith('/checks'))
			.map((record) => record.method);
		expect(methods).toEqual(['GET', 'POST', 'GET']);
	});

	test('a half-failed run re-run as it was submits only what is missing', async () => {
		const inputs = await Promise.all([8, 9, 10].map(async (n) => await userWithInput(n)));
		// The third item's user does not exist at first: that item fails with 404.
		const broken = [
			...inputs.slice(0, 2),
			{ ...inputs[2], userId: '00000000-0000-4000-8000-0000000000ff' },
		];
		const first = await node.run(createCheck('KYC'), broken, {
			store: store(),
			continueOnFail: true,
		});
		expect(first.items[2].json.error).toBe('Upvest answered 404 Not Found [item 2]');
		const rerun = await node.run(createCheck('KYC'), inputs, { store: store() });
		expect(rerun.error).toBeUndefined();
		expect(rerun.items.map((item) => item.json.alreadyExisted)).toEqual([true, true, false]);
		expect(node.sim.state.userChecks).toHaveLength(3);
	});
});

describe('User Check → Get, Get Many', () => {
	test('Get one check; Get Many lists the latest per type, or all with earlier ones, cut to Limit', async () => {
		const input = await userWithInput(11);
		const kyc = await node.run(createCheck('KYC'), [input], { store: store() });
		await node.run(createCheck('KYC'), [{ ...input, confirmedAt: '2026-12-01T08:00:00Z' }], {
			store: store(),
		});
		await node.run(createCheck('INSTRUMENT_FIT'), [input], { store: store() });
		const userId = { __rl: true, mode: 'id', value: String(input.userId) };

		const got = await node.run(
			{ resource: 'userCheck', operation: 'get', userId, checkId: String(kyc.items[0].json.id) },
			[{}],
			{ store: store() },
		);
		expect(got.items[0].json).toMatchObject({ id: kyc.items[0].json.id, type: 'KYC' });

		const latest = await node.run(
			{ resource: 'userCheck', operation: 'getAll', userId, returnAll: true },
			[{}],
			{ store: store() },
		);
		expect(latest.items.map((item) => item.json.type).sort()).toEqual(['INSTRUMENT_FIT', 'KYC']);
		const everything = await node.run(
			{
				resource: 'userCheck',
				operation: 'getAll',
				userId,
				returnAll: false,
				limit: 2,
				filters: { listHistory: true, type: 'KYC' },
			},
			[{}],
			{ store: store() },
		);
		expect(everything.items).toHaveLength(2);
		expect(everything.items.every((item) => item.json.type === 'KYC')).toBe(true);
		const lists = node
			.apiRecords()
			.filter((record) => record.method === 'GET')
			.slice(-2);
		expect(lists.map((record) => record.query)).toEqual([null, 'type=KYC&list_history=true']);
	});
});
