/**
 * Bad input never reaches Upvest: every invalid parameter (also from expressions) and every
 * unusable credential ends in a clear error that names the field, the item and the fix, with no
 * request sent. A seeded fast-check fuzz over the parameters checks that the node either sends a
 * body inside the spec or fails with a NodeOperationError naming a field. No secret appears in
 * anything a run produced.
 *
 * Every test gets its own API client registered in the simulator (same fixture keys, fresh client
 * id, secret and key id): the node caches tokens per client for the whole process, and
 * `sim.reset()` revokes them.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { writeArtifact } from '../../scripts/artifacts';
import { CredentialStore, runUpvestNode, type RunResult } from '../support/n8n-harness';
import { expectNoSecrets, findSecrets, type Secrets } from '../support/secrets';
import { credentialData, testClient, usePooledSimulator } from '../support/simulator';

/** Base64 text without PEM armour: what a user pastes when the header lines got lost. */
const NOT_A_PEM = 'MC4CAQAwBQYDK2VwBCIEI';

const suite = usePooledSimulator(120);

function credentialFor(key: 'ed25519' | 'ecdsa' = 'ed25519') {
	return {
		...credentialData(suite.sim, key),
		clientId: suite.client.clientId,
		clientSecret: suite.client.clientSecret,
		keyId: key === 'ed25519' ? suite.client.ed25519KeyId : suite.client.ecdsaKeyId,
	};
}
const newStore = (data: IDataObject = credentialFor()) =>
	suite.tokenLog.watch(new CredentialStore(data as never));

/** Keys generated in this file: they are secrets too. */
const extraKeys: string[] = [];
function secretsNow(extra: Partial<Secrets> = {}): Secrets {
	const secrets = suite.secrets();
	return {
		...secrets,
		privateKeyPems: [...secrets.privateKeyPems, ...extraKeys, ...(extra.privateKeyPems ?? [])],
		passphrases: [...secrets.passphrases, ...(extra.passphrases ?? [])],
	};
}
function expectNoLeak(result: RunResult, extra: Partial<Secrets> = {}) {
	expectNoSecrets({ run: result.run, items: result.items, error: result.error }, secretsNow(extra));
}

const apiRecords = () =>
	suite.sim.requests.filter(
		(record) => record.path === '/account_groups' || record.path === '/roles',
	);

async function run(
	parameters: INodeParameters,
	items: IDataObject[],
	options: { store?: CredentialStore; continueOnFail?: boolean } = {},
) {
	return await runUpvestNode({
		parameters,
		items,
		credentials: options.store ?? newStore(),
		continueOnFail: options.continueOnFail ?? false,
	});
}

const U = '413715f2-5401-4b97-8055-034a6b879f8c';
const U2 = '5a4f2c1e-8d3b-4e6a-9f7c-2b1d0e3a4c5f';
const B = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const AG = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';

/** Every field from the input, so each item can be valid or broken on its own. */
const ACCOUNT_GROUP_FROM_JSON: INodeParameters = {
	resource: 'accountGroup',
	operation: 'create',
	ownerType: '={{ $json.ownerType }}',
	userId: '={{ $json.userId }}',
	businessId: '={{ $json.businessId }}',
	accountGroupType: '={{ $json.accountGroupType }}',
	additionalFields: { securitiesAccountNumber: '={{ $json.san ?? "" }}' },
};
const ROLE_FROM_JSON: INodeParameters = {
	resource: 'role',
	operation: 'create',
	entityType: '={{ $json.entityType }}',
	userId: '={{ $json.userId }}',
	entityId: '={{ $json.entityId }}',
	roleType: '={{ $json.roleType }}',
	additionalFields: { custodyType: '={{ $json.custodyType ?? "" }}' },
};
const GOOD_USER_GROUP: IDataObject = { ownerType: 'user', userId: U, accountGroupType: 'PERSONAL' };
const GOOD_BUSINESS_GROUP: IDataObject = { ownerType: 'business', businessId: B };
const GOOD_GUARDIAN: IDataObject = {
	entityType: 'accountGroup',
	userId: U,
	entityId: AG,
	roleType: 'GUARDIAN',
};
const GOOD_BUSINESS_ROLE: IDataObject = {
	entityType: 'business',
	userId: U2,
	entityId: B,
	roleType: 'TRADER',
};

interface Row {
	name: string;
	parameters: INodeParameters;
	/** Three items; the broken one is at `index`. */
	items: IDataObject[];
	index: number;
	/** The field's display name, as the message must show it. */
	field: string;
	message: RegExp;
	fix: RegExp;
}

