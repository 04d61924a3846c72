import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';

import { UpvestCredentialError } from './credentials';
import type { SigningAlgorithm, SigningKey } from './signature';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * Restores PEM line breaks that were lost when the key was pasted: n8n fields, environment
 * variables and JSON often carry `\n` escapes or turn newlines into spaces.
 */
export function normalizePem(raw: string): string {
	const text = raw.replace(/\\n/g, '\n').replace(/\r/g, '').trim();
	const match = PEM_BLOCK.exec(text);
	if (!match) return text;
	const [, label, inner] = match;
	// Legacy encrypted PEM carries two header lines; they survive even when newlines did not.
	const headers = ['Proc-Type', 'DEK-Info']
		.map((name) => new RegExp(`${name}:\\s*(\\S+)`).exec(inner))
		.filter((found): found is RegExpExecArray => found !== null);
	let base64 = inner;
	for (const found of headers) base64 = base64.replace(found[0], '');
	const body = base64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
	const headerBlock =
		headers.length > 0
			? `${headers.map((found) => found[0].replace(/:\s*/, ': ')).join('\n')}\n\n`
			: '';
	return `-----BEGIN ${label}-----\n${headerBlock}${body.join('\n')}\n-----END ${label}-----\n`;
}

function describeKey(key: KeyObject): SigningAlgorithm {
	if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
	if (key.asymmetricKeyType === 'ec') {
		const curve = key.asymmetricKeyDetails?.namedCurve;
		if (curve === 'secp521r1') return 'ecdsa-p521-sha512';
		throw new UpvestCredentialError(
			`The Private Key is an ECDSA key on curve ${curve ?? 'unknown'}, but Upvest accepts ECDSA only on P-521 (secp521r1). Generate a P-521 key with "openssl ecparam -genkey -name secp521r1" and register its public key with Upvest.`,
		);
	}
	throw new UpvestCredentialError(
		`The Private Key is an ${String(key.asymmetricKeyType).toUpperCase()} key, but Upvest accepts only ECDSA P-521 or Ed25519 keys. Generate a P-521 key with "openssl ecparam -genkey -name secp521r1" and register its public key with Upvest.`,
	);
}

export function parseSigningKey(pem: string, passphrase: string, keyId: string): SigningKey {
	const text = normalizePem(pem);
	if (!PEM_BLOCK.test(text)) {
		throw new UpvestCredentialError(
			'The Private Key is not a PEM key: paste the whole file, including the "-----BEGIN ... PRIVATE KEY-----" and "-----END ... PRIVATE KEY-----" lines.',
		);
	}
	if (/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(text)) {
		throw new UpvestCredentialError(
			'The Private Key field holds a public key or certificate: paste the private key; Upvest keeps the public one.',
		);
	}
	const encrypted = /ENCRYPTED/.test(text);
	if (encrypted && passphrase === '') {
		throw new UpvestCredentialError(
			'The Private Key is encrypted: enter its passphrase in the Passphrase field.',
		);
	}
	let key: KeyObject | undefined;
	try {
		key = createPrivateKey({
			key: text,
			format: 'pem',
			passphrase: encrypted ? passphrase : undefined,
		});
	} catch {
		key = undefined;
	}
	if (key === undefined) {
		throw new UpvestCredentialError(
			encrypted
				? 'Could not decrypt the Private Key: the Passphrase is wrong.'
				: 'The Private Key could not be read: paste an unmodified PEM file (EC P-521 or Ed25519, SEC1 or PKCS#8).',
		);
	}
	return { keyId: keyId.trim(), key, algorithm: describeKey(key) };
}

/** Parsed keys by a digest of their inputs, so each key is parsed once, not once per request. */
const parsedKeys = new Map<string, SigningKey>();
const MAX_CACHED_KEYS = 16;

export function getSigningKey(pem: string, passphrase: string, keyId: string): SigningKey {
	const cacheKey = createHash('sha256')
		.update(pem)
		.update('\0')
		.update(passphrase)
		.update('\0')
		.update(keyId)
		.digest('base64');
	let signingKey = parsedKeys.get(cacheKey);
	if (signingKey === undefined) {
		signingKey = parseSigningKey(pem, passphrase, keyId);
		if (parsedKeys.size >= MAX_CACHED_KEYS)
			parsedKeys.delete(parsedKeys.keys().next().value as string);
		parsedKeys.set(cacheKey, signingKey);
	}
	return signingKey;
}
