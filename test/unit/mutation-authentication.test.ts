/**
 * The credential's authenticate (signUpvestRequest), request by request: what it sends for each
 * kind of body, header and URL n8n hands it, and that every result verifies with the simulator's
 * independent verifier (test/support/signed-requests.ts). The origin rule itself is in
 * credential.origin.test.ts.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	credentialState,
	signUpvestRequest,
	toBodyBytes,
	validateCredentials,
} from '../../nodes/Upvest/transport/authentication';
import { verifyOutgoing } from '../support/signed-requests';
import { credentialData, testClient, type Simulator } from '../support/simulator';
import vectors from './vectors.json';

const BASE = 'http://127.0.0.1:4010';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const FIXED_UUID = 'ccb07f42-4104-44ad-8e1f-c660bb7b269c';

type Signed = IHttpRequestOptions & Record<string, unknown>;

function credential(change: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return {
		...credentialData({ url: BASE } as Simulator, 'ed25519'),
		scopes: 'accounts:read',
		accessToken: 'ory_at_TOKEN',
		...change,
	} as ICredentialDataDecryptedObject;
}

const sign = (options: Record<string, unknown>, data = credential()) =>
	signUpvestRequest(data, options as unknown as IHttpRequestOptions) as Signed;

/** Signs and checks the result with the independent verifier. */
function signVerified(options: Record<string, unknown>, data = credential(), tokenPath?: string) {
	const signed = sign(options, data);
	const verified = verifyOutgoing(signed, { tokenPath });
	expect(verified).toMatchObject({ valid: true });
	return { signed, headers: signed.headers as Record<string, string>, verified };
}

const bodyText = (signed: Signed) => (signed.body === undefined ? undefined : String(signed.body));

describe('the URL', () => {
	test('a path is resolved against the credential base URL, slashes joined once', () => {
		for (const url of ['/account_groups', 'account_groups', '//account_groups']) {
			expect(signVerified({ method: 'GET', url }).signed.url).toBe(`${BASE}/account_groups`);
		}
	});

	test('a path keeps its inner slashes, and a URL inside its query does not make it absolute', () => {
		expect(signVerified({ method: 'GET', url: 'account_groups/123' }).signed.url).toBe(
			`${BASE}/account_groups/123`,
		);
		const embedded = signVerified({ method: 'GET', url: '/users?next=http://example.com/' });
		expect(embedded.signed.url).toBe(`${BASE}/users?next=http://example.com/`);
	});

	test('a URL that cannot be parsed is refused as such', () => {
		expect(() => sign({ method: 'GET', url: 'http://bad host/x' })).toThrow(
			`The Upvest credential signs only requests to its own base URL ${BASE}, and this request goes to an invalid URL: nothing was sent.`,
		);
	});

	test('a path is resolved against the request base URL when it has one', () => {
		const { signed } = signVerified({ method: 'GET', url: '/users', baseURL: `${BASE}//` });
		expect(signed.url).toBe(`${BASE}/users`);
		expect(signed.baseURL).toBeUndefined();
	});

	test('no URL at all is the base URL itself', () => {
		expect(signVerified({ method: 'GET' }).signed.url).toBe(`${BASE}/`);
	});

	test('an absolute URL is kept as it is, whatever the case of its scheme', () => {
		const upper = `HTTP://127.0.0.1:4010/users`;
		const { signed, verified } = signVerified({ method: 'GET', url: upper });
		expect(signed.url).toBe(upper);
		expect(verified.components).toEqual(expect.arrayContaining(['@path']));
		expect(verified.components).not.toContain('@query');
	});

	test('qs is folded into the URL, after a query the URL already has', () => {
		const { signed } = signVerified({ method: 'GET', url: '/users?a=1', qs: { b: 2 } });
		expect(signed.url).toBe(`${BASE}/users?a=1&b=2`);
		const alone = signVerified({ method: 'GET', url: '/users', qs: { b: 'x y' } }).signed;
		expect(alone.url).toBe(`${BASE}/users?b=x+y`);
		const empty = signVerified({ method: 'GET', url: '/users', qs: {} }).signed;
		expect(empty.url).toBe(`${BASE}/users`);
		expect(signVerified({ method: 'GET', url: '/users?b=2' }).verified.components).toContain(
			'@query',
		);
	});

	test('request-library options: uri gets the resolved URL', () => {
		const { signed } = signVerified({ method: 'GET', uri: `${BASE}/users`, qs: { limit: 1 } });
		expect(signed.uri).toBe(`${BASE}/users?limit=1`);
		expect(signed.url).toBe(`${BASE}/users?limit=1`);
		expect(signed.qs).toBeUndefined();
	});

	test('the same credential signs each URL for its own path (no stale path from an earlier one)', () => {
		const data = credential();
		for (const path of ['/users', '/account_groups', '/users', '/users?x=1']) {
			signVerified({ method: 'GET', url: `${BASE}${path}` }, data);
		}
	});
});

