/**
 * The access token's lifecycle through the credential's preAuthentication (fetchAccessToken), with
 * Upvest's token endpoint played by a fake request helper and time by Jest's fake clock: which
 * answers are retried and after how long, how long a token is shared, and that a token Upvest
 * rejected is never handed out again. Every token request is checked by the simulator's
 * independent verifier.
 */
import { randomUUID } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import {
	discardAccessToken,
	explainTokenFailure,
	fetchAccessToken,
	readAccessToken,
} from '../../nodes/Upvest/transport/accessToken';
import { verifyOutgoing } from '../support/signed-requests';
import { credentialData, type Simulator } from '../support/simulator';

const BASE_URL = 'http://127.0.0.1:4010';
const T0 = Date.UTC(2030, 0, 1);

/** What the fake token endpoint answers, in order; a thrown Error is a broken connection. */
type Answer = { statusCode: number; body?: unknown } | Error;

/** A credential of its own API client, so no test shares a cached token with another. */
function newCredential(change: Record<string, string> = {}): ICredentialDataDecryptedObject {
	return {
		...credentialData({ url: BASE_URL } as Simulator, 'ed25519'),
		clientId: randomUUID(),
		clientSecret: 'secret',
		scopes: 'accounts:read',
		...change,
	};
}

/** Upvest's token endpoint: answers as told, then fresh tokens `token-N` valid for an hour. */
function tokenEndpoint(answers: Answer[] = []) {
	const requests: IHttpRequestOptions[] = [];
	const helper = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				requests.push(options);
				const answer = answers.shift() ?? {
					statusCode: 200,
					body: { access_token: `token-${requests.length}`, expires_in: 3600 },
				};
				if (answer instanceof Error) throw answer;
				return { statusCode: answer.statusCode, body: answer.body, headers: {} };
			},
		},
	} as unknown as IHttpRequestHelper;
	const fetch = async (data: ICredentialDataDecryptedObject) =>
		(await fetchAccessToken.call(helper, data)).accessToken;
	return { requests, fetch };
}

beforeEach(() => {
	jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
	jest.useRealTimers();
});

