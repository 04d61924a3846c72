import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { UpvestApi } from '../../credentials/UpvestApi.credentials';
import { explainTokenFailure } from '../../nodes/Upvest/transport/accessToken';
import { verifyOutgoing } from '../support/signed-requests';
import { credentialData, startSimulator, testClient, type Simulator } from '../support/simulator';

// n8n's own request helper (axios inside), the one preAuthentication gets as this.helpers.httpRequest.
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

const FIXED_UUID = 'ccb07f42-4104-44ad-8e1f-c660bb7b269c';
const credentialType = new UpvestApi();
const helper = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

const tokenRequests = () => sim.requests.filter((record) => record.tokenRequest);

describe('preAuthentication (token request)', () => {
	test('fetches a token with a signed form request and no authorization header', async () => {
		const result = await credentialType.preAuthentication.call(helper, credentialData(sim));
		expect(result.accessToken).toMatch(/^ory_at_/);
		const [record] = tokenRequests();
		expect(record.signature.valid).toBe(true);
		expect(record.headers.authorization).toBeUndefined();
		expect(record.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(record.body).toBe(
			`client_id=${testClient.clientId}&client_secret=${encodeURIComponent(testClient.clientSecret).replace(/%20/g, '+')}&grant_type=client_credentials&scope=accounts%3Aadmin+roles%3Aadmin`,
		);
	});

	test('requests rejected concurrently with one stale token share a single refresh', async () => {
		const data = { ...credentialData(sim, 'ed25519'), accessToken: 'ory_at_stale' };
		const results = await Promise.all(
			Array.from({ length: 6 }, () => credentialType.preAuthentication.call(helper, { ...data })),
		);
		expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
		expect(tokenRequests()).toHaveLength(1);
		// A caller still holding the stale token gets the fresh one without a new request.
		await credentialType.preAuthentication.call(helper, { ...data });
		expect(tokenRequests()).toHaveLength(1);
	});

	test.each([
		['client secret', { clientSecret: 'not-the-secret' }, /Check the Client Secret/],
		['client id', { clientId: '00000000-0000-4000-8000-000000000000' }, /Check the Client ID/],
		['key id', { keyId: 'unknown-key' }, /Check the Private Key, its Passphrase and the Key ID/],
		['scopes', { scopes: 'payments:admin' }, /Check the Scopes/],
	])('a wrong %s is named in the error', async (_field, change, message) => {
		const data = { ...credentialData(sim), ...change };
		const attempt = credentialType.preAuthentication.call(helper, data);
		await expect(attempt).rejects.toThrow(message);
		const error = (await attempt.catch((caught: Error) => caught)) as Error;
		expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(
			testClient.clientSecret,
		);
	});

	test('an unreachable base URL is reported with the fix', async () => {
		const data = { ...credentialData(sim), baseUrl: 'http://127.0.0.1:9' };
		await expect(credentialType.preAuthentication.call(helper, data)).rejects.toThrow(
			/did not answer the access token request\. Check the Environment and Base URL/,
		);
	});

	test('explains statuses Upvest gives no detail for', () => {
		expect(explainTokenFailure(404, '')).toMatch(/HTTP 404\)\. Check the Environment and Base URL/);
		expect(explainTokenFailure(401, { title: 'Unauthorised' })).toMatch(
			/Check the Client ID, Client Secret, Private Key, Passphrase and Key ID/,
		);
		expect(explainTokenFailure(503, { title: 'Service Unavailable', request_id: 'r' })).toMatch(
			/Try again later/,
		);
	});
});