function groupRow(
	name: string,
	index: number,
	bad: IDataObject,
	field: string,
	message: RegExp,
	fix: RegExp,
	base = GOOD_USER_GROUP,
): Row {
	const items = [GOOD_USER_GROUP, GOOD_BUSINESS_GROUP, GOOD_USER_GROUP].map((item) => ({
		...item,
	}));
	items[index] = { ...base, ...bad };
	return { name, parameters: ACCOUNT_GROUP_FROM_JSON, items, index, field, message, fix };
}
function roleRow(
	name: string,
	index: number,
	bad: IDataObject,
	field: string,
	message: RegExp,
	fix: RegExp,
	base = GOOD_GUARDIAN,
): Row {
	const items = [GOOD_GUARDIAN, GOOD_BUSINESS_ROLE, GOOD_GUARDIAN].map((item) => ({ ...item }));
	items[index] = { ...base, ...bad };
	return { name, parameters: ROLE_FROM_JSON, items, index, field, message, fix };
}
function optionRow(
	name: string,
	options: IDataObject,
	field: string,
	message: RegExp,
	fix: RegExp,
): Row {
	return {
		name,
		parameters: { ...ACCOUNT_GROUP_FROM_JSON, options: options as INodeParameters },
		items: [GOOD_USER_GROUP, GOOD_BUSINESS_GROUP, GOOD_USER_GROUP],
		index: 0,
		field,
		message,
		fix,
	};
}