describe('fetching a token', () => {
	test('one signed client-credentials request that follows no redirect', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		expect(await endpoint.fetch(data)).toBe('token-1');
		expect(endpoint.requests).toHaveLength(1);
		const [request] = endpoint.requests;
		expect(request).toMatchObject({
			method: 'POST',
			url: `${BASE_URL}/auth/token`,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
			disableFollowRedirect: true,
		});
		expect(request.body).toBe(
			`client_id=${String(data.clientId)}&client_secret=secret&grant_type=client_credentials&scope=accounts%3Aread`,
		);
		expect(request.headers).not.toHaveProperty('authorization');
		expect(verifyOutgoing(request)).toMatchObject({ valid: true });
	});

	test.each([429, 500, 502, 503, 504])(
		'HTTP %s is retried after 250 ms, then 500 ms, each attempt signed afresh',
		async (status) => {
			const endpoint = tokenEndpoint([{ statusCode: status }, { statusCode: status }]);
			const token = endpoint.fetch(newCredential());
			await jest.advanceTimersByTimeAsync(0);
			expect(endpoint.requests).toHaveLength(1);
			await jest.advanceTimersByTimeAsync(249);
			expect(endpoint.requests).toHaveLength(1);
			await jest.advanceTimersByTimeAsync(1);
			expect(endpoint.requests).toHaveLength(2);
			await jest.advanceTimersByTimeAsync(499);
			expect(endpoint.requests).toHaveLength(2);
			await jest.advanceTimersByTimeAsync(1);
			expect(await token).toBe('token-3');
			const signatures = endpoint.requests.map((request) => request.headers?.signature);
			expect(new Set(signatures).size).toBe(3);
			for (const request of endpoint.requests) {
				expect(verifyOutgoing(request)).toMatchObject({ valid: true });
			}
		},
	);

	test('four attempts at most (waits of 250, 500 and 1000 ms), then the last answer is explained', async () => {
		const busy = { statusCode: 503, body: { title: 'Service Unavailable' } };
		const endpoint = tokenEndpoint([busy, busy, busy, busy, busy]);
		const token = endpoint.fetch(newCredential());
		const failure = expect(token).rejects.toThrow(
			'Upvest refused the access token request (HTTP 503, Service Unavailable). Try again later',
		);
		await jest.advanceTimersByTimeAsync(250 + 500 + 999);
		expect(endpoint.requests).toHaveLength(3);
		await jest.advanceTimersByTimeAsync(1);
		await failure;
		expect(endpoint.requests).toHaveLength(4);
		await jest.advanceTimersByTimeAsync(60_000);
		expect(endpoint.requests).toHaveLength(4);
	});

	test('a broken connection is retried, and reported with the base URL when it persists', async () => {
		const down = new Error('connect ECONNREFUSED 127.0.0.1:4010');
		const endpoint = tokenEndpoint([down, down, down, down]);
		const token = endpoint.fetch(newCredential());
		const failure = expect(token).rejects.toThrow(
			`Upvest at ${BASE_URL} did not answer the access token request. Check the Environment and Base URL, and that the service is up.`,
		);
		await jest.advanceTimersByTimeAsync(1750);
		await failure;
		expect(endpoint.requests).toHaveLength(4);

		const recovering = tokenEndpoint([down]);
		const recovered = recovering.fetch(newCredential());
		await jest.advanceTimersByTimeAsync(250);
		expect(await recovered).toBe('token-2');
	});

	test.each([400, 401, 403, 404, 501])('HTTP %s is not retried', async (status) => {
		const endpoint = tokenEndpoint([{ statusCode: status, body: { title: 'No' } }]);
		await expect(endpoint.fetch(newCredential())).rejects.toThrow(
			`Upvest refused the access token request (HTTP ${status}, No).`,
		);
		expect(endpoint.requests).toHaveLength(1);
	});

	test.each([
		['no access_token', {}],
		['an empty access_token', { access_token: '' }],
		['a number for access_token', { access_token: 42 }],
		['no body', undefined],
	])('a 200 with %s is an error at once, not a token', async (_name, body) => {
		const endpoint = tokenEndpoint([{ statusCode: 200, body }]);
		await expect(endpoint.fetch(newCredential())).rejects.toThrow(
			'Upvest answered the access token request without an access_token.',
		);
		expect(endpoint.requests).toHaveLength(1);
	});

	test('an access_token in an error answer is not a token', async () => {
		const endpoint = tokenEndpoint([{ statusCode: 400, body: { access_token: 'not-this' } }]);
		await expect(endpoint.fetch(newCredential())).rejects.toThrow('HTTP 400');
	});

	test('the error is the credential error n8n shows with its fix', async () => {
		const endpoint = tokenEndpoint([{ statusCode: 401 }]);
		const error = (await endpoint.fetch(newCredential()).catch((caught: Error) => caught)) as Error;
		expect(error.name).toBe('UpvestCredentialError');
		expect(error.message).toBe(
			'Upvest refused the access token request (HTTP 401). Check the Client ID, Client Secret, Private Key, Passphrase and Key ID.',
		);
	});
});

