/**
 * Signs webhook deliveries the way Upvest's v6 signer does, written independently of the
 * trigger's verifier so the tests do not check the code against itself: headers, `@method`,
 * `@path`, `digest`; `name: value` lines; ECDSA P-521 SHA-512. Options bend each rule to
 * produce the deliveries a verifier must refuse.
 */
import {
	createHash,
	createPrivateKey,
	generateKeyPairSync,
	sign,
	type KeyObject,
} from 'node:crypto';

import vector from './webhook-vector.json';

export interface DeliveryToSign {
	signer: KeyObject;
	keyId: string;
	body: string;
	path?: string;
	query?: string;
	method?: string;
	created: number;
	expires?: number;
	nonce?: string;
	/** Covered names in order; default: content-type, @method, @path, digest (and @query with a query). */
	components?: string[];
	/** v15: quoted names, content-digest SHA-512 and `upvest-signature-version: 15`. */
	v15?: boolean;
	/** Quote the names in the base while claiming v6 (a verifier must refuse it). */
	quoteNames?: boolean;
	/** Raw r||s instead of DER. */
	raw?: boolean;
	/** Extra headers; a `digest` or `content-digest` given here is sent and signed as it is. */
	headers?: Record<string, string>;
	/** Values of derived components (`@authority`, `@target-uri` …) as the test states them. */
	derived?: Record<string, string>;
}

export interface SignedDelivery {
	method: string;
	headers: Record<string, string>;
	body: Buffer;
	base: string;
}

/** The vector's private key: d = SHA-512 of the seed, with the vector's public point. */
export function vectorSigner(): KeyObject {
	const scalar = Buffer.concat([
		Buffer.alloc(2),
		createHash('sha512').update(vector.testScalarSeed).digest(),
	]);
	const [jwk] = vector.jwks.keys;
	return createPrivateKey({
		key: { kty: 'EC', crv: 'P-521', x: jwk.x, y: jwk.y, d: scalar.toString('base64url') },
		format: 'jwk',
	});
}

/** A fresh P-521 pair, with its public half as a JWKS entry. */
export function newSigner(kid: string) {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
	const jwk = publicKey.export({ format: 'jwk' });
	return { signer: privateKey, jwk: { kid, kty: 'EC', crv: 'P-521', x: jwk.x, y: jwk.y } };
}

export function signDelivery(delivery: DeliveryToSign): SignedDelivery {
	const method = delivery.method ?? 'POST';
	const body = Buffer.from(delivery.body, 'utf8');
	const query = delivery.query ?? '';
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'content-length': String(body.length),
		...delivery.headers,
	};
	const digestName = delivery.v15 ? 'content-digest' : 'digest';
	// The body's digest, unless the test gives the header (and signs what it gave).
	if (delivery.v15) {
		headers['content-digest'] ??= `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
	} else {
		headers.digest ??= `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
	}
	const components = delivery.components ?? [
		'content-type',
		'@method',
		'@path',
		...(query ? ['@query'] : []),
		digestName,
	];
	const values: Record<string, string> = {
		'@method': method,
		'@path': delivery.path ?? '/webhooks/upvest',
		'@query': `?${query}`,
		...delivery.derived,
	};
	let params = `(${components.map((name) => `"${name}"`).join(' ')});keyid="${delivery.keyId}";created=${delivery.created}`;
	if (delivery.nonce !== undefined) params += `;nonce="${delivery.nonce}"`;
	if (delivery.expires !== undefined) params += `;expires=${delivery.expires}`;
	const quote = delivery.v15 || delivery.quoteNames ? (name: string) => `"${name}"` : String;
	const lines = components.map((name) => `${quote(name)}: ${values[name] ?? headers[name]}`);
	lines.push(`${quote('@signature-params')}: ${params}`);
	const base = lines.join('\n');
	const signature = sign('sha512', Buffer.from(base), {
		key: delivery.signer,
		dsaEncoding: delivery.raw ? 'ieee-p1363' : 'der',
	});
	headers['signature-input'] = `sig1=${params}`;
	headers.signature = `sig1=:${signature.toString('base64')}:`;
	if (delivery.v15) headers['upvest-signature-version'] = '15';
	return { method, headers, body, base };
}