const UUID_FIX = /as Upvest returned it, e\.g\. [0-9a-f-]{36}/;
const rows: Row[] = [
	// Account group → Create
	groupRow(
		'user id is not a UUID',
		1,
		{ userId: 'abc-123' },
		'User ID',
		/must be a UUID, got "abc-123"/,
		UUID_FIX,
	),
	groupRow(
		'user id is a UUID with one character too many',
		2,
		{ userId: `${U}0` },
		'User ID',
		/must be a UUID/,
		UUID_FIX,
	),
	groupRow(
		'user id is a number from an expression',
		0,
		{ userId: 12345 },
		'User ID',
		/must be a UUID, got "12345"/,
		UUID_FIX,
	),
	groupRow(
		'user id is an object from an expression',
		1,
		{ userId: { id: U } },
		'User ID',
		/must be a UUID/,
		UUID_FIX,
	),
	groupRow(
		'user id is empty',
		2,
		{ userId: '' },
		'User ID',
		/is empty/,
		/Enter the ID of the Upvest user \(a UUID\)/,
	),
	groupRow(
		'user id is only spaces',
		0,
		{ userId: '   ' },
		'User ID',
		/is empty/,
		/Enter the ID of the Upvest user/,
	),
	groupRow(
		'user id is null',
		1,
		{ userId: null },
		'User ID',
		/is empty/,
		/Enter the ID of the Upvest user/,
	),
	groupRow(
		'user id is missing from the input',
		2,
		{ userId: undefined },
		'User ID',
		/is empty/,
		/Enter the ID of the Upvest user/,
	),
	groupRow(
		'business id is not a UUID',
		1,
		{ businessId: 'ACME GmbH' },
		'Business ID',
		/must be a UUID, got "ACME GmbH"/,
		/ID of the Upvest business/,
		GOOD_BUSINESS_GROUP,
	),
	groupRow(
		'business id is empty',
		0,
		{ businessId: '' },
		'Business ID',
		/is empty/,
		/Enter the ID of the Upvest business/,
		GOOD_BUSINESS_GROUP,
	),
	groupRow(
		'account group type unknown',
		2,
		{ accountGroupType: 'SAVINGS' },
		'Account Group Type',
		/"SAVINGS" is not allowed/,
		/Use one of: PERSONAL, LEGAL_ENTITY, FRENCH_PEA, ISA, CHILD/,
	),
	groupRow(
		'account group type BUSINESS for a user',
		1,
		{ accountGroupType: 'BUSINESS' },
		'Account Group Type',
		/"BUSINESS" is not allowed/,
		/Use one of: PERSONAL/,
	),
	groupRow(
		'account group type in lower case',
		0,
		{ accountGroupType: 'personal' },
		'Account Group Type',
		/"personal" is not allowed/,
		/Use one of: PERSONAL/,
	),
	groupRow(
		'account group type empty',
		2,
		{ accountGroupType: '' },
		'Account Group Type',
		/is empty/,
		/Use one of: PERSONAL/,
	),
	groupRow(
		'owner type "company"',
		1,
		{ ownerType: 'company' },
		'Owner Type',
		/"company" is not allowed/,
		/Use "user" or "business"/,
	),
	groupRow(
		'owner type empty',
		2,
		{ ownerType: '' },
		'Owner Type',
		/is empty/,
		/Use "user" or "business"/,
	),
	groupRow(
		'owner type in the API spelling',
		0,
		{ ownerType: 'BUSINESS' },
		'Owner Type',
		/"BUSINESS" is not allowed/,
		/Use "user" or "business"/,
	),
	groupRow(
		'securities account number too short',
		1,
		{ san: '12345' },
		'Securities Account Number',
		/must be nine digits, got "12345"/,
		/Enter exactly nine digits, or remove the field/,
	),
	groupRow(
		'securities account number too long',
		2,
		{ san: '1234567890' },
		'Securities Account Number',
		/must be nine digits/,
		/Enter exactly nine digits/,
	),
	groupRow(
		'securities account number with a letter',
		0,
		{ san: '12345678a' },
		'Securities Account Number',
		/must be nine digits/,
		/Enter exactly nine digits/,
	),
	groupRow(
		'securities account number with inner spaces (business)',
		1,
		{ san: '123 456 789' },
		'Securities Account Number',
		/must be nine digits/,
		/Enter exactly nine digits/,
		GOOD_BUSINESS_GROUP,
	),
	// Role → Create
	roleRow(
		'role user id not a UUID',
		1,
		{ userId: 'user-1' },
		'User ID',
		/must be a UUID, got "user-1"/,
		UUID_FIX,
		GOOD_BUSINESS_ROLE,
	),
	roleRow(
		'role user id empty',
		0,
		{ userId: '' },
		'User ID',
		/is empty/,
		/Enter the ID of the Upvest user/,
	),
	roleRow(
		'account group id not a UUID',
		2,
		{ entityId: 'group-7' },
		'Account Group ID',
		/must be a UUID, got "group-7"/,
		/ID of the account group/,
	),
	roleRow(
		'account group id empty',
		0,
		{ entityId: '' },
		'Account Group ID',
		/is empty/,
		/Enter the ID of the account group/,
	),
	roleRow(
		'business id (role) not a UUID',
		1,
		{ entityId: 'biz' },
		'Business ID',
		/must be a UUID/,
		/ID of the business/,
		GOOD_BUSINESS_ROLE,
	),
	roleRow(
		'business id (role) empty',
		2,
		{ entityId: '  ' },
		'Business ID',
		/is empty/,
		/Enter the ID of the business/,
		GOOD_BUSINESS_ROLE,
	),
	roleRow(
		'business role type TRADER on an account group',
		0,
		{ roleType: 'TRADER' },
		'Role Type',
		/"TRADER" is not allowed/,
		/must be GUARDIAN.*set Entity Type to Business/,
	),
	roleRow(
		'business role type LEGAL_REPRESENTATIVE on an account group',
		2,
		{ roleType: 'LEGAL_REPRESENTATIVE' },
		'Role Type',
		/"LEGAL_REPRESENTATIVE" is not allowed/,
		/must be GUARDIAN/,
	),
	roleRow(
		'GUARDIAN on a business',
		1,
		{ roleType: 'GUARDIAN' },
		'Role Type',
		/"GUARDIAN" is not allowed/,
		/GUARDIAN is a role on an account group/,
		GOOD_BUSINESS_ROLE,
	),
	roleRow(
		'unknown role type on a business',
		1,
		{ roleType: 'OWNER' },
		'Role Type',
		/"OWNER" is not allowed/,
		/must be one of LEGAL_REPRESENTATIVE, AUTHORISED_SIGNATORY/,
		GOOD_BUSINESS_ROLE,
	),
	roleRow('role type empty', 2, { roleType: '' }, 'Role Type', /is empty/, /must be GUARDIAN/),
	roleRow(
		'custody type unknown',
		0,
		{ custodyType: 'PARTIAL_CUSTODY' },
		'Custody Type',
		/"PARTIAL_CUSTODY" is not allowed/,
		/Use one of: SOLE_CUSTODY, JOINT_CUSTODY/,
	),
	roleRow(
		'custody type in lower case',
		2,
		{ custodyType: 'sole_custody' },
		'Custody Type',
		/"sole_custody" is not allowed/,
		/Use one of: SOLE_CUSTODY, JOINT_CUSTODY/,
	),
	roleRow(
		'entity type "user"',
		1,
		{ entityType: 'user' },
		'Entity Type',
		/"user" is not allowed/,
		/Use "accountGroup" or "business"/,
	),
	roleRow(
		'entity type in the API spelling',
		0,
		{ entityType: 'ACCOUNT_GROUP' },
		'Entity Type',
		/"ACCOUNT_GROUP" is not allowed/,
		/Use "accountGroup" or "business"/,
	),
	roleRow(
		'entity type empty',
		2,
		{ entityType: '' },
		'Entity Type',
		/is empty/,
		/Use "accountGroup" or "business"/,
	),
	// Options (read from the first item)
	optionRow(
		'concurrency 0',
		{ concurrency: 0 },
		'Concurrency',
		/must be a whole number from 1 to 32/,
		/Set Options → Concurrency/,
	),
	optionRow(
		'concurrency 33',
		{ concurrency: 33 },
		'Concurrency',
		/must be a whole number from 1 to 32/,
		/Set Options → Concurrency/,
	),
	optionRow(
		'concurrency 2.5',
		{ concurrency: 2.5 },
		'Concurrency',
		/must be a whole number/,
		/Set Options → Concurrency/,
	),
	optionRow(
		'max attempts 11',
		{ maxAttempts: 11 },
		'Max Attempts',
		/must be a whole number from 1 to 10/,
		/Set Options → Max Attempts/,
	),
	optionRow(
		'max attempts 0',
		{ maxAttempts: 0 },
		'Max Attempts',
		/must be a whole number from 1 to 10/,
		/Set Options → Max Attempts/,
	),
	optionRow(
		'max attempts -1',
		{ maxAttempts: -1 },
		'Max Attempts',
		/must be a whole number from 1 to 10/,
		/Set Options → Max Attempts/,
	),
];

