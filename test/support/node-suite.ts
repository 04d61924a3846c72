/**
 * What a node suite needs around the pooled simulator: a credential store for this test's own
 * API client, a way to run the Upvest node on items, the simulator's records by kind, and the
 * leak check every run ends with.
 *
 * Every test gets its own API client registered in the simulator (same fixture keys, fresh client
 * ID, secret and key ID): the node keeps fetched tokens per client for the whole process, and the
 * reset before each test revokes them.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeListSearchResult,
	INodeParameters,
} from 'n8n-workflow';

import {
	CredentialStore,
	runListSearch,
	runUpvestNode,
	type ListSearchMethod,
	type RunResult,
} from './n8n-harness';
import { SLOW_TEST_MS, customers, groupsByUser } from './node-builders';
import { expectNoSecrets, type Secrets } from './secrets';
import {
	credentialData,
	usePooledSimulator,
	type PooledSimulator,
	type Simulator,
	type SimulatorRecord,
} from './simulator';

export type SigningKey = 'ed25519' | 'ecdsa';

/** A simulator record with the fields the simulator sets on every request. */
export type NodeRecord = SimulatorRecord & { requestId: string; receivedAt: string };

export interface NodeSuite {
	readonly suite: PooledSimulator;
	/** The simulator of this file (`suite.sim`). */
	readonly sim: Simulator;
	/**
	 * A credential store for this test's client (Ed25519 by default: fast to sign and verify), with
	 * `changes` over its data.
	 */
	newStore(key?: SigningKey, changes?: IDataObject): CredentialStore;
	run(
		parameters: INodeParameters,
		items: IDataObject[],
		options?: { store?: CredentialStore; continueOnFail?: boolean },
	): Promise<RunResult>;
	/** A "From list" search of the editor, with this test's credential. */
	searchList(
		method: ListSearchMethod,
		store?: CredentialStore,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult>;
	/** The records of API calls (not token requests) in arrival order, from index `since` on. */
	apiRecords(since?: number): NodeRecord[];
	/** The token requests, from index `since` of all records on. */
	tokenRecords(since?: number): NodeRecord[];
	/**
	 * Nothing secret in the run data, the output items or the error: the client secret, the
	 * fixture keys and passphrase, every token issued, and `extra` (keys and passphrases a test
	 * typed into the credential).
	 */
	expectNoLeak(result: RunResult, extra?: Pick<Secrets, 'privateKeyPems' | 'passphrases'>): void;
}

export function useNodeSuite(poolSize: number): NodeSuite {
	const suite = usePooledSimulator(poolSize);
	// The first execution in a test file loads what n8n-core and the node require lazily: half a
	// second when idle, several on busy shared cores. One create with the fixture client here
	// keeps that out of the first test's time; the reset before each test clears what it left.
	beforeAll(async () => {
		const warmUp = await runUpvestNode({
			parameters: groupsByUser(),
			items: customers(1),
			credentials: new CredentialStore(credentialData(suite.sim, 'ed25519')),
		});
		expect(warmUp.error).toBeUndefined();
	}, SLOW_TEST_MS);
	const credentialFor = (key: SigningKey = 'ed25519') => ({
		...credentialData(suite.sim, key),
		clientId: suite.client.clientId,
		clientSecret: suite.client.clientSecret,
		keyId: key === 'ed25519' ? suite.client.ed25519KeyId : suite.client.ecdsaKeyId,
		scopes: 'accounts:admin roles:admin',
	});
	const newStore = (key: SigningKey = 'ed25519', changes: IDataObject = {}) =>
		suite.tokenLog.watch(
			new CredentialStore({ ...credentialFor(key), ...changes } as ICredentialDataDecryptedObject),
		);
	const records = (since: number) => suite.sim.requests.slice(since) as NodeRecord[];
	const apiRecords = (since = 0) => records(since).filter((record) => !record.tokenRequest);
	return {
		suite,
		get sim() {
			return suite.sim;
		},
		newStore,
		run: async (parameters, items, options = {}) =>
			await runUpvestNode({
				parameters,
				items,
				credentials: options.store ?? newStore(),
				continueOnFail: options.continueOnFail,
			}),
		searchList: async (method, store, filter, paginationToken) =>
			await runListSearch(method, store ?? newStore(), filter, paginationToken),
		apiRecords,
		tokenRecords: (since = 0) => records(since).filter((record) => record.tokenRequest),
		expectNoLeak(result, extra = {}) {
			const secrets = suite.secrets();
			// A run that reached Upvest carried a token: the search must know it, or it proves nothing.
			if (apiRecords().length > 0) expect(secrets.accessTokens.length).toBeGreaterThan(0);
			expectNoSecrets(
				{ run: result.run, items: result.items, error: result.error },
				{
					...secrets,
					privateKeyPems: [...secrets.privateKeyPems, ...(extra.privateKeyPems ?? [])],
					passphrases: [...secrets.passphrases, ...(extra.passphrases ?? [])],
				},
			);
		},
	};
}
