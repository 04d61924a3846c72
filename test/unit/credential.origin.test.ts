/**
 * The credential hands its access token and signatures only to its own base URL: a request for
 * any other origin (another host, port or scheme, a look-alike or userinfo-laden URL) is refused
 * before anything is sent, and a redirect is never followed with the signed headers.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { UpvestApi } from '../../credentials/UpvestApi.credentials';
import { startRecordingServer, startRedirectServer } from '../support/http-servers';
import { credentialData, type Simulator } from '../support/simulator';

const credentialType = new UpvestApi();
const TOKEN = 'ory_at_ORIGIN_TEST';

/** Credential data pointing at `baseUrl`, with a token already stored. */
function credentialFor(baseUrl: string) {
	return { ...credentialData({ url: baseUrl } as Simulator, 'ed25519'), accessToken: TOKEN };
}

async function sign(baseUrl: string, options: Record<string, unknown>) {
	return (await credentialType.authenticate(
		credentialFor(baseUrl),
		options as unknown as IHttpRequestOptions,
	)) as IHttpRequestOptions & Record<string, unknown>;
}

describe('requests to another origin are refused before anything is sent', () => {
	const base = 'http://127.0.0.1:4010';
	const refused: Array<[string, string]> = [
		['another host', 'http://198.51.100.7:4010/account_groups'],
		['another port', 'http://127.0.0.1:4011/account_groups'],
		['another scheme', 'https://127.0.0.1:4010/account_groups'],
		['a name for the same address', 'http://localhost:4010/account_groups'],
		['userinfo before the real host', 'http://127.0.0.1:4010@198.51.100.7/account_groups'],
		['userinfo on the right host', 'http://user:pass@127.0.0.1:4010/account_groups'],
		['a user name alone on the right host', 'http://user@127.0.0.1:4010/account_groups'],
		['a password alone on the right host', 'http://:pass@127.0.0.1:4010/account_groups'],
	];

	test.each(refused)('%s, GET and POST', async (_name, url) => {
		for (const method of ['GET', 'POST']) {
			await expect(
				sign(base, { method, url, body: method === 'POST' ? { a: 1 } : undefined }),
			).rejects.toThrow(`The Upvest credential signs only requests to its own base URL ${base}`);
		}
	});

	test('look-alike hosts of the live and sandbox environments', async () => {
		for (const [environment, good] of [
			['sandbox', 'https://sandbox.upvest.co'],
			['live', 'https://api.upvest.co'],
		]) {
			const data = { ...credentialFor(good), environment };
			for (const url of [
				`${good}.evil.example/account_groups`,
				`https://evil.example/${good.slice(8)}/account_groups`,
				`${good}:8443/account_groups`,
				`http://${good.slice(8)}/account_groups`,
			]) {
				await expect(
					credentialType.authenticate(data, { method: 'GET', url } as IHttpRequestOptions),
				).rejects.toThrow(`its own base URL ${good}`);
			}
			const allowed = await credentialType.authenticate(data, {
				method: 'GET',
				url: `${good}/account_groups`,
			} as IHttpRequestOptions);
			expect(allowed.headers?.authorization).toBe(`Bearer ${TOKEN}`);
		}
	});

	// A check weakened to "the host ends with the base host" lets these through; each must be
	// refused for both environments, whichever way the request names its URL
	// (docs/mutation-testing.md: verified against such a weakened check).
	const environments = { sandbox: 'https://sandbox.upvest.co', live: 'https://api.upvest.co' };
	test.each(Object.entries(environments))(
		'%s: hosts that end with the real host (evilapi.upvest.co, evilsandbox.upvest.co) are refused',
		async (environment, good) => {
			const data = { ...credentialFor(good), environment };
			const host = good.slice('https://'.length);
			const lookAlikes = [
				`https://evil${host}`,
				`https://evil-${host}`,
				`https://www.${host}`,
				'https://upvest.co',
				environment === 'live' ? environments.sandbox : environments.live,
			];
			for (const lookAlike of lookAlikes) {
				const requests: Array<Record<string, unknown>> = [
					{ method: 'GET', url: `${lookAlike}/account_groups` },
					{ method: 'POST', url: `${lookAlike}/account_groups`, body: { a: 1 } },
					{ method: 'POST', url: `${lookAlike}/auth/token` },
					{ method: 'GET', uri: `${lookAlike}/account_groups` },
					{ method: 'GET', url: '/account_groups', baseURL: lookAlike },
				];
				for (const request of requests) {
					await expect(
						credentialType.authenticate(data, request as unknown as IHttpRequestOptions),
					).rejects.toThrow(`its own base URL ${good}, and this request goes to ${lookAlike}`);
				}
			}
			const allowed = await credentialType.authenticate(data, {
				method: 'POST',
				url: `${good}/account_groups`,
				body: { a: 1 },
			} as IHttpRequestOptions);
			expect(allowed.headers?.authorization).toBe(`Bearer ${TOKEN}`);
		},
	);

	test('a URL refused after an allowed one on the same credential is still refused', async () => {
		const data = credentialFor(base);
		const allowed = { method: 'GET', url: `${base}/account_groups` } as IHttpRequestOptions;
		await credentialType.authenticate(data, allowed);
		await expect(
			credentialType.authenticate(data, { method: 'GET', url: 'http://198.51.100.7:4010/x' }),
		).rejects.toThrow('its own base URL');
		await expect(credentialType.authenticate(data, allowed)).resolves.toMatchObject({
			url: `${base}/account_groups`,
		});
	});

	test('the error names the base URL but never the token or the refused URL’s userinfo', async () => {
		const error = await sign(base, {
			method: 'GET',
			url: 'http://admin:hunter2@127.0.0.1:4010/x',
		}).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(Error);
		const text = `${(error as Error).message} ${JSON.stringify(error)}`;
		expect(text).not.toContain(TOKEN);
		expect(text).not.toContain('hunter2');
	});

	test('a base URL with a path admits only paths below it', async () => {
		const prefixed = `${base}/upvest`;
		await expect(sign(prefixed, { method: 'GET', url: `${base}/other` })).rejects.toThrow(
			'its own base URL',
		);
		await expect(sign(prefixed, { method: 'GET', url: `${base}/upvestx/a` })).rejects.toThrow(
			'its own base URL',
		);
		const signed = await sign(prefixed, { method: 'GET', url: `${prefixed}/account_groups` });
		expect(signed.url).toBe(`${prefixed}/account_groups`);
		const exact = await sign(prefixed, { method: 'GET', url: prefixed });
		expect(exact.url).toBe(prefixed);
	});

	test('relative URLs resolve against the base URL and are allowed', async () => {
		const signed = await sign(base, { method: 'GET', url: '/account_groups', qs: { limit: 1 } });
		expect(signed.url).toBe(`${base}/account_groups?limit=1`);
	});
});