describe('invalid parameters: a clear error and no request', () => {
	test.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const result = await run(row.parameters, row.items);
		expect(result.items).toEqual([]);
		const error = result.error;
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(row.field);
		expect(error?.message.startsWith(row.field)).toBe(true);
		expect(error?.message).toMatch(row.message);
		expect(error?.message).toContain(`[item ${row.index}]`);
		expect(error?.message.match(/\[item \d+\]/g)).toEqual([`[item ${row.index}]`]);
		expect(error?.description).toMatch(row.fix);
		expect(error?.context?.itemIndex).toBe(row.index);
		// Nothing went out: not even the token request, since validation comes first.
		expect(apiRecords()).toHaveLength(0);
		expect(suite.sim.requests).toHaveLength(0);
		expect(suite.sim.state.accountGroups).toHaveLength(0);
		expect(suite.sim.state.roles).toHaveLength(0);
		expectNoLeak(result);
	});

	test('the same field given directly (not through an expression) is checked the same way', async () => {
		const result = await run(
			{
				resource: 'accountGroup',
				operation: 'create',
				ownerType: 'user',
				userId: 'not-a-uuid',
				accountGroupType: 'PERSONAL',
			},
			[{}, {}],
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('User ID must be a UUID, got "not-a-uuid" [item 0]');
		expect(result.error?.description).toMatch(UUID_FIX);
		expect(suite.sim.requests).toHaveLength(0);
		expectNoLeak(result);
	});

	test('a long invalid value is shortened in the message', async () => {
		const long = 'x'.repeat(500);
		const result = await run({ ...ACCOUNT_GROUP_FROM_JSON }, [
			{ ...GOOD_USER_GROUP, userId: long },
		]);
		expect(result.error?.message).toContain('User ID must be a UUID, got "xxx');
		expect(result.error?.message.length).toBeLessThan(150);
		expect(suite.sim.requests).toHaveLength(0);
	});
});

