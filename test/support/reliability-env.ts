/**
 * One reliability test's own world: an Upvest simulator in this process (a free 127.0.0.1 port;
 * statuses do not move by themselves, so outputs compare with the stored resources), a fresh n8n
 * user folder with a private copy of the built package, and the test's own credentials and
 * workflows. Nothing is shared between tests, so they pass alone and in any order.
 */
import { sleep } from 'n8n-workflow';

import { e2eEnv } from '../../scripts/e2e-env';
import { recordFigures } from '../../scripts/figures';
import {
	createInstance,
	credentialFor,
	ensureBuilt,
	ensureN8n,
	httpJson,
	logger,
	n8nInstall,
	nodeOutput,
} from '../../scripts/n8n-runtime';
import { snapshotPackage } from '../../scripts/package-snapshot';
import { keepExecution, type ExecuteResult, type RunJson } from './cli-run';
import { SignatureChecker, type WireRecord } from './reliability-records';
import { lastSeq, startSimulator, type Simulator } from './simulator';

export type Json = Record<string, unknown>;
export type Instance = ReturnType<typeof createInstance>;

export const VERSION = e2eEnv.n8nVersion;
/** A cold n8n install takes up to about 10 min on 2 busy cores. */
export const INSTALL_TIMEOUT = 20 * 60_000;
export const EXECUTE_TIMEOUT = 240_000;
/** Simulator, user folder, package copy, two n8n import commands, and the clean-up. */
export const SETUP_TIMEOUT = 180_000;

export interface CredentialRef {
	id: string;
	name: string;
}

export interface OutputItem {
	json: Json;
	pairedItem?: unknown;
}

export interface Execution extends ExecuteResult {
	workflowId: string;
	/** The simulator records this execution caused. */
	records: WireRecord[];
}

/** Runs alongside an execution: `since` is the last record before it, `ended` says when it is over. */
type During = (since: number, ended: () => boolean) => Promise<unknown>;

export interface EnvOptions {
	/** Names the user folder and the artifacts folder. */
	name: string;
	credentials: CredentialRef[];
	workflows: Json[];
	/** n8n logs at debug level to its console and to files under <user folder>/.n8n/logs. */
	debugLogs?: boolean;
}

/**
 * A file's tests, in a describe that names the n8n version and Node they run on, after n8n is
 * installed and the package built when needed (both only once per machine and change).
 */
export function describeOnN8n(body: () => void): void {
	beforeAll(() => {
		const log = logger(`reliability ${VERSION}`);
		ensureN8n({ version: VERSION, log });
		if (e2eEnv.packageDir === undefined) ensureBuilt({ log });
	}, INSTALL_TIMEOUT);
	describe(`n8n ${VERSION} on Node ${n8nInstall(VERSION).nodeVersion}`, body);
}

/** A test with its own environment (see EnvOptions), given time for `executions` executions. */
export function testInOwnEnv(
	name: string,
	options: EnvOptions & { executions: number },
	body: (env: ReliabilityEnv) => Promise<void>,
): void {
	test(
		name,
		async () => await ReliabilityEnv.with(options, body),
		SETUP_TIMEOUT + options.executions * EXECUTE_TIMEOUT,
	);
}

/** Writes one section of test-artifacts/reliability.json (and prints it). */
export function reportFigures(section: string, data: Json): void {
	recordFigures('reliability.json', section, data, { n8nVersion: VERSION });
}

/** Polls until `condition` holds, then runs `action` once; false when the execution ended first. */
export async function whenSeen(
	ended: () => boolean,
	condition: () => boolean,
	action: () => void,
): Promise<boolean> {
	while (!ended()) {
		if (condition()) {
			action();
			return true;
		}
		await sleep(2);
	}
	return false;
}

export class ReliabilityEnv {
	readonly executions: Execution[] = [];
	readonly signatures = new SignatureChecker();

	private constructor(
		readonly sim: Simulator,
		readonly n8n: Instance,
		private readonly removePackageCopy: () => void,
	) {}

