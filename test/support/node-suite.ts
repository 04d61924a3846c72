/**
 * What a node suite needs around the pooled simulator: a credential store for this test's own
 * API client, a way to run the Upvest node on items, the simulator's records by kind, and the
 * leak check every run ends with.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CredentialStore, runUpvestNode, type RunResult } from './n8n-harness';
import { expectNoSecrets } from './secrets';
import { credentialData, usePooledSimulator, type SimulatorRecord } from './simulator';

export interface NodeSuite {
	readonly suite: ReturnType<typeof usePooledSimulator>;
	/** A credential store for this test's client (Ed25519 by default: fast to verify). */
	newStore(key?: 'ed25519' | 'ecdsa'): CredentialStore;
	run(
		parameters: INodeParameters,
		items: IDataObject[],
		options?: { store?: CredentialStore; continueOnFail?: boolean },
	): Promise<RunResult>;
	/** The records of API calls (not token requests), in arrival order. */
	apiRecords(): SimulatorRecord[];
	tokenRecords(): SimulatorRecord[];
	/** Nothing secret in the run data, the output items or the error. */
	expectNoLeak(result: RunResult): void;
}

export function useNodeSuite(poolSize: number): NodeSuite {
	const suite = usePooledSimulator(poolSize);
	const newStore = (key: 'ed25519' | 'ecdsa' = 'ed25519') =>
		suite.tokenLog.watch(
			new CredentialStore({
				...credentialData(suite.sim, key),
				clientId: suite.client.clientId,
				clientSecret: suite.client.clientSecret,
				keyId: key === 'ed25519' ? suite.client.ed25519KeyId : suite.client.ecdsaKeyId,
				scopes: 'accounts:admin roles:admin',
			}),
		);
	return {
		suite,
		newStore,
		run: async (parameters, items, options = {}) =>
			await runUpvestNode({
				parameters,
				items,
				credentials: options.store ?? newStore(),
				continueOnFail: options.continueOnFail,
			}),
		apiRecords: () => suite.sim.requests.filter((record) => !record.tokenRequest),
		tokenRecords: () => suite.sim.requests.filter((record) => record.tokenRequest),
		expectNoLeak(result) {
			expect(suite.secrets().accessTokens.length).toBeGreaterThan(0);
			expectNoSecrets(
				{ run: result.run, items: result.items, error: result.error },
				suite.secrets(),
			);
		},
	};
}