describe('one invalid item among valid ones', () => {
	const items = [
		GOOD_USER_GROUP,
		GOOD_BUSINESS_GROUP,
		{ ...GOOD_USER_GROUP, userId: U2 },
		{ ...GOOD_USER_GROUP, userId: 'nope' },
		{ ...GOOD_USER_GROUP, accountGroupType: 'ISA' },
	];

	test('without Continue On Fail the run stops before ANY request goes out', async () => {
		const result = await run(ACCOUNT_GROUP_FROM_JSON, items);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('User ID must be a UUID, got "nope" [item 3]');
		expect(result.items).toEqual([]);
		expect(suite.sim.requests).toHaveLength(0);
		expect(suite.sim.state.accountGroups).toHaveLength(0);
		expectNoLeak(result);
	});

	test('with Continue On Fail the valid items are created and the invalid ones become error items', async () => {
		const mixed = [...items];
		mixed[1] = { ...GOOD_BUSINESS_GROUP, san: '42' };
		const result = await run(ACCOUNT_GROUP_FROM_JSON, mixed, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		result.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(result.items[1].json).toEqual({
			error: 'Securities Account Number must be nine digits, got "42" [item 1]',
			description: 'Enter exactly nine digits, or remove the field to let Upvest assign one.',
		});
		expect(result.items[3].json).toEqual({
			error: 'User ID must be a UUID, got "nope" [item 3]',
			description: expect.stringMatching(UUID_FIX),
		});
		for (const index of [0, 2, 4]) {
			expect(result.items[index].json.id).toEqual(expect.any(String));
			expect(result.items[index].json.user_id).toBe(mixed[index].userId);
		}
		expect(apiRecords()).toHaveLength(3);
		expect(apiRecords().every((record) => record.signature.valid)).toBe(true);
		expect(suite.sim.state.accountGroups).toHaveLength(3);
		expectNoLeak(result);
	});
});

describe('credential problems: a message naming the credential field, no request', () => {
	const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	const p256Sec1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
		type: 'sec1',
		format: 'pem',
	}) as string;
	const ed448 = generateKeyPairSync('ed448').privateKey.export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	extraKeys.push(rsa, p256, p256Sec1, ed448);
	const edPem = testClient.ed25519.privateKeyPem;
	const corrupted = edPem.replace(/\n[A-Za-z0-9+/]{8}/, '\nAAAAAAAA');
	const truncated = edPem
		.split('\n')
		.filter((line, index) => index !== 1)
		.join('\n');

	const cases: Array<[string, () => IDataObject, RegExp, string[]]> = [
		[
			'custom base URL ftp://x',
			() => ({ ...credentialFor(), baseUrl: 'ftp://x' }),
			/^Base URL "ftp:\/\/x" is not an http\(s\) URL/,
			[],
		],
		[
			'custom base URL that is not a URL',
			() => ({ ...credentialFor(), baseUrl: 'upvest sandbox' }),
			/^Base URL .* is not an http\(s\) URL/,
			[],
		],
		['empty key id', () => ({ ...credentialFor(), keyId: '' }), /^Key ID is empty/, []],
		[
			'client id not a UUID',
			() => ({ ...credentialFor(), clientId: 'my-client' }),
			/^Client ID must be the UUID/,
			[],
		],
		[
			'empty client secret',
			() => ({ ...credentialFor(), clientSecret: '' }),
			/^Client Secret is empty/,
			[],
		],
		[
			'empty private key',
			() => ({ ...credentialFor(), privateKey: '' }),
			/^Private Key is empty/,
			[],
		],
		[
			'malformed PEM (not a PEM at all)',
			() => ({ ...credentialFor(), privateKey: NOT_A_PEM }),
			/Private Key is not a PEM key/,
			[],
		],
		[
			'malformed PEM (corrupted base64)',
			() => ({ ...credentialFor(), privateKey: corrupted }),
			/Private Key could not be read/,
			[],
		],
		[
			'malformed PEM (a line missing)',
			() => ({ ...credentialFor(), privateKey: truncated }),
			/Private Key could not be read/,
			[],
		],
		[
			'a public key instead of the private key',
			() => ({ ...credentialFor(), privateKey: testClient.ed25519.publicKeyPem }),
			/Private Key field holds a public key/,
			[],
		],
		[
			'wrong passphrase',
			() => ({ ...credentialFor('ecdsa'), passphrase: 'not-the-passphrase' }),
			/the Passphrase is wrong/,
			['not-the-passphrase'],
		],
		[
			'encrypted key without passphrase',
			() => ({ ...credentialFor('ecdsa'), passphrase: '' }),
			/enter its passphrase in the Passphrase field/,
			[],
		],
		[
			'RSA key',
			() => ({ ...credentialFor(), privateKey: rsa }),
			/Private Key is an RSA key, but Upvest accepts only ECDSA P-521 or Ed25519/,
			[],
		],
		[
			'P-256 key (PKCS#8)',
			() => ({ ...credentialFor(), privateKey: p256 }),
			/Private Key is an ECDSA key on curve prime256v1, but Upvest accepts ECDSA only on P-521/,
			[],
		],
		[
			'P-256 key (SEC1)',
			() => ({ ...credentialFor(), privateKey: p256Sec1 }),
			/Private Key is an ECDSA key on curve prime256v1/,
			[],
		],
		[
			'Ed448 key',
			() => ({ ...credentialFor(), privateKey: ed448 }),
			/Private Key is an ED448 key/,
			[],
		],
	];

	test.each(cases)('%s', async (_name, data, message, typedSecrets) => {
		const store = newStore(data());
		const result = await run(
			{
				resource: 'accountGroup',
				operation: 'create',
				ownerType: 'user',
				userId: U,
				accountGroupType: 'PERSONAL',
			},
			[{}, {}],
			{
				store,
			},
		);
		expect(result.items).toEqual([]);
		expect(result.error).toBeDefined();
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(
			/Base URL|Client ID|Client Secret|Key ID|Private Key|Passphrase/,
		);
		expect(suite.sim.requests).toHaveLength(0);
		expect(suite.sim.state.accountGroups).toHaveLength(0);
		expectNoLeak(result, { passphrases: typedSecrets });
	});
});