	/** Starts the simulator and the n8n user folder and imports the credentials and workflows. */
	static async start(options: EnvOptions): Promise<ReliabilityEnv> {
		const log = logger(`reliability ${options.name}`);
		const sim = await startSimulator({ port: 0, activationDelayMs: null, closeDelayMs: null });
		let env: ReliabilityEnv | undefined;
		let removePackageCopy = () => {};
		let ready = false;
		try {
			let packageDir = e2eEnv.packageDir;
			if (packageDir === undefined) {
				const copy = await snapshotPackage({ name: `reliability-${options.name}-package`, log });
				packageDir = copy.dir;
				removePackageCopy = copy.remove;
			}
			const n8n = createInstance({
				version: VERSION,
				name: `reliability-${options.name}`,
				temporary: true,
				packageDir,
				log,
				env: options.debugLogs ? { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file' } : {},
			});
			env = new ReliabilityEnv(sim, n8n, removePackageCopy);
			await n8n.importCredentials(
				options.credentials.map((credential) => credentialFor(sim.url, 'ecdsa', credential)),
			);
			await n8n.importWorkflow(options.workflows);
			ready = true;
			return env;
		} finally {
			if (!ready) {
				if (env !== undefined) await env.close();
				else {
					removePackageCopy();
					await sim.close();
				}
			}
		}
	}

	/** Starts an environment, hands it to `body`, and always removes it afterwards. */
	static async with<T>(options: EnvOptions, body: (env: ReliabilityEnv) => Promise<T>): Promise<T> {
		const env = await ReliabilityEnv.start(options);
		try {
			return await body(env);
		} finally {
			await env.close();
		}
	}

	/** The user folder's name, which also names this environment's artifacts. */
	get name(): string {
		return this.n8n.dir.split('/').pop() ?? 'reliability';
	}

	/** How many requests to `path` arrived after record `since`. */
	countSince(since: number, path: string): number {
		return this.sim.requests.filter((record) => record.seq > since && record.path === path).length;
	}

	/**
	 * `n8n execute` of one workflow. Throws unless it ended as `expect` says ('success': exit 0 and
	 * no run error; 'failure': a non-zero exit). `during` runs alongside, e.g. to change the
	 * simulator once enough requests arrived. The CLI output and the records are kept under
	 * test-artifacts/reliability/<user folder>/.
	 */
	async execute(
		workflowId: string,
		{ during, expect = 'success' }: { during?: During; expect?: 'success' | 'failure' } = {},
	): Promise<Execution> {
		const since = lastSeq(this.sim);
		let ended = false;
		const side = during?.(since, () => ended) ?? Promise.resolve();
		const result = await this.n8n
			.execute(workflowId, { timeoutMs: EXECUTE_TIMEOUT })
			.finally(() => {
				ended = true;
			});
		await side;
		const records = (this.sim.requests as unknown as WireRecord[]).filter((r) => r.seq > since);
		const execution: Execution = {
			workflowId,
			exitCode: result.exitCode,
			run: result.run as RunJson | undefined,
			error: result.error,
			stdout: result.stdout,
			stderr: result.stderr,
			ms: result.ms,
			records,
		};
		this.executions.push(execution);
		keepExecution(
			`reliability/${this.name}/${this.executions.length}-${workflowId}`,
			result,
			records,
		);

		const failed = result.exitCode !== 0 || execution.run?.data?.resultData?.error !== undefined;
		if (expect === 'success' && !failed && execution.run !== undefined) return execution;
		if (expect === 'failure' && result.exitCode !== 0) return execution;
		const printed = execution.run === undefined ? ', printed no run data' : '';
		throw new Error(
			`${workflowId} was expected to end in ${expect} but exited ${result.exitCode}${printed}: ${execution.error ?? ''}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}

	/** How often each configured fault was applied, in the order given to setFaults. */
	async appliedFaults(): Promise<number[]> {
		const answer = await httpJson(`${this.sim.url}/__simulator/faults`);
		return (answer.json as { faults: Array<{ applied: number }> }).faults.map((f) => f.applied);
	}

	/** Stops the simulator and removes the user folder and the package copy (kept with UPVEST_E2E_KEEP). */
	async close(): Promise<void> {
		await this.n8n.remove({ keep: e2eEnv.keepInstances });
		if (!e2eEnv.keepInstances) this.removePackageCopy();
		await this.sim.close();
	}
}

/** The output items of one node; throws when the node did not run. */
export function output(execution: Execution, nodeName: string): OutputItem[] {
	const items = nodeOutput(execution.run, nodeName) as OutputItem[] | undefined;
	if (items === undefined) {
		throw new Error(`node "${nodeName}" did not run in ${execution.workflowId}`);
	}
	return items;
}
