import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isUuid } from './uuid';

export const UPVEST_CREDENTIAL_TYPE = 'upvestApi';

export const UPVEST_BASE_URLS = {
	sandbox: 'https://sandbox.upvest.co',
	live: 'https://api.upvest.co',
} as const;

export const DEFAULT_SCOPES = 'accounts:admin roles:admin';

export interface UpvestCredentials {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	keyId: string;
	privateKey: string;
	passphrase: string;
	scopes: string;
}

/** A credential the package cannot use; the message names the field and the fix, never a secret. */
export class UpvestCredentialError extends Error {
	name = 'UpvestCredentialError';

	description = 'Open the Upvest credential and fix the field the message names.';
}

function text(value: unknown): string {
	return typeof value === 'string'
		? value.trim()
		: value === undefined || value === null
			? ''
			: String(value).trim();
}

export function resolveBaseUrl(data: ICredentialDataDecryptedObject): string {
	const environment = text(data.environment) || 'sandbox';
	if (environment === 'sandbox' || environment === 'live') return UPVEST_BASE_URLS[environment];
	if (environment !== 'custom') {
		throw new UpvestCredentialError(
			`Environment "${environment}" is unknown: choose Sandbox, Live or Custom in the Upvest credential.`,
		);
	}
	const baseUrl = text(data.baseUrl).replace(/\/+$/, '');
	let parsed: URL | undefined;
	try {
		parsed = new URL(baseUrl);
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new UpvestCredentialError(
			`Base URL "${baseUrl}" is not an http(s) URL: enter it like https://sandbox.upvest.co or http://127.0.0.1:4010 in the Upvest credential.`,
		);
	}
	return baseUrl;
}

/** The scopes the token request asks for: the credential's list, or the defaults when it has none. */
export function requestedScopes(data: ICredentialDataDecryptedObject): string[] {
	const listed = text(data.scopes)
		.split(/[\s,]+/)
		.filter(Boolean);
	return listed.length > 0 ? listed : DEFAULT_SCOPES.split(' ');
}

export function readCredentials(data: ICredentialDataDecryptedObject): UpvestCredentials {
	const credentials: UpvestCredentials = {
		baseUrl: resolveBaseUrl(data),
		clientId: text(data.clientId),
		clientSecret: typeof data.clientSecret === 'string' ? data.clientSecret : '',
		keyId: text(data.keyId),
		privateKey: typeof data.privateKey === 'string' ? data.privateKey : '',
		passphrase: typeof data.passphrase === 'string' ? data.passphrase : '',
		scopes: requestedScopes(data).join(' '),
	};
	if (!isUuid(credentials.clientId)) {
		throw new UpvestCredentialError(
			'Client ID must be the UUID Upvest issued for your API client, e.g. 5ec16164-6173-461d-b90d-116d68f55b40.',
		);
	}
	if (credentials.clientSecret === '') {
		throw new UpvestCredentialError(
			'Client Secret is empty: enter the secret Upvest issued with the Client ID.',
		);
	}
	if (credentials.keyId === '') {
		throw new UpvestCredentialError(
			'Key ID is empty: enter the key ID Upvest issued when you registered the public key.',
		);
	}
	if (credentials.privateKey.trim() === '') {
		throw new UpvestCredentialError(
			'Private Key is empty: paste the PEM private key whose public key is registered with Upvest.',
		);
	}
	return credentials;
}
