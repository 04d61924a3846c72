/**
 * Secret-leak checks for node runs: everything a run produced (output items, the run data, the
 * error with its message, description, stack, context, cause and any other own property) is
 * serialized and searched for the credential's secrets and every access token in play.
 */
import type { CredentialStore } from './n8n-harness';
import type { SimulatorRecord } from './simulator';

export interface Secrets {
	clientSecret?: string;
	/** Private key PEMs: any 40-character slice of their base64 body counts as a leak. */
	privateKeyPems?: string[];
	/** Passphrases, including wrong ones a test typed into the credential. */
	passphrases?: string[];
	accessTokens?: string[];
}

/** Length of the base64 slices of a private key that must not appear anywhere. */
export const PEM_SLICE_LENGTH = 40;

const ERROR_FIELDS = [
	'name',
	'message',
	'description',
	'stack',
	'context',
	'cause',
	'errorResponse',
	'messages',
	'httpCode',
];

/**
 * Serializes anything to searchable text: errors with all their (also non-enumerable) fields,
 * Buffers as utf8 and base64, Maps, Sets, circular references cut.
 */
export function serializeForSearch(value: unknown): string {
	const seen = new WeakSet<object>();
	const parts: string[] = [];
	const walk = (node: unknown, depth: number): void => {
		if (depth > 40) return;
		if (node === null || node === undefined) return;
		if (typeof node === 'string') {
			parts.push(node);
			return;
		}
		if (typeof node === 'number' || typeof node === 'boolean' || typeof node === 'bigint') {
			parts.push(String(node));
			return;
		}
		if (typeof node === 'function' || typeof node === 'symbol') return;
		const object = node as object;
		if (seen.has(object)) return;
		seen.add(object);
		if (Buffer.isBuffer(object)) {
			parts.push(object.toString('utf8'), object.toString('base64'));
			return;
		}
		if (object instanceof Map) {
			for (const [key, entry] of object) {
				walk(key, depth + 1);
				walk(entry, depth + 1);
			}
			return;
		}
		if (object instanceof Set) {
			for (const entry of object) walk(entry, depth + 1);
			return;
		}
		const keys = new Set<string>(Object.getOwnPropertyNames(object));
		const looksLikeError = object instanceof Error || ('message' in object && 'stack' in object);
		if (looksLikeError) for (const field of ERROR_FIELDS) keys.add(field);
		for (const key of keys) {
			let entry: unknown;
			try {
				entry = (object as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			parts.push(key);
			walk(entry, depth + 1);
		}
		// Also what the object itself would put in a log line.
		try {
			const json = JSON.stringify(object);
			if (json !== undefined) parts.push(json);
		} catch {
			// circular: the walk above covered it
		}
	};
	walk(value, 0);
	return parts.join('\n');
}

/** The base64 body of a PEM (without the BEGIN/END lines and legacy encryption headers). */
export function pemBase64(pem: string): string {
	return pem
		.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
		.replace(/^(Proc-Type|DEK-Info):.*$/gm, '')
		.replace(/\s+/g, '');
}

/** Every needle that must not appear, with a label that names the secret but not its value. */
export function secretNeedles(secrets: Secrets): Array<{ label: string; needle: string }> {
	const needles: Array<{ label: string; needle: string }> = [];
	const add = (label: string, value: string | undefined) => {
		if (value === undefined || value === '') return;
		needles.push({ label, needle: value });
		const encoded = encodeURIComponent(value);
		if (encoded !== value) needles.push({ label: `${label} (url-encoded)`, needle: encoded });
	};
	add('client secret', secrets.clientSecret);
	(secrets.passphrases ?? []).forEach((passphrase, index) =>
		add(`passphrase #${index}`, passphrase),
	);
	(secrets.accessTokens ?? []).forEach((token, index) => add(`access token #${index}`, token));
	(secrets.privateKeyPems ?? []).forEach((pem, keyIndex) => {
		const body = pemBase64(pem);
		if (body.length < PEM_SLICE_LENGTH) {
			add(`private key #${keyIndex}`, body);
			return;
		}
		for (let offset = 0; offset + PEM_SLICE_LENGTH <= body.length; offset++) {
			needles.push({
				label: `private key #${keyIndex} (base64 at ${offset})`,
				needle: body.slice(offset, offset + PEM_SLICE_LENGTH),
			});
		}
	});
	return needles;
}

/** The labels of the secrets found in `value` ([] when clean). */
export function findSecrets(value: unknown, secrets: Secrets | string[]): string[] {
	const normalized: Secrets = Array.isArray(secrets) ? { passphrases: secrets } : secrets;
	const text = serializeForSearch(value);
	// PEM bodies wrap every 64 characters: search a copy without whitespace and escaped newlines too.
	const compact = text.replace(/\\[nr]/g, '').replace(/\s+/g, '');
	const found = new Set<string>();
	for (const { label, needle } of secretNeedles(normalized)) {
		if (text.includes(needle) || compact.includes(needle))
			found.add(label.replace(/ \(base64 at \d+\)$/, ''));
	}
	return [...found];
}

/** Fails the test (naming which secret leaked, never its value) when any secret appears in `value`. */
export function expectNoSecrets(value: unknown, secrets: Secrets | string[]): void {
	const normalized: Secrets = Array.isArray(secrets) ? { passphrases: secrets } : secrets;
	const needles = secretNeedles(normalized);
	if (needles.length === 0) throw new Error('expectNoSecrets: no secrets to look for');
	const leaked = findSecrets(value, normalized);
	if (leaked.length > 0) {
		throw new Error(`Secret leak: ${leaked.join(', ')} found in the checked output`);
	}
}

/** Every access token visible on the wire (authorization headers the simulator received). */
export function tokensFromRequests(records: SimulatorRecord[]): string[] {
	const tokens = new Set<string>();
	for (const record of records) {
		const match = /^Bearer +(\S+)$/i.exec(record.headers.authorization ?? '');
		if (match) tokens.add(match[1]);
	}
	return [...tokens];
}

/**
 * Remembers every access token a CredentialStore ever held (n8n persists each refreshed token
 * through updateCredentials), so tokens replaced later in a run are still searched for.
 */
export class TokenLog {
	readonly tokens = new Set<string>();

	watch<T extends CredentialStore>(store: T): T {
		const original = store.updateCredentials.bind(store);
		store.updateCredentials = async (...args: Parameters<CredentialStore['updateCredentials']>) => {
			const token = args[2]?.accessToken;
			if (typeof token === 'string' && token !== '') this.tokens.add(token);
			return await original(...args);
		};
		return store;
	}

	all(records: SimulatorRecord[] = []): string[] {
		return [...new Set([...this.tokens, ...tokensFromRequests(records)])];
	}
}
