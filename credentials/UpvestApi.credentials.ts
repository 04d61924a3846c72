import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { fetchAccessToken } from '../nodes/Upvest/transport/accessToken';
import { signUpvestRequest, TOKEN_PATH } from '../nodes/Upvest/transport/authentication';
import { DEFAULT_SCOPES, UPVEST_BASE_URLS } from '../nodes/Upvest/transport/credentials';

export class UpvestApi implements ICredentialType {
	name = 'upvestApi';

	displayName = 'Upvest API';

	icon: Icon = { light: 'file:../icons/upvest.svg', dark: 'file:../icons/upvest.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-upvest/n8n-nodes-upvest#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: UPVEST_BASE_URLS.sandbox },
				{ name: 'Live', value: 'live', description: UPVEST_BASE_URLS.live },
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another base URL, such as the local Upvest simulator',
				},
			],
			default: 'sandbox',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'e.g. http://127.0.0.1:4010',
			description: 'Base URL of the Upvest API, without a trailing slash',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 5ec16164-6173-461d-b90d-116d68f55b40',
			description: 'The API client ID Upvest issued to you (a UUID)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The key ID Upvest issued when you registered the public half of your signing key',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 8 },
			default: '',
			required: true,
			placeholder: '-----BEGIN EC PRIVATE KEY-----',
			description:
				'PEM signing key: ECDSA P-521 (SEC1 or PKCS#8) or Ed25519 (PKCS#8). Requests are signed with it as Upvest requires.',
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Passphrase of the private key, if it is encrypted',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: DEFAULT_SCOPES,
			description:
				'Space-separated OAuth scopes to request; only scopes Upvest enabled for your API client. Creating and closing need accounts:admin and roles:admin (reading alone: accounts:read, roles:read); the Upvest Trigger needs webhooks:admin.',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await fetchAccessToken.call(this, credentials);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signUpvestRequest(credentials, requestOptions);
	}

	// A signed token request proves client ID, secret, key and key ID together.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{$credentials.environment === "custom" ? $credentials.baseUrl : $credentials.environment === "live" ? "${UPVEST_BASE_URLS.live}" : "${UPVEST_BASE_URLS.sandbox}"}}`,
			url: TOKEN_PATH,
			method: 'POST',
		},
	};
}
