/**
 * Access tokens when several n8n processes share one credential, as n8n's queue mode does: the
 * token lives in the credential in the database, every worker reads whatever token another one
 * stored last, and each worker also keeps the tokens it fetched itself (per process). When Upvest
 * rejects a token, a worker may hand the caller a token it fetched itself only if that one is newer
 * than the rejected one; a token from another process says nothing about how old the own one is.
 *
 * In one process, a credential whose token came from another process is a credential for the same
 * API client but another signing key (so another entry of the per-process cache) that holds a
 * token this cache never fetched. See docs/queue-mode.md.
 */
import { randomUUID } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { fetchAccessToken } from '../../nodes/Upvest/transport/accessToken';
import { CredentialStore, runUpvestNode } from '../support/n8n-harness';
import { expectNoSecrets } from '../support/secrets';
import { credentialData, testClient, usePooledSimulator } from '../support/simulator';

const suite = usePooledSimulator(8);

function newStore(key: 'ed25519' | 'ecdsa', accessToken?: string) {
	return suite.tokenLog.watch(
		new CredentialStore({
			...credentialData(suite.sim, key),
			clientId: suite.client.clientId,
			clientSecret: suite.client.clientSecret,
			keyId: key === 'ed25519' ? suite.client.ed25519KeyId : suite.client.ecdsaKeyId,
			...(accessToken === undefined ? {} : { accessToken }),
		}),
	);
}

const userId = (index: number) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
const groups = (count: number, offset: number) =>
	Array.from({ length: count }, (_, index) => ({ userId: userId(offset + index) }));
const createGroups = {
	resource: 'accountGroup',
	operation: 'create',
	ownerType: 'user',
	userId: '={{ $json.userId }}',
	accountGroupType: 'PERSONAL',
	options: { concurrency: 4 },
};

const tokenRequests = (since: number) =>
	suite.sim.requests.slice(since).filter((record) => record.tokenRequest);

describe('a token stored by another process', () => {
	test('all tokens revoked: a worker holding the other worker’s token fetches a new one instead of handing out its own dead one', async () => {
		const own = newStore('ed25519');
		const create = (credentials: CredentialStore, items: Array<{ userId: string }>) =>
			runUpvestNode({ parameters: createGroups, items, credentials });
		expect((await create(own, groups(2, 0))).error).toBeUndefined();
		const other = newStore('ecdsa');
		expect((await create(other, groups(2, 10))).error).toBeUndefined();
		const othersToken = String(other.data.accessToken);
		expect(othersToken).not.toBe(own.data.accessToken);

		// The database now holds the other process's token; then Upvest stops accepting every token.
		const fromDatabase = newStore('ed25519', othersToken);
		expect(suite.sim.expireTokens()).toBe(2);
		const since = suite.sim.requests.length;
		const result = await create(fromDatabase, groups(20, 100));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20);
		expect(suite.sim.state.accountGroups).toHaveLength(24);
		// One refresh for all requests the revoked token failed, none handed a dead token.
		expect(tokenRequests(since)).toHaveLength(1);
		const refused = suite.sim.requests.slice(since).filter((record) => record.status === 401);
		expect(refused.length).toBeGreaterThan(0);
		for (const record of refused)
			expect(record.headers.authorization).toBe(`Bearer ${othersToken}`);
		expectNoSecrets({ run: result.run, items: result.items, error: result.error }, suite.secrets());
	});
});

describe('which token preAuthentication hands out', () => {
	/** A token endpoint that answers tok-1, tok-2, ... (valid 1799 s) and counts the requests. */
	function countingEndpoint() {
		const endpoint = { requests: 0 };
		const helper = {
			helpers: {
				httpRequest: async () => {
					endpoint.requests++;
					return {
						statusCode: 200,
						headers: {},
						body: { access_token: `tok-${endpoint.requests}`, expires_in: 1799 },
					};
				},
			},
		} as unknown as IHttpRequestHelper;
		return { endpoint, helper };
	}

	/** One API client per test: the cache of fetched tokens lives as long as the test file. */
	let clientId = '';
	beforeEach(() => {
		clientId = randomUUID();
	});
	const credential = (accessToken: string): ICredentialDataDecryptedObject => ({
		environment: 'custom',
		baseUrl: 'http://127.0.0.1:9',
		clientId,
		clientSecret: suite.client.clientSecret,
		keyId: testClient.ed25519.keyId,
		privateKey: testClient.ed25519.privateKeyPem,
		passphrase: '',
		scopes: 'accounts:admin roles:admin',
		accessToken,
	});

	test('rejected tokens: an own older one shares the newest, a foreign one gets one new token that later holders of it share', async () => {
		const { endpoint, helper } = countingEndpoint();
		const fetchFor = async (held: string) =>
			(await fetchAccessToken.call(helper, credential(held))).accessToken;

		expect(await fetchFor('')).toBe('tok-1');
		// n8n asks again with the rejected token still in the field (its own 401 handling).
		expect(await fetchFor('tok-1')).toBe('tok-2');
		expect(await fetchFor('tok-1')).toBe('tok-2');
		// A token another process stored: the own tok-2 may be as dead as it, so a new one.
		expect(await fetchFor('foreign-token')).toBe('tok-3');
		// Every other holder of that token, and of older own tokens, shares tok-3.
		expect(await fetchFor('foreign-token')).toBe('tok-3');
		expect(await fetchFor('tok-2')).toBe('tok-3');
		expect(await fetchFor('tok-1')).toBe('tok-3');
		// A credential without a token has nothing rejected: the newest token is shared.
		expect(await fetchFor('')).toBe('tok-3');
		expect(endpoint.requests).toBe(3);
	});

	test('a cached token with less than a minute left is not handed out: a busy worker could not use it in time', async () => {
		const { endpoint, helper } = countingEndpoint();
		const fetchFor = async (held: string) =>
			(await fetchAccessToken.call(helper, credential(held))).accessToken;
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now');
		try {
			clock.mockReturnValue(start);
			const first = await fetchFor('tok-old');
			clock.mockReturnValue(start + (1799 - 61) * 1000);
			expect(await fetchFor('tok-old')).toBe(first);
			clock.mockReturnValue(start + (1799 - 59) * 1000);
			const next = await fetchFor('tok-old');
			expect(next).not.toBe(first);
			expect(endpoint.requests).toBe(2);
		} finally {
			clock.mockRestore();
		}
	});
});
