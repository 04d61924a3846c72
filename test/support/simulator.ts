/** Typed access to the simulator (plain JS) for the TypeScript tests. */
import { randomBytes, randomUUID } from 'node:crypto';

import { TokenLog, type Secrets } from './secrets';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator/server') as {
	startSimulator: (options?: object) => Promise<Simulator>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testClient, defaultClients } = require('../../simulator/fixtures') as {
	testClient: TestClient;
	defaultClients: () => object[];
};

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
	/** Order in which the answer was sent; absent when none was (dropped connection). */
	answeredSeq?: number;
}

/** Seed spec of one resource for `seed()` (POST /__simulator/seed); see docs/simulator.md. */
export interface SeedSpec {
	count: number;
	createdFrom?: string;
	spacingMs?: number;
	status?: string;
	userId?: string;
	businessId?: string;
	type?: string;
	entityType?: 'ACCOUNT_GROUP' | 'BUSINESS';
	entityId?: string;
	roleType?: string;
	accountGroupId?: string;
}

export type Resource = Record<string, unknown> & { id: string; status: string };

/** A webhook event as delivered (`webhook_id` set) or emitted. */
export interface WebhookEvent {
	id: string;
	created_at: string;
	type: string;
	object: Record<string, unknown>;
	webhook_id?: string;
}

export type InjectionKind =
	| 'forged'
	| 'unknown-key'
	| 'tampered'
	| 'stale'
	| 'future'
	| 'replayed'
	| 'duplicate'
	| 'missing-headers'
	| 'unsigned-digest';

/** One delivery attempt (GET /__simulator/deliveries). */
export interface DeliveryRecord {
	seq: number;
	webhookId: string;
	url: string;
	attempt: number;
	eventIds: string[];
	eventTypes: string[];
	/** The receiver's status; null while waiting or after a connection error or timeout. */
	status: number | null;
	error?: string;
	/** The receiver's answer body. */
	answer?: string;
	injected: boolean;
	kind?: InjectionKind;
	startedAt: string;
	finishedAt?: string;
	headers: Record<string, string>;
	body: string;
}

/** What the receiver answered an injected delivery. */
export interface InjectionResult {
	kind: InjectionKind;
	webhookId: string;
	eventIds: string[];
	delivery: number;
	status?: number;
	body?: string;
	error?: string;
}

export interface WebhookKeys {
	/** The kid signing deliveries now. */
	kid: string;
	keys: Array<{ kid: string; kty: 'EC'; crv: 'P-521'; x: string; y: string }>;
}

export interface Simulator {
	url: string;
	port: number;
	close(): Promise<void>;
	reset(): void;
	setFaults(faults: object[], seed?: number): void;
	setConfig(config: object): void;
	expireTokens(): void;
	/** Inserts resources directly (no events, no status timers); answers their ids. */
	seed(
		spec: Partial<
			Record<'users' | 'businesses' | 'accountGroups' | 'accounts' | 'roles', SeedSpec>
		>,
	): Record<'users' | 'businesses' | 'accountGroups' | 'accounts' | 'roles', string[]>;
	/** Moves a resource (or a check) to a status now, with the webhook event and what follows. */
	setStatus(
		change: Partial<
			Record<
				'accountGroupId' | 'roleId' | 'userId' | 'accountId' | 'businessId' | 'checkId',
				string
			>
		> & { status: string },
	): Resource;
	/** Emits an event to every subscription whose categories take it. */
	emitEvent(
		type: string,
		object: Record<string, unknown>,
	): { event: WebhookEvent; webhookIds: string[] };
	/** One extra delivery to a subscription's URL (see docs/simulator.md, Injections). */
	inject(spec: {
		webhookId: string;
		kind: InjectionKind;
		type?: string;
		object?: Record<string, unknown>;
	}): Promise<InjectionResult>;
	webhookKeys(): WebhookKeys;
	/** A new signing key; older keys stay published unless `dropOld`. */
	rotateWebhookKey(options?: { dropOld?: boolean }): WebhookKeys;
	config: Record<string, unknown>;
	state: {
		users: Resource[];
		userChecks: Resource[];
		identifiers: Resource[];
		taxResidencies: Record<string, Resource>;
		businesses: Resource[];
		businessChecks: Resource[];
		accountGroups: Resource[];
		accounts: Resource[];
		roles: Resource[];
		tokensIssued: number;
		webhooks: Array<Record<string, unknown> & { id: string; url: string; enabled: boolean }>;
		events: Array<WebhookEvent & { webhook_ids: string[] }>;
	};
	requests: SimulatorRecord[];
	deliveries: DeliveryRecord[];
}