describe('the method', () => {
	test('upper-cased, GET when missing', () => {
		expect(signVerified({ method: 'post', url: '/x', body: { a: 1 } }).signed.body).toBeDefined();
		const get = signVerified({ url: '/x', body: { a: 1 } });
		expect(get.signed.body).toBeUndefined();
		expect(get.headers.signature).toBeDefined();
	});

	test.each(['GET', 'HEAD'])('%s never carries a body, whatever was passed', (method) => {
		const { signed, headers } = signVerified({
			method,
			url: '/x',
			body: { a: 1 },
			headers: { 'content-type': JSON_TYPE },
		});
		expect(signed.body).toBeUndefined();
		expect(headers).not.toHaveProperty('content-type');
		expect(headers).not.toHaveProperty('content-digest');
		expect(headers).not.toHaveProperty('content-length');
	});

	test.each(['DELETE', 'PATCH', 'PUT'])('%s signs its body', (method) => {
		const { signed, headers } = signVerified({ method, url: '/x', body: { a: 1 } });
		expect(bodyText(signed)).toBe('{"a":1}');
		expect(headers['content-length']).toBe('7');
	});
});

describe('the body: the exact bytes signed are the bytes sent', () => {
	test.each([
		['an object, as JSON', { a: 1, b: 'x' }, undefined, '{"a":1,"b":"x"}'],
		['a string, as it is', '{"raw": true}', undefined, '{"raw": true}'],
		['a Buffer, untouched', Buffer.from('bytes'), 'application/octet-stream', 'bytes'],
		['URLSearchParams, as its text', new URLSearchParams({ a: '1 2' }), FORM_TYPE, 'a=1+2'],
		[
			'an object with a form type, as a form',
			{ a: '1 2', b: ['x', 'y'] },
			FORM_TYPE,
			'a=1+2&b=x&b=y',
		],
		['a number, as its text', 42, undefined, '42'],
		['false, as its text', false, undefined, 'false'],
	])('%s', (_name, body, contentType, sent) => {
		const headers = contentType === undefined ? undefined : { 'Content-Type': contentType };
		const signed = signVerified({ method: 'POST', url: '/x', body, headers });
		expect(bodyText(signed.signed)).toBe(sent);
		expect(signed.headers['content-type']).toBe(contentType ?? JSON_TYPE);
		expect(signed.headers['content-length']).toBe(String(Buffer.byteLength(sent)));
	});

	test.each([
		['undefined', undefined],
		['null', null],
		['an empty string', ''],
		['an empty Buffer', Buffer.alloc(0)],
		['an empty object', {}],
	])('%s is no body: no content headers', (_name, body) => {
		const { signed, headers } = signVerified({
			method: 'POST',
			url: '/x',
			body,
			headers: { 'content-type': JSON_TYPE },
		});
		expect(signed.body).toBeUndefined();
		for (const name of ['content-type', 'content-length', 'content-digest']) {
			expect(headers).not.toHaveProperty(name);
		}
	});

	test('a form body travels as text (n8n feeds it to URLSearchParams), anything else as a Buffer', () => {
		expect(typeof sign({ method: 'POST', url: '/x', form: { a: '1' } }).body).toBe('string');
		const withCharset = sign({
			method: 'POST',
			url: '/x',
			body: { a: '1' },
			headers: { 'content-type': `${FORM_TYPE}; charset=utf-8` },
		});
		expect(Buffer.isBuffer(withCharset.body)).toBe(true);
		expect(String(withCharset.body)).toBe('a=1');
		expect(Buffer.isBuffer(sign({ method: 'POST', url: '/x', body: 'text' }).body)).toBe(true);
	});

	test('request-library form: sent as a form, the form option removed', () => {
		const { signed, headers } = signVerified({ method: 'POST', url: '/x', form: { a: '1 2' } });
		expect(signed.body).toBe('a=1+2');
		expect(headers['content-type']).toBe(FORM_TYPE);
		expect(signed).not.toHaveProperty('form');
		const formWins = sign({ method: 'POST', url: '/x', form: { a: '1' }, body: { b: 2 } });
		expect(formWins.body).toBe('a=1');
	});

	test('toBodyBytes: the bytes for each body kind', () => {
		expect(toBodyBytes(Buffer.from('abc'), JSON_TYPE)?.toString()).toBe('abc');
		expect(toBodyBytes({ a: [1, 2] }, FORM_TYPE)?.toString()).toBe('a=1&a=2');
		expect(toBodyBytes({ a: [1, 2] }, JSON_TYPE)?.toString()).toBe('{"a":[1,2]}');
		expect(toBodyBytes('é', JSON_TYPE)).toEqual(Buffer.from([0xc3, 0xa9]));
		expect(toBodyBytes(0, JSON_TYPE)?.toString()).toBe('0');
		expect(toBodyBytes(Buffer.alloc(0), JSON_TYPE)).toBeUndefined();
		expect(toBodyBytes({}, FORM_TYPE)).toBeUndefined();
	});
});