describe('the leak check itself', () => {
	test('finds secrets hidden in error fields, causes, wrapped PEMs and URL encoding', () => {
		const secrets: Secrets = {
			clientSecret: 'sec ret/with+chars',
			privateKeyPems: [testClient.ed25519.privateKeyPem],
			passphrases: ['hunter2-passphrase'],
			accessTokens: ['ory_at_abcdefghijklmnopqrstuvwxyz'],
		};
		const inDescription = Object.assign(new Error('boom'), {
			description: 'token ory_at_abcdefghijklmnopqrstuvwxyz',
		});
		expect(findSecrets(inDescription, secrets)).toEqual(['access token #0']);
		const inCause = new Error('outer', { cause: new Error('inner hunter2-passphrase') });
		expect(findSecrets(inCause, secrets)).toEqual(['passphrase #0']);
		const encoded = { body: `client_secret=${encodeURIComponent('sec ret/with+chars')}` };
		expect(findSecrets(encoded, secrets)).toEqual(['client secret (url-encoded)']);
		// 40 characters of the key body, split over two PEM lines and JSON-escaped.
		const body = testClient.ed25519.privateKeyPem.split('\n')[1];
		const slice = `${body.slice(0, 20)}\n${body.slice(20, 40)}`;
		expect(findSecrets({ context: { data: JSON.stringify({ key: slice }) } }, secrets)).toEqual([
			'private key #0',
		]);
		const nonEnumerable = new Error('x');
		Object.defineProperty(nonEnumerable, 'context', {
			value: { leaked: 'hunter2-passphrase' },
			enumerable: false,
		});
		expect(() => expectNoSecrets(nonEnumerable, secrets)).toThrow(/Secret leak: passphrase #0/);
		expect(() => expectNoSecrets({ fine: 'nothing here' }, secrets)).not.toThrow();
	});
});

// ---------------------------------------------------------------------------------------------
// Fuzz: random parameter values through expressions
// ---------------------------------------------------------------------------------------------

const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_GROUP_TYPES = ['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'];
const BUSINESS_ROLE_TYPES = [
	'LEGAL_REPRESENTATIVE',
	'AUTHORISED_SIGNATORY',
	'ULTIMATE_BENEFICIAL_OWNER',
	'CONTRACTING_EXECUTIVE',
	'TRADER',
];
const CUSTODY_TYPES = ['SOLE_CUSTODY', 'JOINT_CUSTODY'];
const FIELD_LABELS =
	/^(Owner Type|User ID|Business ID|Account Group Type|Securities Account Number|Entity Type|Account Group ID|Role Type|Custody Type|Concurrency|Max Attempts) .* \[item (\d+)\]$/;

/** The spec of the two bodies (upvest-api.md and the issue), written independently of the node. */
function bodyProblem(path: string, text: string): string | undefined {
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(text);
	} catch {
		return 'not JSON';
	}
	const keys = Object.keys(body);
	const same = (expected: string[]) =>
		keys.length === expected.length && keys.every((key, index) => key === expected[index]);
	const uuid = (name: string) =>
		typeof body[name] === 'string' && UUID_LOWER.test(body[name] as string)
			? undefined
			: `${name} is not a lower-case UUID`;
	if (path === '/account_groups') {
		const san = 'securities_account_number' in body;
		if (
			san &&
			!(
				typeof body.securities_account_number === 'string' &&
				/^[0-9]{9}$/.test(body.securities_account_number)
			)
		)
			return 'bad securities_account_number';
		if ('user_id' in body) {
			if (!same(['user_id', 'type', ...(san ? ['securities_account_number'] : [])]))
				return `fields ${keys.join(',')}`;
			return (
				uuid('user_id') ??
				(USER_GROUP_TYPES.includes(body.type as string) ? undefined : `type ${String(body.type)}`)
			);
		}
		if (!same(['business_id', 'type', ...(san ? ['securities_account_number'] : [])]))
			return `fields ${keys.join(',')}`;
		return (
			uuid('business_id') ?? (body.type === 'BUSINESS' ? undefined : `type ${String(body.type)}`)
		);
	}
	if (path === '/roles') {
		const custody = 'custody_type' in body;
		if (
			!same([
				'user_id',
				'entity_type',
				'entity_id',
				'role_type',
				...(custody ? ['custody_type'] : []),
			])
		)
			return `fields ${keys.join(',')}`;
		const problem = uuid('user_id') ?? uuid('entity_id');
		if (problem) return problem;
		if (body.entity_type === 'ACCOUNT_GROUP') {
			if (body.role_type !== 'GUARDIAN')
				return `role_type ${String(body.role_type)} on ACCOUNT_GROUP`;
			if (custody && !CUSTODY_TYPES.includes(body.custody_type as string))
				return 'bad custody_type';
			return undefined;
		}
		if (body.entity_type === 'BUSINESS') {
			if (custody) return 'custody_type on BUSINESS';
			return BUSINESS_ROLE_TYPES.includes(body.role_type as string)
				? undefined
				: `role_type ${String(body.role_type)} on BUSINESS`;
		}
		return `entity_type ${String(body.entity_type)}`;
	}
	return `unexpected path ${path}`;
}