export { startSimulator, testClient };

/** The seq of the newest request record, 0 before any: what an action causes has a larger one. */
export function lastSeq(simulator: Pick<Simulator, 'requests'>): number {
	const { requests } = simulator;
	return requests.length === 0 ? 0 : requests[requests.length - 1].seq;
}

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

export interface PoolClient {
	clientId: string;
	clientSecret: string;
	ed25519KeyId: string;
	ecdsaKeyId: string;
}

/**
 * API clients for one test file, one per test, all using the fixture keys. The node keeps fetched
 * tokens per client for the whole process, so a fresh client keeps a test clear of tokens that an
 * earlier test's `sim.reset()` revoked.
 */
function newClientPool(size: number): PoolClient[] {
	return Array.from({ length: size }, () => ({
		clientId: randomUUID(),
		clientSecret: `sim_pool_${randomBytes(24).toString('base64url')}`,
		ed25519KeyId: randomUUID(),
		ecdsaKeyId: randomUUID(),
	}));
}

/** The simulator's client registrations: the fixture clients plus a pool. */
function simulatorClients(pool: PoolClient[]): object[] {
	return [
		...defaultClients(),
		...pool.map((entry) => ({
			clientId: entry.clientId,
			clientSecret: entry.clientSecret,
			scopes: testClient.scopes,
			keys: [
				{ keyId: entry.ed25519KeyId, publicKeyPem: testClient.ed25519.publicKeyPem },
				{ keyId: entry.ecdsaKeyId, publicKeyPem: testClient.ecdsa.publicKeyPem },
			],
		})),
	];
}

export interface PooledSimulator {
	/** One simulator for the test file, reset before each test. */
	readonly sim: Simulator;
	/** This test's own API client from the pool. */
	readonly client: PoolClient;
	/** Tokens this test's credential stores received. */
	readonly tokenLog: TokenLog;
	/** What no run of this test may show: its client secret, the fixture keys and passphrase, every token issued. */
	secrets(): Required<Secrets>;
}

/**
 * Registers the jest hooks of a node suite: one simulator with `poolSize` pool clients for the
 * file, and before each test a reset, no latency, no reference checks, a fresh client and token log.
 * Statuses do not change by themselves (activationDelayMs, closeDelayMs and checkDelayMs are null), so what a
 * test compares does not depend on how fast it ran; move them with `sim.setStatus()` or set the
 * delays with `sim.setConfig()`.
 */
export function usePooledSimulator(poolSize: number): PooledSimulator {
	const pool = newClientPool(poolSize);
	let nextClient = 0;
	let sim: Simulator | undefined;
	let client: PoolClient | undefined;
	let tokenLog: TokenLog | undefined;

	beforeAll(async () => {
		sim = await startSimulator({ clients: simulatorClients(pool) });
	});
	afterAll(async () => sim?.close());
	beforeEach(() => {
		sim?.reset();
		sim?.setConfig({
			latencyMs: 0,
			checkReferences: false,
			activationDelayMs: null,
			closeDelayMs: null,
			checkDelayMs: null,
			checkOutcome: 'PASSED',
		});
		tokenLog = new TokenLog();
		client = pool[nextClient++];
		if (client === undefined) throw new Error('client pool exhausted: raise the pool size');
	});

	const ready = <T>(value: T | undefined, what: string): T => {
		if (value === undefined) throw new Error(`${what} is only there inside a test`);
		return value;
	};
	return {
		get sim() {
			return ready(sim, 'the simulator');
		},
		get client() {
			return ready(client, 'the pool client');
		},
		get tokenLog() {
			return ready(tokenLog, 'the token log');
		},
		secrets() {
			return {
				clientSecret: this.client.clientSecret,
				privateKeyPems: [testClient.ed25519.privateKeyPem, testClient.ecdsa.privateKeyPem],
				passphrases: [testClient.ecdsa.passphrase],
				accessTokens: this.tokenLog.all(this.sim.requests),
			};
		},
	};
}