describe('redirects are never followed with the signed request', () => {
	let elsewhere: Awaited<ReturnType<typeof startRecordingServer>>;
	let redirecting: Awaited<ReturnType<typeof startRedirectServer>>;

	beforeAll(async () => {
		elsewhere = await startRecordingServer();
		redirecting = await startRedirectServer(elsewhere.url);
	});
	afterAll(async () => {
		await redirecting.close();
		await elsewhere.close();
	});

	test.each([
		['GET', 307],
		['POST', 307],
		['POST', 308],
		['GET', 302],
	])('%s answered %s: the other host gets nothing', async (method, status) => {
		redirecting.requests.length = 0;
		const target = await startRedirectServer(elsewhere.url, status);
		try {
			const options = await sign(target.url, {
				method,
				url: `${target.url}/account_groups`,
				body: method === 'POST' ? { user_id: 'x' } : undefined,
			});
			expect(options.disableFollowRedirect).toBe(true);
			const response = (await httpRequest({
				...options,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number };
			expect(response.statusCode).toBe(status);
			expect(target.requests).toHaveLength(1);
			expect((target.requests[0].headers as Record<string, string>).authorization).toBe(
				`Bearer ${TOKEN}`,
			);
			expect(elsewhere.requests).toHaveLength(0);
		} finally {
			await target.close();
		}
	});

	test('request-library options (the HTTP Request node) get redirects switched off too', async () => {
		const options = await sign(redirecting.url, {
			method: 'GET',
			uri: `${redirecting.url}/account_groups`,
			followRedirect: true,
			followAllRedirects: true,
		});
		expect(options).toMatchObject({
			followRedirect: false,
			followAllRedirects: false,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});
});
