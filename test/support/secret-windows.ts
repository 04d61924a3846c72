/**
 * Searching everything an n8n instance wrote (megabytes of CLI output, log files, database rows)
 * for secrets: exact strings (client secret, passphrase, access tokens) and every 20-character
 * window of the private keys and of the tokens, so a part of a secret counts as a leak too. Hits
 * name the secret and where it was found, never its value.
 */
import { createPrivateKey } from 'node:crypto';

import { pemBase64 } from './secrets';
import { testClient } from './simulator';

export const WINDOW = 20;
/** Runs of base64, base64url and hex characters: where secrets and key material can hide. */
const RUN = /[A-Za-z0-9+/=_-]{20,}/g;

export interface Haystack {
	name: string;
	/** latin1 for files, so every byte is one character. */
	text: string;
}

export interface Needles {
	/** [label, value]: searched as whole strings. */
	exact: Array<[string, string]>;
	/** 20-character window → label of the secret it belongs to. */
	windows: Map<string, string>;
}

function addWindows(windows: Map<string, string>, text: string, label: string) {
	for (let i = 0; i + WINDOW <= text.length; i++) windows.set(text.slice(i, i + WINDOW), label);
}

/**
 * A 40-character slice of a PEM's base64 either lies in one line or spans a line break, escaped
 * or not; both ways it holds 20 characters in a row of the joined base64, which is what the
 * windows cover. The ECDSA key is also covered decrypted (PKCS#8, SEC1, its private scalar).
 */
function addKeyWindows(windows: Map<string, string>) {
	const ecdsa = createPrivateKey({
		key: testClient.ecdsa.privateKeyPem,
		passphrase: testClient.ecdsa.passphrase,
	});
	const pems: Array<[string, string]> = [
		[
			'ECDSA private key (encrypted PEM, as stored in the credential)',
			testClient.ecdsa.privateKeyPem,
		],
		[
			'ECDSA private key (PKCS#8, decrypted)',
			String(ecdsa.export({ type: 'pkcs8', format: 'pem' })),
		],
		['ECDSA private key (SEC1, decrypted)', String(ecdsa.export({ type: 'sec1', format: 'pem' }))],
		['Ed25519 private key (PKCS#8)', testClient.ed25519.privateKeyPem],
	];
	for (const [label, pem] of pems) addWindows(windows, pemBase64(pem), label);
	const scalar = String(ecdsa.export({ format: 'jwk' }).d);
	addWindows(windows, scalar, 'ECDSA private scalar (base64url)');
	addWindows(
		windows,
		Buffer.from(scalar, 'base64url').toString('hex'),
		'ECDSA private scalar (hex)',
	);
}

/** What must not appear: the fixture client's secret, passphrase and keys, and these tokens. */
export function needlesFor(accessTokens: string[]): Needles {
	const exact: Array<[string, string]> = [
		['client secret', testClient.clientSecret],
		['key passphrase', testClient.ecdsa.passphrase],
	];
	const windows = new Map<string, string>();
	addKeyWindows(windows);
	addWindows(windows, testClient.clientSecret, 'client secret (part)');
	accessTokens.forEach((value, i) => {
		const bare = value.replace(/^ory_at_/, '');
		exact.push(
			[`access token #${i + 1}`, value],
			[`access token #${i + 1} (without prefix)`, bare],
		);
		addWindows(windows, bare, `access token #${i + 1} (part)`);
	});
	return { exact, windows };
}

/**
 * Up to 40 characters either side of a hit, with the hit replaced by its label and any longer run
 * of base64 characters next to it elided (it may be the rest of the secret).
 */
function around(text: string, at: number, length: number, label: string): string {
	const elide = (part: string) => part.replace(/[A-Za-z0-9+/=_-]{8,}/g, '…');
	const before = elide(text.slice(Math.max(0, at - 40), at));
	const after = elide(text.slice(at + length, at + length + 40));
	return JSON.stringify(`${before}<${label}>${after}`);
}

/** Every hit as "<secret> in <haystack> at <offset>: <context>"; [] when clean. */
export function scanForSecrets(haystacks: Haystack[], needles: Needles): string[] {
	const hits: string[] = [];
	for (const { name, text } of haystacks) {
		for (const [label, value] of needles.exact) {
			const at = text.indexOf(value);
			if (at !== -1) {
				hits.push(`${label} in ${name} at ${at}: ${around(text, at, value.length, label)}`);
			}
		}
		for (const match of text.matchAll(RUN)) {
			const run = match[0];
			for (let i = 0; i + WINDOW <= run.length; i++) {
				const label = needles.windows.get(run.slice(i, i + WINDOW));
				if (label === undefined) continue;
				const at = (match.index ?? 0) + i;
				hits.push(`${label} in ${name} at ${at}: ${around(text, at, WINDOW, label)}`);
				break;
			}
		}
	}
	return hits;
}

/** The labels of the secrets `scanForSecrets` finds in one text (for the positive controls). */
export function labelsFound(text: string, needles: Needles): string[] {
	return scanForSecrets([{ name: 'control', text }], needles).map((hit) =>
		hit.slice(0, hit.indexOf(' in control at ')),
	);
}
