'use strict';

/**
 * One `n8n execute` of an imported workflow, measured: the n8n process under the /proc monitor,
 * the simulator's request records of the execution, and the measured node's run data (its
 * `executionTime` and start), so that the CPU and memory figures cover the node's own window.
 * A failed execution is kept in test-artifacts/bench-logs and reported as broken.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const rt = require('../n8n-runtime');
const { startMonitor, summarizeSamples } = require('./monitor');

const LOG_DIR = path.join(rt.ROOT, 'test-artifacts', 'bench-logs');
const running = new Set(); // process groups of n8n executions still going, for stopAll()

function killGroup(pid) {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		/* the group is empty */
	}
}

/**
 * `n8n execute --id <id> --rawOutput` with optional node flags (NODE_OPTIONS refuses --cpu-prof
 * and --expose-gc), in the environment the runtime gives its own CLI calls. stdout goes to a file,
 * not a pipe: n8n calls process.exit() right after printing the run, and through a pipe a large run
 * (10,000 items, several MB) arrives cut off.
 */
async function executeWorkflow(ctx, workflowId, nodeArgs = [], timeoutMs = 300000) {
	const { n8n } = ctx;
	const brokerPort = await rt.findFreePort();
	const workDir = path.join(n8n.dir, 'work');
	const outFile = path.join(workDir, `execute-${workflowId}-${process.pid}-${Date.now()}.out`);
	const outFd = fs.openSync(outFile, 'w', 0o600);
	const started = Date.now();
	let child;
	try {
		child = spawn(
			n8n.install.node,
			[...nodeArgs, n8n.install.bin, 'execute', `--id=${workflowId}`, '--rawOutput'],
			{
				cwd: workDir,
				env: n8n.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
				stdio: ['ignore', outFd, 'pipe'],
				detached: true, // its own process group: a kill takes the task runner too
			},
		);
	} finally {
		fs.closeSync(outFd);
	}
	running.add(child.pid);
	const monitor = startMonitor({ pid: child.pid, simulatorPid: ctx.sim.pid });
	const err = [];
	child.stderr.on('data', (chunk) => err.push(chunk));
	const timer = setTimeout(() => {
		ctx.log(`n8n execute --id=${workflowId} timed out after ${timeoutMs} ms; killing it`);
		killGroup(child.pid);
	}, timeoutMs);
	const exitCode = await new Promise((resolve) => {
		child.once('error', () => resolve(null));
		child.once('close', (code) => resolve(code));
	});
	clearTimeout(timer);
	const { samples } = monitor.stop();
	killGroup(child.pid); // the task runner, if it outlived n8n
	running.delete(child.pid);
	const stdout = fs.readFileSync(outFile, 'utf8');
	fs.rmSync(outFile, { force: true });
	const stderr = Buffer.concat(err).toString('utf8');
	const run = rt.parseRun(stdout);
	return {
		exitCode,
		stdout,
		stderr,
		ms: Date.now() - started,
		pid: child.pid,
		samples,
		run,
		error: exitCode === 0 ? undefined : rt.parseExecutionError(`${stdout}\n${stderr}`, run),
	};
}

/**
 * Executes `workflowId` and measures the node `nodeName`.
 * Resolves { outcome, ok, items, records, stderr, fail(problems) }: `outcome` holds the figures
 * (kept in bench.json); `fail` keeps the log and reports the problems as broken.
 * With `expectTokens` (0 or 1) the execution is listed for the token-request count.
 */
async function executeMeasured(ctx, { label, workflowId, nodeName, nodeArgs, n, expectTokens }) {
	const result = await executeWorkflow(ctx, workflowId, nodeArgs);
	const records = await ctx.sim.takeRecords();
	const outcome = { label, workflowId, n, exitCode: result.exitCode, cliMs: result.ms };
	outcome.pid = result.pid;
	outcome.tokenRequests = records.filter((r) => r.tokenRequest).length;
	outcome.apiRequests = records.length - outcome.tokenRequests;
	outcome.statusCounts = {};
	for (const record of records)
		outcome.statusCounts[record.status] = (outcome.statusCounts[record.status] ?? 0) + 1;
	outcome.connectionHeader = records.find((r) => !r.tokenRequest)?.headers?.connection;
	if (expectTokens !== undefined)
		ctx.executions.push({ label, n, tokenRequests: outcome.tokenRequests, expectTokens });

	const logFile = path.join(LOG_DIR, `${workflowId}.out.txt`);
	const fail = (problems) => {
		fs.mkdirSync(LOG_DIR, { recursive: true });
		fs.writeFileSync(
			logFile,
			`exit ${result.exitCode}, ${result.ms} ms\n${result.stdout}\n${result.stderr}`,
		);
		const where = `(log: ${path.relative(rt.ROOT, logFile)})`;
		ctx.broke(`${label}: ${problems.slice(0, 5).join('; ')} ${where}`);
	};
	const runData = result.run?.data?.resultData?.runData?.[nodeName]?.[0];
	if (result.exitCode !== 0 || runData === undefined) {
		fail([
			result.exitCode === 0
				? `n8n execute: exit 0 but no run data for the node ${nodeName}`
				: `n8n execute: exit ${result.exitCode}${result.error ? `: ${result.error}` : ''}`,
		]);
		return { outcome, ok: false, items: [], records, stderr: result.stderr, fail };
	}
	outcome.executionTimeMs = runData.executionTime;
	outcome.nodeStartedAt = runData.startTime;
	outcome.nodeFinishedAt = runData.startTime + runData.executionTime;
	Object.assign(
		outcome,
		summarizeSamples(result.samples, outcome.nodeStartedAt, outcome.nodeFinishedAt),
	);
	const items = rt.nodeOutput(result.run, nodeName) ?? [];
	return { outcome, ok: true, items, records, stderr: result.stderr, fail };
}

/** Kills every n8n execution still running (on Ctrl-C). */
function stopAll() {
	for (const pid of running) killGroup(pid);
	running.clear();
}

module.exports = { executeMeasured, stopAll };
