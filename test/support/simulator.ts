/** Typed access to the simulator (plain JS) for the TypeScript tests. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator/server') as { startSimulator: (options?: object) => Promise<Simulator> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testClient } = require('../../simulator/fixtures') as { testClient: TestClient };

export interface TestClient {
	clientId: string;
	clientSecret: string;
	scopes: string;
	ecdsa: { keyId: string; passphrase: string; privateKeyPem: string; publicKeyPem: string };
	ed25519: { keyId: string; privateKeyPem: string; publicKeyPem: string };
}

export interface SimulatorRecord {
	seq: number;
	method: string;
	path: string;
	query: string;
	headers: Record<string, string>;
	body: string;
	status: number;
	tokenRequest: boolean;
	signature: { valid: boolean; error?: string; keyId?: string; components?: string[] };
	idempotencyKey?: string;
	replayed: boolean;
	fault?: string;
}

export interface Simulator {
	url: string;
	port: number;
	close(): Promise<void>;
	reset(): void;
	setFaults(faults: object[], seed?: number): void;
	setConfig(config: object): void;
	expireTokens(): void;
	state: { accountGroups: Array<Record<string, unknown>>; roles: Array<Record<string, unknown>>; tokensIssued: number };
	requests: SimulatorRecord[];
}

export { startSimulator, testClient };

export function credentialData(simulator: Simulator, key: 'ecdsa' | 'ed25519' = 'ecdsa') {
	return {
		environment: 'custom',
		baseUrl: simulator.url,
		clientId: testClient.clientId,
		clientSecret: testClient.clientSecret,
		keyId: testClient[key].keyId,
		privateKey: testClient[key].privateKeyPem,
		passphrase: key === 'ecdsa' ? testClient.ecdsa.passphrase : '',
		scopes: 'accounts:admin roles:admin',
		accessToken: '',
	};
}
