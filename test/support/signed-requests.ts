/**
 * Checks what the credential's authenticate (or the token request) produced with the simulator's
 * independent verifier (simulator/verify.js), as Upvest would receive it: the URL's path and
 * query, the headers sent, the body bytes. Keys: the test client's P-521 and Ed25519 keys.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { testClient } from '../../simulator/fixtures';
import { verifyRequest } from '../../simulator/verify';

export interface VerifiedRequest {
	valid: boolean;
	error?: string;
	keyId?: string;
	components?: string[];
	params?: { keyid: string; created: number; expires: number; nonce: string };
}

/** `tokenPath`: where the token endpoint is, for a base URL with a path (default `/auth/token`). */
export function verifyOutgoing(
	options: IHttpRequestOptions & { uri?: string },
	{ tokenPath }: { tokenPath?: string } = {},
): VerifiedRequest {
	const url = new URL(options.uri ?? options.url);
	const headers = Object.fromEntries(
		Object.entries(options.headers ?? {}).map(([name, value]) => [
			name.toLowerCase(),
			String(value),
		]),
	);
	const body =
		options.body === undefined
			? undefined
			: Buffer.isBuffer(options.body)
				? options.body
				: Buffer.from(String(options.body));
	return verifyRequest(
		{
			// n8n's request helper sends GET when no method is set.
			method: options.method ?? 'GET',
			path: url.pathname,
			query: url.search ? url.search.slice(1) : null,
			headers,
			body,
		},
		{
			keys: {
				[testClient.ecdsa.keyId]: { publicKeys: [testClient.ecdsa.publicKeyPem] },
				[testClient.ed25519.keyId]: { publicKeys: [testClient.ed25519.publicKeyPem] },
			},
			tokenPath,
		},
	) as VerifiedRequest;
}