/** Values that are valid, nearly valid, or plain garbage of any JSON type. */
const uuidLike = fc.oneof(
	{ weight: 14, arbitrary: fc.uuid() },
	{ weight: 2, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => `  ${id}\t`) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => id.slice(0, 35)) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => id.replace(/-/g, '')) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => `${id.slice(0, 10)}g${id.slice(11)}`) },
);
const garbage = fc.oneof(
	fc.string({ maxLength: 30 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.constantFrom(
		'',
		' ',
		null,
		'null',
		'undefined',
		'{{ $json }}',
		'={{ 1 }}',
		'"; DROP TABLE',
		'\u0000',
		'💥',
	),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
	fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);
const maybe = <T>(good: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: garbage });
const enumLike = (values: string[]) =>
	maybe(
		fc.oneof(
			{ weight: 10, arbitrary: fc.constantFrom(...values) },
			{
				weight: 1,
				arbitrary: fc.constantFrom(...values).map((value) => ` ${value.toLowerCase()} `),
			},
		),
	);
const sanLike = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(undefined) },
	{ weight: 3, arbitrary: fc.stringMatching(/^[0-9]{9}$/) },
	{ weight: 1, arbitrary: fc.stringMatching(/^[0-9]{8}$|^[0-9]{10}$/) },
	{ weight: 1, arbitrary: fc.integer({ min: 100000000, max: 999999999 }) },
	{ weight: 1, arbitrary: garbage },
);

const groupItem = fc.record({
	ownerType: enumLike(['user', 'business']),
	userId: maybe(uuidLike),
	businessId: maybe(uuidLike),
	accountGroupType: enumLike([...USER_GROUP_TYPES, 'BUSINESS']),
	san: sanLike,
});
const custodyLike = fc.oneof(
	{ weight: 3, arbitrary: fc.constant(undefined) },
	{ weight: 2, arbitrary: enumLike(CUSTODY_TYPES) },
);
const roleItem = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			entityType: enumLike(['accountGroup']),
			userId: maybe(uuidLike),
			entityId: maybe(uuidLike),
			roleType: enumLike(['GUARDIAN']),
			custodyType: custodyLike,
		}),
	},
	{
		weight: 4,
		arbitrary: fc.record({
			entityType: enumLike(['business']),
			userId: maybe(uuidLike),
			entityId: maybe(uuidLike),
			roleType: enumLike(BUSINESS_ROLE_TYPES),
			custodyType: custodyLike,
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			entityType: enumLike(['accountGroup', 'business']),
			userId: maybe(uuidLike),
			entityId: maybe(uuidLike),
			roleType: enumLike(['GUARDIAN', ...BUSINESS_ROLE_TYPES, 'CHILD']),
			custodyType: custodyLike,
		}),
	},
);
const batchOptions = fc.record(
	{
		concurrency: fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }) },
			{ weight: 1, arbitrary: fc.integer({ min: -2, max: 40 }) },
			{ weight: 1, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
		),
		maxAttempts: fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 1, max: 10 }) },
			{ weight: 1, arbitrary: fc.integer({ min: -1, max: 12 }) },
		),
	},
	{ requiredKeys: [] },
);

const namedFields = new Map<string, number>();

const clean = (value: unknown) => String(value).trim();

/** A successful item's output is the resource built from exactly this item's values. */
function expectReflectsInput(path: string, input: IDataObject, output: IDataObject) {
	if (path === '/account_groups') {
		if (clean(input.ownerType) === 'user') {
			expect(output).toMatchObject({
				user_id: clean(input.userId).toLowerCase(),
				type: clean(input.accountGroupType),
			});
			expect(output.business_id).toBeUndefined();
		} else {
			expect(output).toMatchObject({
				business_id: clean(input.businessId).toLowerCase(),
				type: 'BUSINESS',
			});
			expect(output.user_id).toBeUndefined();
		}
		const san = input.san === undefined || input.san === null ? '' : clean(input.san);
		if (san !== '') expect(output.securities_account_number).toBe(san);
		return;
	}
	const onGroup = clean(input.entityType) === 'accountGroup';
	expect(output).toMatchObject({
		user_id: clean(input.userId).toLowerCase(),
		entity_type: onGroup ? 'ACCOUNT_GROUP' : 'BUSINESS',
		entity_id: clean(input.entityId).toLowerCase(),
		role_type: clean(input.roleType),
	});
	if (onGroup && input.custodyType !== undefined && input.custodyType !== '')
		expect(output.custody_type).toBe(clean(input.custodyType));
	else expect(output.custody_type).toBeUndefined();
}

function expectSpecOrFieldError(
	result: RunResult,
	path: string,
	inputs: IDataObject[],
	seqBefore: number,
) {
	const inputCount = inputs.length;
	const sent = suite.sim.requests.slice(seqBefore).filter((record) => !record.tokenRequest);
	if (result.error === undefined) {
		expect(result.items).toHaveLength(inputCount);
		expect(sent).toHaveLength(inputCount);
		for (const record of sent) {
			expect({ body: record.body, problem: bodyProblem(path, record.body) }).toEqual({
				body: record.body,
				problem: undefined,
			});
			expect(record.status).toBe(200);
			expect(record.signature.valid).toBe(true);
		}
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(typeof item.json.id).toBe('string');
			expectReflectsInput(path, inputs[index], item.json);
		});
	} else {
		expect({ name: result.error.name, message: result.error.message }).toEqual({
			name: 'NodeOperationError',
			message: expect.stringMatching(FIELD_LABELS),
		});
		const [, field, itemIndex] = FIELD_LABELS.exec(result.error.message) ?? [];
		namedFields.set(field, (namedFields.get(field) ?? 0) + 1);
		const index = Number(itemIndex);
		expect(index).toBeLessThan(inputCount);
		expect(typeof result.error.description).toBe('string');
		expect(String(result.error.description).length).toBeGreaterThan(10);
		expect(sent).toHaveLength(0);
	}
	expectNoLeak(result);
}

