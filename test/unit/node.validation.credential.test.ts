/**
 * An unusable credential never reaches Upvest: each problem ends in a message that names the
 * credential field, no request is sent, and no secret (also not one the user typed wrongly)
 * appears in anything the run produced. The leak check those tests rely on is tested here too.
 */
import type { IDataObject } from 'n8n-workflow';

import { USERS, accountGroup } from '../support/node-builders';
import { useNodeSuite, type SigningKey } from '../support/node-suite';
import { expectNoSecrets, findSecrets, type Secrets } from '../support/secrets';
import { testClient } from '../support/simulator';
import { unusableKeys } from '../support/unusable-keys';

const node = useNodeSuite(24);

/** Base64 text without PEM armour: what a user pastes when the header lines got lost. */
const NOT_A_PEM = 'MC4CAQAwBQYDK2VwBCIEI';

describe('credential problems: a message naming the credential field, no request', () => {
	const foreign = unusableKeys();
	const edPem = testClient.ed25519.privateKeyPem;
	const corrupted = edPem.replace(/\n[A-Za-z0-9+/]{8}/, '\nAAAAAAAA');
	const truncated = edPem
		.split('\n')
		.filter((_line, index) => index !== 1)
		.join('\n');

	const cases: Array<[string, SigningKey, IDataObject, RegExp]> = [
		[
			'custom base URL ftp://x',
			'ed25519',
			{ baseUrl: 'ftp://x' },
			/^Base URL "ftp:\/\/x" is not an http\(s\) URL/,
		],
		[
			'custom base URL that is not a URL',
			'ed25519',
			{ baseUrl: 'upvest sandbox' },
			/^Base URL .* is not an http\(s\) URL/,
		],
		['empty key id', 'ed25519', { keyId: '' }, /^Key ID is empty/],
		['client id not a UUID', 'ed25519', { clientId: 'my-client' }, /^Client ID must be the UUID/],
		['empty client secret', 'ed25519', { clientSecret: '' }, /^Client Secret is empty/],
		['empty private key', 'ed25519', { privateKey: '' }, /^Private Key is empty/],
		[
			'malformed PEM (not a PEM at all)',
			'ed25519',
			{ privateKey: NOT_A_PEM },
			/Private Key is not a PEM key/,
		],
		[
			'malformed PEM (corrupted base64)',
			'ed25519',
			{ privateKey: corrupted },
			/Private Key could not be read/,
		],
		[
			'malformed PEM (a line missing)',
			'ed25519',
			{ privateKey: truncated },
			/Private Key could not be read/,
		],
		[
			'a public key instead of the private key',
			'ed25519',
			{ privateKey: testClient.ed25519.publicKeyPem },
			/Private Key field holds a public key/,
		],
		['wrong passphrase', 'ecdsa', { passphrase: 'not-the-passphrase' }, /the Passphrase is wrong/],
		[
			'encrypted key without passphrase',
			'ecdsa',
			{ passphrase: '' },
			/enter its passphrase in the Passphrase field/,
		],
		[
			'RSA key',
			'ed25519',
			{ privateKey: foreign.rsa },
			/Private Key is an RSA key, but Upvest accepts only ECDSA P-521 or Ed25519/,
		],
		[
			'P-256 key (PKCS#8)',
			'ed25519',
			{ privateKey: foreign.p256 },
			/Private Key is an ECDSA key on curve prime256v1, but Upvest accepts ECDSA only on P-521/,
		],
		[
			'P-256 key (SEC1)',
			'ed25519',
			{ privateKey: foreign.p256Sec1 },
			/Private Key is an ECDSA key on curve prime256v1/,
		],
		['Ed448 key', 'ed25519', { privateKey: foreign.ed448 }, /Private Key is an ED448 key/],
	];

	test.each(cases)('%s', async (_name, key, changes, message) => {
		const result = await node.run(
			accountGroup('create', { ownerType: 'user', userId: USERS[0], accountGroupType: 'PERSONAL' }),
			[{}, {}],
			{ store: node.newStore(key, changes) },
		);
		expect(result.items).toEqual([]);
		expect(result.error).toBeDefined();
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(
			/Base URL|Client ID|Client Secret|Key ID|Private Key|Passphrase/,
		);
		expect(node.sim.requests).toHaveLength(0);
		expect(node.sim.state.accountGroups).toHaveLength(0);
		// What the user typed into the credential is secret too, right or wrong.
		node.expectNoLeak(result, {
			privateKeyPems: Object.values(foreign),
			passphrases: typeof changes.passphrase === 'string' ? [changes.passphrase] : [],
		});
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
