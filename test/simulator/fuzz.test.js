'use strict';

/**
 * Seeded property tests: malformed signature headers and request bodies
 * produce error results, never exceptions (and never a 500 over HTTP).
 */

const crypto = require('node:crypto');
const fc = require('fast-check');
const {
	parseSignatureInput,
	parseDictionary,
	verifyRequest,
	buildSignatureBase,
} = require('../../simulator/verify');
const { validateAccountGroupBody, validateRoleBody } = require('../../simulator/validation');
const { startSimulator } = require('../../simulator/server');
const { testClient } = require('../../simulator/fixtures');
const { makeClient } = require('./helpers');

const SEED = 20240611;
const run = (property, numRuns = 2000) => fc.assert(property, { seed: SEED, numRuns });

// Fragments of the structured-field grammar, so generated input gets deep into the parser.
const sfPiece = fc.constantFrom(
	'sig1',
	'sig1=',
	'=',
	'(',
	')',
	' ',
	'\t',
	',',
	';',
	'"',
	'\\',
	':',
	'?1',
	'?0',
	'-',
	'.',
	'*',
	'"@method"',
	'"@path"',
	'"@query"',
	'"accept"',
	'keyid=',
	'"k"',
	'created=',
	'expires=',
	'nonce=',
	'alg=',
	'1700000000',
	'12345678901234567',
	'1.5',
	'QUI=',
	':QUI=:',
	'tok/en',
	'é',
	'\u0000',
);
const sfLike = fc.array(sfPiece, { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), sfLike);

function expectParseResult(result) {
	expect(typeof result.ok).toBe('boolean');
	if (result.ok) {
		expect(Array.isArray(result.components)).toBe(true);
		expect(typeof result.rawParams).toBe('string');
	} else {
		expect(typeof result.error).toBe('string');
	}
}

test('parseSignatureInput never throws on random text', () => {
	run(
		fc.property(anyText, (text) => {
			expectParseResult(parseSignatureInput(text));
			expect(typeof parseDictionary(text).ok).toBe('boolean');
		}),
	);
});

test('parseSignatureInput never throws on mutations of a valid header', () => {
	const valid =
		'sig1=("@method" "@path" "accept" "upvest-client-id");keyid="k";created=1700000000;expires=1700000010;nonce="n"';
	run(
		fc.property(fc.nat(valid.length), fc.nat(valid.length), sfLike, (from, len, insert) => {
			const mutated =
				valid.slice(0, from) + insert + valid.slice(Math.min(valid.length, from + len));
			expectParseResult(parseSignatureInput(mutated));
		}),
	);
});

test('verifyRequest and buildSignatureBase return results for arbitrary requests', () => {
	const headerValue = fc.oneof(anyText, fc.array(anyText, { maxLength: 3 }));
	const headers = fc.dictionary(
		fc.constantFrom(
			'signature-input',
			'signature',
			'upvest-signature-version',
			'content-digest',
			'content-length',
			'accept',
			'authorization',
			'idempotency-key',
			'upvest-client-id',
		),
		headerValue,
	);
	const keys = new Map([['k', { clientId: 'c', publicKeys: [testClient.ed25519.publicKeyPem] }]]);
	run(
		fc.property(
			headers,
			fc.option(anyText),
			fc.option(anyText),
			fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })),
			(h, path, query, body) => {
				const request = {
					method: 'POST',
					path,
					query,
					headers: { 'upvest-signature-version': '15', ...h },
					body: Buffer.from(body),
				};
				const result = verifyRequest(request, { keys, now: 1700000005 });
				expect(typeof result.valid).toBe('boolean');
				if (!result.valid) expect(typeof result.error).toBe('string');
				const parsed = parseSignatureInput(
					typeof h['signature-input'] === 'string' ? h['signature-input'] : '',
				);
				if (parsed.ok)
					expect(typeof buildSignatureBase(request, parsed.components, parsed.rawParams).ok).toBe(
						'boolean',
					);
			},
		),
		500,
	);
});

// Bodies that are sometimes valid: real field names with random or plausible values.
const plausible = (fields) =>
	fc.dictionary(
		fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })),
		fc.oneof(
			fc.uuid(),
			fc.constantFrom(
				'PERSONAL',
				'BUSINESS',
				'CHILD',
				'ACCOUNT_GROUP',
				'GUARDIAN',
				'TRADER',
				'SOLE_CUSTODY',
				'123456789',
				null,
			),
			fc.jsonValue({ maxDepth: 2 }),
		),
		{ maxKeys: 6 },
	);

test('body validators never throw and only accept well-formed bodies', () => {
	const groupFields = ['user_id', 'business_id', 'type', 'securities_account_number'];
	const roleFields = ['user_id', 'entity_type', 'entity_id', 'role_type', 'custody_type'];
	run(
		fc.property(fc.oneof(fc.anything(), plausible(groupFields), plausible(roleFields)), (body) => {
			for (const [validate, fields] of [
				[validateAccountGroupBody, groupFields],
				[validateRoleBody, roleFields],
			]) {
				const result = validate(body);
				if (result.ok) {
					expect(Object.keys(body).every((k) => fields.includes(k))).toBe(true);
					expect(Object.keys(result.value).every((k) => fields.includes(k))).toBe(true);
				} else {
					expect(typeof result.detail).toBe('string');
					expect(typeof result.field).toBe('string');
				}
			}
		}),
		1500,
	);
});

describe('over HTTP', () => {
	let sim;
	let client;
	let token;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0 });
		client = makeClient(sim.url, testClient, 'ed25519');
		token = await client.token('accounts:admin roles:admin');
	});

	afterAll(() => sim.close());

	test('random signed bodies get 200 or 400, never a 5xx', async () => {
		const rawBody = fc.oneof(
			plausible([
				'user_id',
				'business_id',
				'type',
				'entity_type',
				'entity_id',
				'role_type',
				'custody_type',
			]).map((o) => JSON.stringify(o)),
			fc.string({ minLength: 1 }),
		);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom('/account_groups', '/roles'),
				rawBody,
				async (path, body) => {
					const res = await client.post(path, token, body, { idempotencyKey: crypto.randomUUID() });
					expect([200, 400]).toContain(res.status);
					if (res.status === 400) expect(typeof res.json.detail).toBe('string');
				},
			),
			{ seed: SEED, numRuns: 150 },
		);
	});
});