describe('the headers', () => {
	test('what Upvest needs, all covered by the signature', () => {
		const { headers, verified } = signVerified({
			method: 'POST',
			url: '/account_groups',
			body: { a: 1 },
			headers: { 'Idempotency-Key': FIXED_UUID },
		});
		expect(headers).toMatchObject({
			accept: JSON_TYPE,
			authorization: 'Bearer ory_at_TOKEN',
			'content-type': JSON_TYPE,
			'idempotency-key': FIXED_UUID,
			'upvest-api-version': '1',
			'upvest-client-id': testClient.clientId,
			'upvest-signature-version': '15',
		});
		expect(verified.keyId).toBe(testClient.ed25519.keyId);
		// The same components in the same order as reference vector A (docs/signing.md).
		const documented = /"@signature-params": \(([^)]*)\)/.exec(vectors[0].base)?.[1];
		expect(verified.components?.map((name) => `"${name}"`).join(' ')).toBe(documented);
	});

	test('the caller’s own headers go along lower-cased; empty ones are dropped', () => {
		const { headers } = signVerified({
			method: 'GET',
			url: '/x',
			headers: { 'X-Trace': 't1', 'X-Count': 3, 'X-Undefined': undefined, 'X-Null': null },
		});
		expect(headers['x-trace']).toBe('t1');
		expect(headers['x-count']).toBe('3');
		expect(headers).not.toHaveProperty('x-undefined');
		expect(headers).not.toHaveProperty('x-null');
		expect(headers).not.toHaveProperty('X-Trace');
	});

	test('a caller’s spelling of a header the credential owns is replaced, never sent twice', () => {
		const { headers } = signVerified({
			method: 'POST',
			url: '/x',
			body: 'abc',
			headers: {
				Authorization: 'Bearer forged',
				'Upvest-Client-Id': 'someone-else',
				'Upvest-API-Version': '9',
				'Content-Length': '999',
				'Content-Digest': 'sha-512=:AAAA:',
				Signature: 'sig1=:AAAA:',
				'Signature-Input': 'sig1=()',
				'Upvest-Signature-Version': '6',
			},
		});
		expect(headers).toMatchObject({
			authorization: 'Bearer ory_at_TOKEN',
			'upvest-client-id': testClient.clientId,
			'upvest-api-version': '1',
			'content-length': '3',
			'upvest-signature-version': '15',
		});
		const names = Object.keys(headers).map((name) => name.toLowerCase());
		expect(new Set(names).size).toBe(names.length);
	});

	test('accept: a PDF when the caller asks for one, otherwise JSON', () => {
		const pdf = signVerified({ method: 'GET', url: '/x', headers: { Accept: 'application/pdf' } });
		expect(pdf.headers.accept).toBe('application/pdf');
		const pdfWithParams = sign({
			method: 'GET',
			url: '/x',
			headers: { accept: 'application/pdf;q=1' },
		});
		expect(pdfWithParams.headers?.accept).toBe('application/pdf');
		for (const accept of ['text/html', '*/*', 'image/png, application/pdf']) {
			expect(sign({ method: 'GET', url: '/x', headers: { accept } }).headers?.accept).toBe(
				JSON_TYPE,
			);
		}
	});

	test('the access token is trimmed; a missing or blank one is an error before signing', () => {
		const { headers } = signVerified(
			{ method: 'GET', url: '/x' },
			credential({ accessToken: '  ory_at_T  ' }),
		);
		expect(headers.authorization).toBe('Bearer ory_at_T');
		for (const accessToken of ['', '   ', undefined, 42]) {
			expect(() => sign({ method: 'GET', url: '/x' }, credential({ accessToken }))).toThrow(
				'The Upvest credential has no access token yet',
			);
		}
	});

	test('each signature is fresh: another nonce, created now, valid for 30 seconds', () => {
		const data = credential();
		const first = signVerified({ method: 'GET', url: '/x' }, data).verified.params;
		const second = signVerified({ method: 'GET', url: '/x' }, data).verified.params;
		expect(first?.nonce).not.toBe(second?.nonce);
		const now = Math.floor(Date.now() / 1000);
		expect(Math.abs((first?.created ?? 0) - now)).toBeLessThanOrEqual(1);
		expect((first?.expires ?? 0) - (first?.created ?? 0)).toBe(30);
	});
});

