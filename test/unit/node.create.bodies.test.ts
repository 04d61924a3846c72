/**
 * What the two create operations send: for every variant exactly the documented JSON body (see
 * README.md, Operations), signed, with a derived idempotency key; for mixed items in one node, the
 * variant each item chose through expressions, in input order. Each output item is the resource
 * as Upvest answered it.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { bodyProblem } from '../support/create-contract';
import {
	ACCOUNT_GROUPS as AG,
	ACCOUNT_GROUP_FROM_JSON,
	BUSINESSES as B,
	BUSINESS_ROLE_TYPES,
	CUSTODY_TYPES,
	ROLE_FROM_JSON,
	USERS as U,
	USER_GROUP_TYPES,
	accountGroup,
	role,
} from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { expectAllSignaturesValid, expectSuccess, storedResource } from '../support/run-checks';

const node = useNodeSuite(32);

type Kind = 'accountGroups' | 'roles';
const PATHS: Record<Kind, string> = { accountGroups: '/account_groups', roles: '/roles' };

describe('request bodies: every variant sends exactly the documented JSON', () => {
	const cases: Array<[string, INodeParameters, string, Kind]> = [
		...USER_GROUP_TYPES.map((type): [string, INodeParameters, string, Kind] => [
			`account group, user, ${type}`,
			accountGroup('create', { ownerType: 'user', userId: U[0], accountGroupType: type }),
			`{"user_id":"${U[0]}","type":"${type}"}`,
			'accountGroups',
		]),
		[
			'account group, user, with securities account number',
			accountGroup('create', {
				ownerType: 'user',
				userId: U[1],
				accountGroupType: 'PERSONAL',
				additionalFields: { securitiesAccountNumber: '123456789' },
			}),
			`{"user_id":"${U[1]}","type":"PERSONAL","securities_account_number":"123456789"}`,
			'accountGroups',
		],
		[
			'account group, user, id in upper case with spaces (normalised)',
			accountGroup('create', {
				ownerType: 'user',
				userId: `  ${U[2].toUpperCase()} `,
				accountGroupType: 'ISA',
			}),
			`{"user_id":"${U[2]}","type":"ISA"}`,
			'accountGroups',
		],
		[
			'account group, user, empty securities account number is left out',
			accountGroup('create', {
				ownerType: 'user',
				userId: U[3],
				accountGroupType: 'CHILD',
				additionalFields: { securitiesAccountNumber: '' },
			}),
			`{"user_id":"${U[3]}","type":"CHILD"}`,
			'accountGroups',
		],
		[
			'account group, business',
			accountGroup('create', { ownerType: 'business', businessId: B[0] }),
			`{"business_id":"${B[0]}","type":"BUSINESS"}`,
			'accountGroups',
		],
		[
			'account group, business, with securities account number',
			accountGroup('create', {
				ownerType: 'business',
				businessId: B[1],
				additionalFields: { securitiesAccountNumber: '987654321' },
			}),
			`{"business_id":"${B[1]}","type":"BUSINESS","securities_account_number":"987654321"}`,
			'accountGroups',
		],
		[
			'role on an account group, GUARDIAN',
			role('create', {
				entityType: 'accountGroup',
				userId: U[0],
				entityId: AG[0],
				roleType: 'GUARDIAN',
			}),
			`{"user_id":"${U[0]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN"}`,
			'roles',
		],
		...CUSTODY_TYPES.map((custody): [string, INodeParameters, string, Kind] => [
			`role on an account group, GUARDIAN, ${custody}`,
			role('create', {
				entityType: 'accountGroup',
				userId: U[1],
				entityId: AG[1],
				roleType: 'GUARDIAN',
				additionalFields: { custodyType: custody },
			}),
			`{"user_id":"${U[1]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[1]}","role_type":"GUARDIAN","custody_type":"${custody}"}`,
			'roles',
		]),
		...BUSINESS_ROLE_TYPES.map((roleType): [string, INodeParameters, string, Kind] => [
			`role on a business, ${roleType}`,
			role('create', { entityType: 'business', userId: U[2], entityId: B[0], roleType }),
			`{"user_id":"${U[2]}","entity_type":"BUSINESS","entity_id":"${B[0]}","role_type":"${roleType}"}`,
			'roles',
		]),
	];

	test.each(cases)('%s', async (_name, parameters, expectedBody, kind) => {
		const result = await node.run(parameters, [{}]);
		expectSuccess(node, result, 1);
		const records = node.apiRecords();
		expect(records).toHaveLength(1);
		const [record] = records;
		expect(record.path).toBe(PATHS[kind]);
		expect(record.method).toBe('POST');
		expect(record.body).toBe(expectedBody);
		// The contract the fuzz checks against accepts every documented variant.
		expect(bodyProblem(PATHS[kind], record.body)).toBeUndefined();
		expect(record.headers['content-type']).toBe('application/json');
		expect(record.headers['content-length']).toBe(String(Buffer.byteLength(expectedBody)));
		// By default the key is derived from the request (a name-based, version 5 layout UUID).
		expect(record.idempotencyKey).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expectAllSignaturesValid(node.sim.requests);
		// The API's JSON as is: the output item is exactly what the simulator stored and answered.
		expect(node.sim.state[kind]).toHaveLength(1);
		expect(result.items[0].json).toEqual(storedResource(node, result.items[0], kind));
	});
});

describe('mixed input items in one node, variants chosen by expressions', () => {
	/** Runs one node over `items` one at a time, so the records are in input order. */
	async function runInOrder(parameters: INodeParameters, items: IDataObject[], kind: Kind) {
		const result = await node.run({ ...parameters, options: { concurrency: 1 } }, items);
		expectSuccess(node, result, items.length);
		expectAllSignaturesValid(node.sim.requests);
		expect(node.sim.state[kind]).toHaveLength(items.length);
		result.items.forEach((item) => expect(item.json).toEqual(storedResource(node, item, kind)));
		return { result, bodies: node.apiRecords().map((record) => record.body) };
	}

	test('account groups: users and businesses from one node, bodies per item, output per item in order', async () => {
		const items: IDataObject[] = [
			{ ownerType: 'user', userId: U[0], accountGroupType: 'PERSONAL' },
			{ ownerType: 'business', businessId: B[0] },
			{ ownerType: 'user', userId: U[1], accountGroupType: 'CHILD', san: '111222333' },
			{ ownerType: 'business', businessId: B[1], san: '444555666' },
			{ ownerType: 'user', userId: U[2], accountGroupType: 'FRENCH_PEA' },
			{ ownerType: 'user', userId: U[3], accountGroupType: 'LEGAL_ENTITY' },
		];
		const { result, bodies } = await runInOrder(ACCOUNT_GROUP_FROM_JSON, items, 'accountGroups');
		expect(bodies).toEqual([
			`{"user_id":"${U[0]}","type":"PERSONAL"}`,
			`{"business_id":"${B[0]}","type":"BUSINESS"}`,
			`{"user_id":"${U[1]}","type":"CHILD","securities_account_number":"111222333"}`,
			`{"business_id":"${B[1]}","type":"BUSINESS","securities_account_number":"444555666"}`,
			`{"user_id":"${U[2]}","type":"FRENCH_PEA"}`,
			`{"user_id":"${U[3]}","type":"LEGAL_ENTITY"}`,
		]);
		result.items.forEach((item, index) => {
			const input = items[index];
			if (input.ownerType === 'user') {
				expect(item.json).toMatchObject({ user_id: input.userId, type: input.accountGroupType });
			} else {
				expect(item.json).toMatchObject({ business_id: input.businessId, type: 'BUSINESS' });
			}
		});
	});

	test('roles: account-group and business roles from one node, bodies per item, output per item in order', async () => {
		const guardian = (user: string, group: string, custodyType?: string): IDataObject => ({
			entityType: 'accountGroup',
			userId: user,
			entityId: group,
			roleType: 'GUARDIAN',
			...(custodyType === undefined ? {} : { custodyType }),
		});
		const items: IDataObject[] = [
			guardian(U[0], AG[0], 'SOLE_CUSTODY'),
			{ entityType: 'business', userId: U[1], entityId: B[0], roleType: 'LEGAL_REPRESENTATIVE' },
			guardian(U[2], AG[1]),
			{
				entityType: 'business',
				userId: U[3],
				entityId: B[1],
				roleType: 'ULTIMATE_BENEFICIAL_OWNER',
			},
			guardian(U[1], AG[0], 'JOINT_CUSTODY'),
		];
		const expectedBodies = [
			`{"user_id":"${U[0]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN","custody_type":"SOLE_CUSTODY"}`,
			`{"user_id":"${U[1]}","entity_type":"BUSINESS","entity_id":"${B[0]}","role_type":"LEGAL_REPRESENTATIVE"}`,
			`{"user_id":"${U[2]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[1]}","role_type":"GUARDIAN"}`,
			`{"user_id":"${U[3]}","entity_type":"BUSINESS","entity_id":"${B[1]}","role_type":"ULTIMATE_BENEFICIAL_OWNER"}`,
			`{"user_id":"${U[1]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN","custody_type":"JOINT_CUSTODY"}`,
		];
		const { result, bodies } = await runInOrder(ROLE_FROM_JSON, items, 'roles');
		expect(bodies).toEqual(expectedBodies);
		result.items.forEach((item, index) => {
			expect(JSON.stringify(item.json)).toContain(expectedBodies[index].slice(1, -1));
		});
	});
});