describe('sharing a token within the process', () => {
	test('another credential object of the same API client gets the token without a request', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		expect(await endpoint.fetch(data)).toBe('token-1');
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-1');
		expect(endpoint.requests).toHaveLength(1);
	});

	test('until a minute before it expires (an hour-long token)', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		jest.setSystemTime(T0 + 3_540_000 - 1);
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-1');
		jest.setSystemTime(T0 + 3_540_000);
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-2');
		expect(endpoint.requests).toHaveLength(2);
	});

	test('until a quarter of its lifetime is left (a short-lived token)', async () => {
		const endpoint = tokenEndpoint([
			{ statusCode: 200, body: { access_token: 'short', expires_in: 100 } },
		]);
		const data = newCredential();
		await endpoint.fetch(data);
		jest.setSystemTime(T0 + 75_000 - 1);
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('short');
		jest.setSystemTime(T0 + 75_000);
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-2');
	});

	test.each([
		['without expires_in', { access_token: 'once' }],
		['with expires_in as text', { access_token: 'once', expires_in: '3600' }],
	])('a token %s is never shared', async (_name, body) => {
		const endpoint = tokenEndpoint([{ statusCode: 200, body }]);
		const data = newCredential();
		expect(await endpoint.fetch(data)).toBe('once');
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-2');
	});

	test('concurrent callers share one request', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		const tokens = await Promise.all([1, 2, 3].map(async () => await endpoint.fetch({ ...data })));
		expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
		expect(endpoint.requests).toHaveLength(1);
	});

	test('a failed fetch is not kept: the next caller fetches again', async () => {
		const endpoint = tokenEndpoint([{ statusCode: 400 }]);
		const data = newCredential();
		await expect(endpoint.fetch(data)).rejects.toThrow('HTTP 400');
		expect(await endpoint.fetch(data)).toBe('token-2');
	});

	test.each([
		['base URL', { baseUrl: 'http://127.0.0.1:4011' }],
		['client ID', { clientId: randomUUID() }],
		['client secret', { clientSecret: 'other' }],
		['key ID', { keyId: 'other-key' }],
		['scopes', { scopes: 'accounts:admin' }],
	])('a credential with another %s has its own token', async (_name, change) => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		expect(await endpoint.fetch(data)).toBe('token-1');
		expect(await endpoint.fetch({ ...data, ...change })).toBe('token-2');
	});

	test('fields are told apart, not concatenated (secret "sx" + key "k" is not secret "s" + key "xk")', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential({ clientSecret: 'sx', keyId: 'k' });
		expect(await endpoint.fetch(data)).toBe('token-1');
		expect(await endpoint.fetch({ ...data, clientSecret: 's', keyId: 'xk' })).toBe('token-2');
	});
});

describe('a token Upvest rejected is never handed out again', () => {
	test('n8n retries with the rejected token in the field: a new token, then shared for that token', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		const first = await endpoint.fetch(data);
		expect(await endpoint.fetch({ ...data, accessToken: first })).toBe('token-2');
		// Other requests that failed with the first token get the second without a new request.
		expect(await endpoint.fetch({ ...data, accessToken: first })).toBe('token-2');
		expect(endpoint.requests).toHaveLength(2);
		// The second token rejected too: a third.
		expect(await endpoint.fetch({ ...data, accessToken: 'token-2' })).toBe('token-3');
		expect(await endpoint.fetch({ ...data, accessToken: first })).toBe('token-3');
		expect(endpoint.requests).toHaveLength(3);
	});

	test('a token this process never fetched (another worker’s) is not known to be older', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		expect(await endpoint.fetch({ ...data, accessToken: 'from-another-worker' })).toBe('token-2');
	});

	test('discardAccessToken empties the field and remembers the token for the next fetch', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		data.accessToken = await endpoint.fetch(data);
		expect(readAccessToken(data)).toBe('token-1');
		discardAccessToken(data);
		expect(data.accessToken).toBe('');
		expect(readAccessToken(data)).toBe('');
		expect(await endpoint.fetch(data)).toBe('token-2');
		// Another credential object of the client, never told of the rejection, gets the new one.
		expect(await endpoint.fetch({ ...data, accessToken: '' })).toBe('token-2');
		expect(endpoint.requests).toHaveLength(2);
	});

	test('a discarded token is dropped for every caller, even one never told of the rejection', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		data.accessToken = await endpoint.fetch(data);
		discardAccessToken(data);
		const unaware = { ...data, accessToken: '' };
		expect(await endpoint.fetch(unaware)).toBe('token-2');
	});

	test('discarding an empty field rejects nothing: the shared token is still handed out', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		const empty = { ...data, accessToken: '' };
		discardAccessToken(empty);
		expect(await endpoint.fetch(empty)).toBe('token-1');
		expect(endpoint.requests).toHaveLength(1);
	});

	test('a caller without a token waits for the refresh under way instead of taking the rejected token', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		const refresh = endpoint.fetch({ ...data, accessToken: 'token-1' });
		const fresh = endpoint.fetch({ ...data, accessToken: '' });
		expect(await Promise.all([refresh, fresh])).toEqual(['token-2', 'token-2']);
	});

	test('another worker’s token, discarded, is followed by a new token, not one this process holds', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		const other = { ...data, accessToken: 'from-another-worker' };
		discardAccessToken(other);
		expect(await endpoint.fetch(other)).toBe('token-2');
	});

	test('a credential that never had a token field gets the shared token', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch(data);
		const withoutField = { ...data };
		delete withoutField.accessToken;
		expect(readAccessToken(withoutField)).toBe('');
		expect(readAccessToken({ ...data, accessToken: 42 })).toBe('');
		expect(await endpoint.fetch(withoutField)).toBe('token-1');
		expect(endpoint.requests).toHaveLength(1);
	});

	test('callers that join a fetch under way add their rejected tokens to what it supersedes', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		const joined = ['a', 'b', 'c'].map(
			async (held) => await endpoint.fetch({ ...data, accessToken: held }),
		);
		expect(await Promise.all(joined)).toEqual(['token-1', 'token-1', 'token-1']);
		for (const held of ['a', 'b', 'c']) {
			expect(await endpoint.fetch({ ...data, accessToken: held })).toBe('token-1');
		}
		expect(endpoint.requests).toHaveLength(1);
	});

	test('a token remembers the newest 32 tokens it supersedes; an older one counts as unknown', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		const rejected = Array.from({ length: 33 }, (_, index) => `rejected-${index}`);
		await Promise.all(
			rejected.map(async (held) => await endpoint.fetch({ ...data, accessToken: held })),
		);
		for (const held of rejected.slice(1)) {
			expect(await endpoint.fetch({ ...data, accessToken: held })).toBe('token-1');
		}
		expect(await endpoint.fetch({ ...data, accessToken: rejected[0] })).toBe('token-2');
	});

	test('the tokens a token supersedes carry over to the next one', async () => {
		const endpoint = tokenEndpoint();
		const data = newCredential();
		await endpoint.fetch({ ...data, accessToken: 'old' });
		await endpoint.fetch({ ...data, accessToken: 'token-1' });
		expect(await endpoint.fetch({ ...data, accessToken: 'old' })).toBe('token-2');
		expect(endpoint.requests).toHaveLength(2);
	});
});

