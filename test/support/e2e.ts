/**
 * The setup most end-to-end files share: the n8n version under test (installed on first use), the
 * package built, one Upvest simulator in this process and one temporary n8n user folder with the
 * package linked as a community package, the credentials and workflows imported; all removed
 * again after the file.
 */
import { e2eEnv } from '../../scripts/e2e-env';
import {
	createInstance,
	ensureBuilt,
	ensureN8n,
	logger,
	n8nInstall,
} from '../../scripts/n8n-runtime';
import { startSimulator, type Simulator } from './simulator';

export const VERSION: string = e2eEnv.n8nVersion;
/** Names the n8n version and its Node in every describe, so a failure says where it happened. */
export const RUNS_ON = `n8n ${VERSION} on Node ${n8nInstall(VERSION).nodeVersion}`;
/** A cold n8n install takes several minutes on 2 cores. */
export const INSTALL_TIMEOUT = 20 * 60_000;

export type N8nInstance = ReturnType<typeof createInstance>;

export interface N8nSetup {
	readonly sim: Simulator;
	readonly n8n: N8nInstance;
}

/**
 * Registers beforeAll/afterAll for a file: `simulatorOptions` go to startSimulator, then the
 * credentials and workflows (built once the simulator's URL is known) are imported.
 */
export function useN8nWithSimulator(
	name: string,
	setup: {
		simulatorOptions?: object;
		credentials: (sim: Simulator) => object[];
		workflows?: (sim: Simulator) => object[];
	},
): N8nSetup {
	let sim: Simulator | undefined;
	let n8n: N8nInstance | undefined;

	beforeAll(async () => {
		const log = logger(`${name} ${VERSION}`);
		ensureN8n({ version: VERSION, log });
		if (e2eEnv.packageDir === undefined) ensureBuilt({ log });
		sim = await startSimulator({ port: 0, ...setup.simulatorOptions });
		n8n = createInstance({
			version: VERSION,
			name,
			temporary: true,
			packageDir: e2eEnv.packageDir,
			log,
		});
		await n8n.importCredentials(setup.credentials(sim));
		const workflows = setup.workflows?.(sim) ?? [];
		if (workflows.length > 0) await n8n.importWorkflow(workflows);
	}, INSTALL_TIMEOUT);

	afterAll(async () => {
		await n8n?.remove({ keep: e2eEnv.keepInstances });
		await sim?.close();
	}, 60_000);

	const ready = <T>(value: T | undefined, what: string): T => {
		if (value === undefined) throw new Error(`${what} did not start (see beforeAll)`);
		return value;
	};
	return {
		get sim() {
			return ready(sim, 'the simulator');
		},
		get n8n() {
			return ready(n8n, 'n8n');
		},
	};
}