describe('the options n8n gets back', () => {
	test('the caller’s own options are kept; redirects are off', () => {
		const signed = sign({ method: 'GET', url: '/x', json: true, timeout: 5000 });
		expect(signed).toMatchObject({
			json: true,
			timeout: 5000,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
		expect(Object.keys(signed).sort()).toEqual(
			[
				'body',
				'disableFollowRedirect',
				'headers',
				'json',
				'method',
				'sendCredentialsOnCrossOriginRedirect',
				'timeout',
				'url',
			].sort(),
		);
	});

	test('request-library options (uri) get their redirect flags switched off as well', () => {
		const signed = sign({ method: 'GET', uri: `${BASE}/x`, followRedirect: true });
		expect(signed).toMatchObject({ followRedirect: false, followAllRedirects: false });
		const plain = sign({ method: 'GET', url: '/x', followRedirect: true });
		expect(plain.followRedirect).toBe(true);
		expect(plain).not.toHaveProperty('followAllRedirects');
	});
});

describe('the token endpoint', () => {
	test('a POST to it (the credential test) becomes the signed client-credentials request', () => {
		const { signed, headers, verified } = signVerified({
			method: 'POST',
			url: '/auth/token',
			headers: { authorization: 'Bearer x' },
			body: { anything: 1 },
		});
		expect(signed.url).toBe(`${BASE}/auth/token`);
		expect(signed.body).toBe(
			`client_id=${testClient.clientId}&client_secret=${encodeURIComponent(testClient.clientSecret).replace(/%20/g, '+')}&grant_type=client_credentials&scope=accounts%3Aread`,
		);
		expect(headers).not.toHaveProperty('authorization');
		expect(headers['content-type']).toBe(FORM_TYPE);
		expect(verified.components).not.toContain('authorization');
	});

	test('under a base URL with a path, the token path is below it', () => {
		const data = credential({ baseUrl: `${BASE}/prefix/` });
		const { signed, headers } = signVerified(
			{ method: 'POST', url: '/auth/token' },
			data,
			'/prefix/auth/token',
		);
		expect(signed.url).toBe(`${BASE}/prefix/auth/token`);
		expect(String(signed.body)).toContain('grant_type=client_credentials');
		expect(headers).not.toHaveProperty('authorization');
	});

	test('the token request needs no access token yet', () => {
		const { signed } = signVerified(
			{ method: 'POST', url: `${BASE}/auth/token` },
			credential({ accessToken: '' }),
		);
		expect(String(signed.body)).toContain('grant_type=client_credentials');
	});

	test('a GET of it, or a POST below it, is an ordinary signed request', () => {
		const { headers } = signVerified({ method: 'GET', url: '/auth/token' });
		expect(headers.authorization).toBe('Bearer ory_at_TOKEN');
		const below = signVerified({ method: 'POST', url: '/auth/token/revoke', body: { a: 1 } });
		expect(below.headers.authorization).toBe('Bearer ory_at_TOKEN');
		expect(bodyText(below.signed)).toBe('{"a":1}');
	});
});

describe('the credential fields', () => {
	test('a field changed in the same credential object is read again', () => {
		const data = credential();
		expect(signVerified({ method: 'GET', url: '/x' }, data).verified.keyId).toBe(
			testClient.ed25519.keyId,
		);
		Object.assign(data, {
			keyId: testClient.ecdsa.keyId,
			privateKey: testClient.ecdsa.privateKeyPem,
			passphrase: testClient.ecdsa.passphrase,
		});
		expect(signVerified({ method: 'GET', url: '/x' }, data).verified.keyId).toBe(
			testClient.ecdsa.keyId,
		);
		data.scopes = 'roles:read';
		expect(String(sign({ method: 'POST', url: '/auth/token' }, data).body)).toContain(
			'scope=roles%3Aread',
		);
		data.baseUrl = 'http://127.0.0.1:4011';
		expect(() => sign({ method: 'GET', url: `${BASE}/x` }, data)).toThrow('its own base URL');
	});

	test('each field alone is read again when it changes', () => {
		const data = credential();
		sign({ method: 'GET', url: '/x' }, data);
		data.clientId = '00000000-0000-4000-8000-000000000001';
		expect(sign({ method: 'GET', url: '/x' }, data).headers?.['upvest-client-id']).toBe(
			'00000000-0000-4000-8000-000000000001',
		);
		data.clientSecret = 'new secret';
		expect(String(sign({ method: 'POST', url: '/auth/token' }, data).body)).toContain(
			'client_secret=new+secret',
		);
		data.keyId = 'another-key-id';
		expect(sign({ method: 'GET', url: '/x' }, data).headers?.['signature-input']).toContain(
			';keyid="another-key-id";',
		);
		data.environment = 'live';
		expect(sign({ method: 'GET', url: '/x' }, data).url).toBe('https://api.upvest.co/x');
	});

	test('a new key, or a new passphrase, in the same credential object is read again', () => {
		const data = credential({
			keyId: testClient.ecdsa.keyId,
			privateKey: testClient.ecdsa.privateKeyPem,
			passphrase: testClient.ecdsa.passphrase,
		});
		signVerified({ method: 'GET', url: '/x' }, data);
		data.passphrase = 'wrong';
		expect(() => sign({ method: 'GET', url: '/x' }, data)).toThrow('Passphrase is wrong');
		data.passphrase = testClient.ecdsa.passphrase;
		signVerified({ method: 'GET', url: '/x' }, data);
		data.privateKey = 'not a key';
		expect(() => sign({ method: 'GET', url: '/x' }, data)).toThrow('not a PEM key');
	});

	test('every field changed at once is read again too', () => {
		const data = credential();
		sign({ method: 'GET', url: '/x' }, data);
		Object.assign(data, {
			environment: 'sandbox',
			baseUrl: 'http://unused.example',
			clientId: '00000000-0000-4000-8000-000000000002',
			clientSecret: 'other secret',
			keyId: testClient.ecdsa.keyId,
			privateKey: testClient.ecdsa.privateKeyPem,
			passphrase: testClient.ecdsa.passphrase,
			scopes: 'roles:read',
		});
		const signed = sign({ method: 'GET', url: '/x' }, data);
		expect(signed.url).toBe('https://sandbox.upvest.co/x');
		expect(signed.headers?.['upvest-client-id']).toBe('00000000-0000-4000-8000-000000000002');
	});

	test('the checked fields and parsed key are kept per credential object while it is unchanged', () => {
		const data = credential();
		const state = credentialState(data);
		expect(credentialState(data)).toBe(state);
		expect(credentialState({ ...data })).not.toBe(state);
		data.scopes = 'roles:read';
		expect(credentialState(data)).not.toBe(state);
	});

	test('validateCredentials returns the checked fields, or throws naming the field', () => {
		expect(validateCredentials(credential({ scopes: ' a:b,  c:d ' }))).toMatchObject({
			baseUrl: BASE,
			clientId: testClient.clientId,
			keyId: testClient.ed25519.keyId,
			scopes: 'a:b c:d',
		});
		expect(() => validateCredentials(credential({ privateKey: 'nope' }))).toThrow(
			'The Private Key is not a PEM key',
		);
	});
});