describe('what a refused token request says', () => {
	test.each([
		[403, { title: 'Forbidden', detail: 'unknown client' }, 'Check the Client ID.'],
		[401, { detail: 'Invalid Client ID' }, 'Check the Client ID.'],
		[401, { title: 'invalid_client', detail: 'wrong client secret' }, 'Check the Client Secret.'],
		[
			401,
			{ detail: 'Signature does not verify' },
			"Check the Private Key, its Passphrase and the Key ID: the Key ID must be the one Upvest issued for this key's public half.",
		],
		[
			400,
			{ title: 'invalid_scope', detail: 'Scope not allowed' },
			'Check the Scopes: request only scopes Upvest enabled for this client.',
		],
		[403, {}, 'Check the Client ID, Client Secret, Private Key, Passphrase and Key ID.'],
		[404, 'Not Found', 'Check the Environment and Base URL.'],
		[500, null, 'Try again later; if it persists, contact Upvest with the request ID.'],
		[422, ['secret'], 'Try again later; if it persists, contact Upvest with the request ID.'],
	])('HTTP %s %j: %s', (status, body, fix) => {
		expect(explainTokenFailure(status, body)).toMatch(new RegExp(`\\. ${escapeRegExp(fix)}$`));
	});

	test('names the status and Upvest’s title and detail, or a short text body', () => {
		expect(explainTokenFailure(400, { title: 'Bad', detail: 'wrong', code: 7 })).toBe(
			'Upvest refused the access token request (HTTP 400, Bad: wrong). Try again later; if it persists, contact Upvest with the request ID.',
		);
		expect(explainTokenFailure(400, { title: 7, detail: 'only detail' })).toContain(
			'(HTTP 400, only detail)',
		);
		expect(explainTokenFailure(502, 'x'.repeat(300))).toContain(`(HTTP 502, ${'x'.repeat(200)})`);
		expect(explainTokenFailure(502, undefined)).toContain('(HTTP 502)');
		expect(explainTokenFailure(502, 42)).toContain('(HTTP 502)');
	});

	test('checks the detail before the status: a 401 naming the secret points at the secret', () => {
		expect(explainTokenFailure(401, 'bad client secret, bad signature')).toMatch(
			/Check the Client Secret\.$/,
		);
		expect(explainTokenFailure(404, { detail: 'scope' })).toMatch(/Check the Scopes/);
	});
});

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