describe('authenticate (signs any request, as for the HTTP Request node)', () => {
	const signed = async (options: Record<string, unknown>, key: 'ecdsa' | 'ed25519' = 'ed25519') =>
		(await credentialType.authenticate(
			{ ...credentialData(sim, key), accessToken: 'ory_at_TEST' },
			options as unknown as IHttpRequestOptions,
		)) as IHttpRequestOptions & {
			uri?: string;
		};

	test('an object JSON body becomes the exact signed bytes, with query string folded into the URL', async () => {
		const options = await signed({
			method: 'POST',
			url: `${sim.url}/account_groups`,
			qs: { dry: 'yes', tag: ['a', 'b c'] },
			headers: { 'Idempotency-Key': FIXED_UUID, 'X-Trace': 't1' },
			body: { user_id: '413715f2-5401-4b97-8055-034a6b879f8c', type: 'PERSONAL' },
			json: true,
		});
		expect(options.url).toBe(`${sim.url}/account_groups?dry=yes&tag=a&tag=b+c`);
		expect(options.qs).toBeUndefined();
		expect(Buffer.isBuffer(options.body)).toBe(true);
		expect(String(options.body)).toBe(
			'{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}',
		);
		expect(options.headers).toMatchObject({
			authorization: 'Bearer ory_at_TEST',
			'content-type': 'application/json',
			'idempotency-key': FIXED_UUID,
			'x-trace': 't1',
			'upvest-signature-version': '15',
		});
		expect(options.headers?.['Idempotency-Key']).toBeUndefined();
		expect(verifyOutgoing(options)).toMatchObject({ valid: true });
	});

	test('request-library style options (uri), string and form bodies, GET without body', async () => {
		const withUri = await signed(
			{
				method: 'POST',
				uri: `${sim.url}/roles`,
				body: '{"a":1}',
				headers: { 'content-type': 'application/json' },
			},
			'ecdsa',
		);
		expect(withUri.uri).toBe(`${sim.url}/roles`);
		expect(verifyOutgoing(withUri)).toMatchObject({ valid: true });

		const form = await signed({ method: 'POST', url: `${sim.url}/x`, form: { a: '1 2' } });
		expect(form.body).toBe('a=1+2');
		expect(form.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
		expect(verifyOutgoing(form)).toMatchObject({ valid: true });

		const get = await signed({
			method: 'GET',
			url: `${sim.url}/users`,
			qs: { limit: 2, offset: 0 },
			body: {},
		});
		expect(get.body).toBeUndefined();
		expect(get.headers?.['content-digest']).toBeUndefined();
		expect(verifyOutgoing(get)).toMatchObject({
			valid: true,
			components: expect.arrayContaining(['@query']),
		});
	});

	test('re-signing its own output (n8n does so after a token refresh) replaces headers instead of duplicating them', async () => {
		const first = await signed({
			method: 'POST',
			url: `${sim.url}/account_groups`,
			body: Buffer.from('{"x":1}'),
			headers: { 'content-type': 'application/json' },
		});
		const second = await signed(first as unknown as Record<string, unknown>);
		expect(Object.keys(second.headers ?? {}).sort()).toEqual(
			Object.keys(first.headers ?? {}).sort(),
		);
		expect(second.headers?.signature).not.toBe(first.headers?.signature);
		expect(String(second.body)).toBe('{"x":1}');
		expect(verifyOutgoing(second)).toMatchObject({ valid: true });
	});

	test('the credential test request is a real signed token request', async () => {
		const options = await signed({ ...credentialType.test.request, baseURL: sim.url }, 'ecdsa');
		const response = (await httpRequest({ ...options, json: true })) as { access_token: string };
		expect(response.access_token).toMatch(/^ory_at_/);
		expect(tokenRequests()[0].signature.valid).toBe(true);
	});

	test('bad credential fields are named before anything is sent', async () => {
		await expect(
			signed({ method: 'GET', url: 'x' }).then(() => undefined),
		).resolves.toBeUndefined();
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[
				{ environment: 'custom', baseUrl: 'ftp://example.com' },
				/Base URL "ftp:\/\/example.com" is not an http\(s\) URL/,
			],
			[{ keyId: '' }, /Key ID is empty/],
			[{ clientId: 'client-1' }, /Client ID must be the UUID/],
			[{ privateKey: '' }, /Private Key is empty/],
			[{ accessToken: '' }, /no access token yet/],
		];
		for (const [change, message] of cases) {
			await expect(
				credentialType.authenticate(
					{ ...credentialData(sim), accessToken: 'ory_at_TEST', ...change },
					{ method: 'GET', url: `${sim.url}/users` },
				),
			).rejects.toThrow(message);
		}
	});
});