/** What the fuzz runs covered, for people to read in test-artifacts/unit/fuzz.json. */
const fuzzFigures: Record<string, unknown> = {};

describe('fuzz (fast-check, fixed seed)', () => {
	afterAll(() => {
		fuzzFigures.fieldsNamedInErrors = Object.fromEntries(namedFields);
		writeArtifact('unit/fuzz.json', fuzzFigures);
	});

	test('account groups: a spec body or a field error, never a crash', async () => {
		const store = newStore();
		let successes = 0;
		let failures = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(groupItem, { minLength: 1, maxLength: 3 }),
				batchOptions,
				async (items, options) => {
					const seqBefore = suite.sim.requests.length;
					const result = await run(
						{ ...ACCOUNT_GROUP_FROM_JSON, options: options as INodeParameters },
						items as IDataObject[],
						{ store },
					);
					expectSpecOrFieldError(result, '/account_groups', items as IDataObject[], seqBefore);
					if (result.error === undefined) successes++;
					else failures++;
				},
			),
			{ numRuns: 50, seed: 20240611 },
		);
		// The generators hit both outcomes, or the property proves little.
		fuzzFigures.accountGroups = { sentSpecBodies: successes, stoppedWithFieldError: failures };
		expect(successes).toBeGreaterThanOrEqual(5);
		expect(failures).toBeGreaterThanOrEqual(5);
	});

	test('roles: a spec body or a field error, never a crash', async () => {
		const store = newStore();
		let successes = 0;
		let failures = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(roleItem, { minLength: 1, maxLength: 3 }),
				batchOptions,
				async (items, options) => {
					const seqBefore = suite.sim.requests.length;
					const result = await run(
						{ ...ROLE_FROM_JSON, options: options as INodeParameters },
						items as IDataObject[],
						{ store },
					);
					expectSpecOrFieldError(result, '/roles', items as IDataObject[], seqBefore);
					if (result.error === undefined) successes++;
					else failures++;
				},
			),
			{ numRuns: 50, seed: 20240612 },
		);
		fuzzFigures.roles = { sentSpecBodies: successes, stoppedWithFieldError: failures };
		expect(successes).toBeGreaterThanOrEqual(5);
		expect(failures).toBeGreaterThanOrEqual(5);
	});
});

describe('run-level problems and odd idempotency keys', () => {
	// Errors raised before the item loop (the credential, Options) concern every item: with Continue
	// On Fail each input item becomes an error item, so no later node mistakes them for successes.
	test.each([
		[
			'a custom base URL ftp://x',
			{ baseUrl: 'ftp://x' },
			{},
			/^Base URL "ftp:\/\/x" is not an http\(s\) URL/,
		],
		['an empty key id', { keyId: '' }, {}, /^Key ID is empty/],
		[
			'Concurrency 0',
			{},
			{ concurrency: 0 },
			/^Concurrency must be a whole number from 1 to 32 \[item 0\]$/,
		],
	])(
		'with Continue On Fail, %s makes every item an error item and sends nothing',
		async (_name, change, options, message) => {
			const store = newStore({ ...credentialFor(), ...change });
			const items = [GOOD_USER_GROUP, GOOD_BUSINESS_GROUP];
			const result = await run({ ...ACCOUNT_GROUP_FROM_JSON, options }, items, {
				store,
				continueOnFail: true,
			});
			expect(suite.sim.requests).toHaveLength(0);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(2);
			result.items.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(String(item.json.error)).toMatch(message);
				expect(String(item.json.description)).not.toBe('');
			});
			expectNoLeak(result);
		},
	);

	test('an idempotency key expression that gives an object is refused before anything is sent', async () => {
		const items = [
			{ ...GOOD_USER_GROUP, meta: { customer: 1 } },
			{ ...GOOD_USER_GROUP, meta: { customer: 2 } },
		];
		const result = await run(
			{
				...ACCOUNT_GROUP_FROM_JSON,
				options: { idempotencyKey: '={{ $json.meta }}', concurrency: 1 },
			},
			items,
		);
		expect(apiRecords()).toHaveLength(0);
		expect(result.error?.message).toBe(
			'Idempotency Key must be text or a number, got an object [item 0]',
		);
		expect(result.error?.description).toMatch(/one value per item/);
		expect(suite.sim.state.accountGroups).toHaveLength(0);
		expectNoLeak(result);
	});
});
