#!/usr/bin/env node
'use strict';

/**
 * `npm run bench`: performance figures for issue 5, in one run (a few minutes on 2 cores).
 *
 *   1. Signing: the credential's authenticate() (the node's signing path, dist/) against a bare
 *      crypto.sign of the same signature base with an already-parsed key, ECDSA P-521 and Ed25519.
 *      Interleaved rounds, medians.
 *   2. Throughput in a real n8n 2.8.4 (`n8n execute`): N items through the Upvest node against the
 *      simulator with 0 ms and 20 ms latency, concurrency 1, the default (4) and 8, timed by the
 *      node's own executionTime from the run data; and a bare axios script (in this process) that
 *      sends the same signed requests one after another.
 *   3. Token requests per execution: one for a fresh credential, none when n8n stored a valid one.
 *   4. Memory: peak RSS of the n8n process for 10,000 items against 100 (polled from /proc), with a
 *      No-Op control workflow to separate the Upvest node from n8n's own per-item cost.
 *   5. Last, one more execution under `node --cpu-prof` (after all timings, so it disturbs none):
 *      where the n8n process spends its CPU while the Upvest node runs (skip with --no-profile).
 *
 * The simulator runs in its own process, so neither n8n nor the bare script shares its event loop.
 * Every run also records how much CPU the rest of the machine used meanwhile ("other load").
 *
 * It reports; it does not judge: a missed target is marked "missed", and the exit code is non-zero
 * only when something breaks (an execution or an item fails, a request is refused).
 * Writes test-artifacts/bench.md and test-artifacts/bench.json.
 *
 * Options: --n=1000 --mem-n=10000 --no-ecdsa --keep (keep the n8n user folder)
 *          --profile=dir (default test-artifacts/bench-profile) | --no-profile
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const rt = require('./n8n-runtime');
const { itemsWorkflow, upvestNode, workflowNode } = require('./workflows');

const ROOT = rt.ROOT;
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const LOG_DIR = path.join(ARTIFACTS, 'bench-logs');

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

function parseArgs(argv) {
	const options = {
		n: 1000,
		memN: 10000,
		memSmallN: 100,
		ecdsa: true,
		keep: false,
		profile: path.join(ARTIFACTS, 'bench-profile'),
	};
	for (const arg of argv) {
		const [name, value] = arg.split('=', 2);
		if (name === '--n') options.n = positiveInt(name, value);
		else if (name === '--mem-n') options.memN = positiveInt(name, value);
		else if (name === '--no-ecdsa') options.ecdsa = false;
		else if (name === '--keep') options.keep = true;
		else if (name === '--profile')
			options.profile = path.resolve(value ?? path.join(ARTIFACTS, 'bench-profile'));
		else if (name === '--no-profile') options.profile = undefined;
		else if (name === '--help' || name === '-h') {
			console.log(
				'Usage: node scripts/bench.js [--n=1000] [--mem-n=10000] [--no-ecdsa] [--keep] [--profile=dir | --no-profile]',
			);
			process.exit(0);
		} else {
			console.error(`Unknown argument: ${arg}`);
			process.exit(2);
		}
	}
	return options;
}

function positiveInt(name, value) {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		console.error(`${name} needs a positive whole number`);
		process.exit(2);
	}
	return number;
}

const OPTIONS = parseArgs(process.argv.slice(2));

const T0 = performance.now();
function log(message) {
	process.stderr.write(
		`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
	);
}

// ---------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A deterministic, valid version-4 UUID for item `i` of a data set. */
function uuidFor(namespace, i) {
	const bytes = crypto.createHash('sha256').update(`${namespace}:${i}`).digest().subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const fmt = {
	int: (v) =>
		v === undefined || v === null || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US'),
	n1: (v) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toFixed(1)),
	n2: (v) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toFixed(2)),
	pct: (v) =>
		v === undefined || v === null || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)} %`,
	mb: (bytes) =>
		bytes === undefined || bytes === null ? '–' : `${(bytes / 1048576).toFixed(1)} MB`,
	verdict: (met) => (met === undefined ? '–' : met ? 'met' : '**missed**'),
};

// ---------------------------------------------------------------------------
// the bare signer (independent of the package: the baseline and the reference for the micro benchmark)
// ---------------------------------------------------------------------------

const { testClient } = require(path.join(ROOT, 'simulator', 'fixtures'));

const KEYS = {
	ed25519: { label: 'Ed25519', fixture: testClient.ed25519, digest: null },
	ecdsa: { label: 'ECDSA P-521', fixture: testClient.ecdsa, digest: 'sha512' },
};

function parseKey(name) {
	const { fixture } = KEYS[name];
	return crypto.createPrivateKey({
		key: fixture.privateKeyPem,
		format: 'pem',
		passphrase: fixture.passphrase,
	});
}

/**
 * Signs like Upvest's draft-15 profile: every covered header present, in the order given.
 * `headers` are lower-case and already include content-length/content-digest when there is a body.
 */
function bareSign({ method, pathname, headers, keyName, key }) {
	const names = Object.keys(headers);
	const created = Math.floor(Date.now() / 1000);
	const params =
		`("@method" "@path" ${names.map((n) => `"${n}"`).join(' ')});keyid="${KEYS[keyName].fixture.keyId}"` +
		`;created=${created};expires=${created + 30};nonce="${crypto.randomUUID()}"`;
	let base = `"@method": ${method}\n"@path": ${pathname}\n`;
	for (const name of names) base += `"${name}": ${headers[name]}\n`;
	base += `"@signature-params": ${params}`;
	const signature = crypto
		.sign(KEYS[keyName].digest, Buffer.from(base, 'utf8'), key)
		.toString('base64');
	return {
		'signature-input': `sig1=${params}`,
		signature: `sig1=:${signature}:`,
		'upvest-signature-version': '15',
	};
}

function bodyHeaders(body) {
	return {
		'content-length': String(body.length),
		'content-digest': `sha-512=:${crypto.createHash('sha512').update(body).digest('base64')}:`,
	};
}

/** Rebuilds the signature base of a request the package signed, from its signature-input and headers. */
function baseOfSignedRequest(method, pathname, headers) {
	const input = headers['signature-input'].replace(/^sig1=/, '');
	const names = [...input.slice(1, input.indexOf(')')).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
	let base = '';
	for (const name of names) {
		const value =
			name === '@method' ? method : name === '@path' ? pathname : String(headers[name]).trim();
		base += `"${name}": ${value}\n`;
	}
	return `${base}"@signature-params": ${input}`;
}

// ---------------------------------------------------------------------------
// 1. signing micro benchmark
// ---------------------------------------------------------------------------

async function benchSigning() {
	const { UpvestApi } = require(path.join(ROOT, 'dist', 'credentials', 'UpvestApi.credentials.js'));
	const credentialType = new UpvestApi();
	const baseUrl = 'http://127.0.0.1:4010';
	const accessToken = `ory_at_${crypto.randomBytes(32).toString('base64url')}`;
	const body = Buffer.from(
		JSON.stringify({ user_id: uuidFor('sign', 0), type: 'PERSONAL' }),
		'utf8',
	);
	const idempotencyKey = crypto.randomUUID();
	const results = [];

	for (const keyName of ['ecdsa', 'ed25519']) {
		const { fixture, digest, label } = KEYS[keyName];
		const data = {
			accessToken,
			environment: 'custom',
			baseUrl,
			clientId: testClient.clientId,
			clientSecret: testClient.clientSecret,
			keyId: fixture.keyId,
			privateKey: fixture.privateKeyPem,
			passphrase: fixture.passphrase ?? '',
			scopes: 'accounts:admin roles:admin',
		};
		// What Upvest.node.ts hands to httpRequestWithAuthentication for one item (transport/request.ts).
		const requestOptions = () => ({
			method: 'POST',
			url: `${baseUrl}/account_groups`,
			headers: {
				accept: 'application/json',
				'content-type': 'application/json',
				'idempotency-key': idempotencyKey,
			},
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		const nodeOp = () => credentialType.authenticate(data, requestOptions());

		// The same base the package signs, checked against its own signature, then signed bare.
		const signed = await nodeOp();
		const base = baseOfSignedRequest('POST', '/account_groups', signed.headers);
		const publicKey = crypto.createPublicKey(fixture.publicKeyPem);
		const sigBytes = Buffer.from(/^sig1=:(.*):$/.exec(signed.headers.signature)[1], 'base64');
		if (!crypto.verify(digest, Buffer.from(base, 'utf8'), publicKey, sigBytes)) {
			throw new Error(`${label}: could not rebuild the signature base the package signed`);
		}
		const key = parseKey(keyName);
		const baseBytes = Buffer.from(base, 'utf8');
		const bareOp = () => crypto.sign(digest, baseBytes, key);

		const perRound = keyName === 'ecdsa' ? 8 : 200;
		const rounds = keyName === 'ecdsa' ? 41 : 61;
		// warm up both paths (JIT, key cache)
		for (let i = 0; i < perRound * 3; i++) {
			await nodeOp();
			bareOp();
		}
		const nodeUs = [];
		const bareUs = [];
		const ratios = [];
		for (let round = 0; round < rounds; round++) {
			const measure = async (which) => {
				const started = performance.now();
				if (which === 'node') for (let i = 0; i < perRound; i++) await nodeOp();
				else for (let i = 0; i < perRound; i++) bareOp();
				return ((performance.now() - started) * 1000) / perRound;
			};
			// alternate the order so drift hits both sides equally
			let n;
			let b;
			if (round % 2 === 0) {
				n = await measure('node');
				b = await measure('bare');
			} else {
				b = await measure('bare');
				n = await measure('node');
			}
			nodeUs.push(n);
			bareUs.push(b);
			ratios.push(n / b);
		}
		const ratio = median(ratios);
		results.push({
			key: keyName,
			label,
			rounds,
			opsPerRound: perRound,
			nodeUsPerOp: median(nodeUs),
			bareUsPerOp: median(bareUs),
			ratio,
			ratioOfMedians: median(nodeUs) / median(bareUs),
			target: 1.1,
			met: ratio <= 1.1,
		});
		log(
			`signing ${label}: node ${median(nodeUs).toFixed(1)} µs, bare ${median(bareUs).toFixed(1)} µs, ratio ${ratio.toFixed(3)}`,
		);
	}
	return results;
}

// ---------------------------------------------------------------------------
// the simulator, in its own process (so neither n8n nor the baseline shares a core with it)
// ---------------------------------------------------------------------------

async function startSimulatorProcess() {
	const port = await rt.findFreePort();
	const child = spawn(
		process.execPath,
		[path.join(ROOT, 'simulator', 'cli.js'), '--port', String(port)],
		{
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) =>
		child.once('close', (code, signal) => resolve({ code, signal })),
	);
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 15000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`simulator exited early:\n${output}`);
		try {
			const health = await rt.httpJson(`${url}/__simulator/health`, { timeoutMs: 1000 });
			if (health.status === 200) break;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`simulator did not start:\n${output}`);
		await sleep(100);
	}
	let lastSeq = 0;
	return {
		url,
		pid: child.pid,
		async setLatency(latencyMs) {
			const res = await rt.httpJson(`${url}/__simulator/config`, {
				method: 'POST',
				body: { latencyMs },
			});
			if (res.status !== 200)
				throw new Error(`simulator config answered ${res.status}: ${res.text}`);
		},
		/** Request records since the previous call. */
		async takeRecords() {
			const res = await rt.httpJson(`${url}/__simulator/requests?since=${lastSeq}`, {
				timeoutMs: 120000,
			});
			if (res.status !== 200 || !Array.isArray(res.json))
				throw new Error(`simulator records answered ${res.status}`);
			for (const record of res.json) lastSeq = Math.max(lastSeq, record.seq);
			return res.json;
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
			if (!done) {
				child.kill('SIGKILL');
				await exited;
			}
		},
	};
}

// ---------------------------------------------------------------------------
// /proc sampling of a child process (peak RSS and CPU)
// ---------------------------------------------------------------------------

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64

function readStat(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return {
		ppid: Number(rest[1]),
		cpuMs: ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS,
	};
}

function readStatus(pid) {
	const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name) => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
		return match ? Number(match[1]) * 1024 : undefined;
	};
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Our child whose command line contains `needle` (the n8n CLI spawned by scripts/n8n-runtime.js). */
function findChild(needle) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readStat(entry).ppid !== process.pid) continue;
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (cmdline.includes(needle)) return Number(entry);
		} catch {
			/* gone */
		}
	}
	return undefined;
}

let currentN8nPid; // for cleanup on Ctrl-C

/** Busy CPU time of the whole machine (all cores), from /proc/stat, in ms. */
function machineBusyMs() {
	const fields = fs
		.readFileSync('/proc/stat', 'utf8')
		.split('\n', 1)[0]
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	const [user, nice, system, , , irq, softirq, steal] = fields; // idle and iowait are not busy
	return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
}

/**
 * Samples every 10 ms: the n8n CLI process found by `needle` (RSS, peak RSS, CPU), the simulator's
 * CPU, this process's CPU and the machine's busy time, so every run says how much of the machine
 * other work took while it ran.
 */
function startMonitor(needle, simulatorPid) {
	const samples = [];
	let pid;
	let gone = false;
	const tick = () => {
		const sample = { t: Date.now() };
		if (needle !== undefined && pid === undefined) {
			pid = findChild(needle);
			currentN8nPid = pid;
		}
		if (pid !== undefined && !gone) {
			try {
				Object.assign(sample, readStatus(pid), { cpuMs: readStat(pid).cpuMs });
			} catch {
				gone = true;
			}
		}
		try {
			sample.simCpuMs = readStat(simulatorPid).cpuMs;
			sample.busyMs = machineBusyMs();
			const own = process.cpuUsage();
			sample.selfCpuMs = (own.user + own.system) / 1000;
		} catch {
			/* simulator gone */
		}
		if (needle === undefined || sample.rss !== undefined) samples.push(sample);
	};
	const timer = setInterval(tick, 10);
	tick();
	return {
		stop() {
			clearInterval(timer);
			if (needle === undefined) tick();
			currentN8nPid = undefined;
			return { pid, samples };
		},
	};
}

/** What the samples say about the whole process and about the window [from, to] (epoch ms). */
function summarizeSamples(samples, from, to) {
	if (samples.length === 0) return {};
	const last = samples[samples.length - 1];
	const summary = { samples: samples.length };
	if (last.rss !== undefined) {
		summary.peakRssBytes = Math.max(...samples.map((s) => s.hwm ?? s.rss));
		summary.cpuMsTotal = last.cpuMs;
	}
	const inside =
		from === undefined ? samples : samples.filter((s) => s.t >= from - 10 && s.t <= to + 10);
	if (inside.length >= 2) {
		const first = inside[0];
		const end = inside[inside.length - 1];
		const wall = end.t - first.t;
		summary.windowMs = wall;
		if (end.rss !== undefined) summary.windowPeakRssBytes = Math.max(...inside.map((s) => s.rss));
		if (wall > 0) {
			const n8nMs = end.cpuMs !== undefined ? end.cpuMs - first.cpuMs : 0;
			const simMs = end.simCpuMs - first.simCpuMs;
			const selfMs = end.selfCpuMs - first.selfCpuMs;
			if (end.cpuMs !== undefined) {
				summary.n8nCpuShare = n8nMs / wall;
				summary.n8nCpuMs = n8nMs;
			}
			summary.simulatorCpuShare = simMs / wall;
			summary.simulatorCpuMs = simMs;
			summary.selfCpuShare = selfMs / wall;
			// everything else on the machine (other sessions, the task runner, the kernel), in cores
			summary.otherLoadCores = Math.max(
				0,
				(end.busyMs - first.busyMs - n8nMs - simMs - selfMs) / wall,
			);
		}
	}
	if (from !== undefined) {
		const before = samples.filter((s) => s.t < from && s.rss !== undefined);
		if (before.length > 0) summary.rssBeforeUpvestBytes = before[before.length - 1].rss;
	}
	return summary;
}

// ---------------------------------------------------------------------------
// workflows
// ---------------------------------------------------------------------------

const NODE_NAME = 'Upvest';

/**
 * Start → Set (raw JSON with the items) → Split Out → Upvest (account group per item, user from the
 * item). No Code node. `concurrency` undefined = the node's default. With `upvest: false` the last node
 * is a No-Op: the control for memory.
 */
function benchWorkflow({ id, n, dataset, concurrency, credential, upvest = true }) {
	const items = Array.from({ length: n }, (_, i) => ({ userId: uuidFor(dataset, i) }));
	const options = concurrency === undefined ? {} : { concurrency };
	const last = upvest
		? upvestNode(
				NODE_NAME,
				[660, 0],
				{
					resource: 'accountGroup',
					operation: 'create',
					ownerType: 'user',
					userId: '={{ $json.userId }}',
					accountGroupType: 'PERSONAL',
					additionalFields: {},
					options, // idempotency key left empty: a fresh UUID per item
				},
				{ id: credential.id, name: credential.name },
			)
		: workflowNode(NODE_NAME, 'n8n-nodes-base.noOp', 1, [660, 0], {});
	return itemsWorkflow(id, `Bench ${id}`, items, last);
}

// ---------------------------------------------------------------------------
// one execution in n8n, checked
// ---------------------------------------------------------------------------

const problems = []; // things that broke: they make the exit code non-zero

function broke(what) {
	problems.push(what);
	log(`BROKEN: ${what}`);
}

/**
 * `n8n execute --id <id> --rawOutput`, in the environment the runtime gives its own CLI calls, with
 * optional node flags (NODE_OPTIONS refuses --cpu-prof and --expose-gc). Same result shape as the
 * runtime's execute(). stdout goes to a file, not a pipe: n8n calls process.exit() right after
 * printing the run, and through a pipe a large run (10,000 items, > 5 MB) arrives cut off.
 */
async function executeWorkflow(n8n, workflowId, nodeArgs = [], timeoutMs = 300000) {
	const brokerPort = await rt.findFreePort();
	const workDir = path.join(n8n.dir, 'work');
	const outFile = path.join(workDir, `execute-${workflowId}-${process.pid}-${Date.now()}.out`);
	const outFd = fs.openSync(outFile, 'w', 0o600);
	const started = Date.now();
	let child;
	try {
		child = spawn(
			process.execPath,
			[...nodeArgs, rt.N8N_BIN, 'execute', `--id=${workflowId}`, '--rawOutput'],
			{
				cwd: workDir,
				env: n8n.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
				stdio: ['ignore', outFd, 'pipe'],
				detached: true, // own process group, like the runtime's CLI calls: a kill takes the task runner too
			},
		);
	} finally {
		fs.closeSync(outFd);
	}
	const err = [];
	child.stderr.on('data', (chunk) => err.push(chunk));
	const timer = setTimeout(() => {
		log(`n8n execute --id=${workflowId} timed out after ${timeoutMs} ms; killing pid ${child.pid}`);
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}, timeoutMs);
	const exitCode = await new Promise((resolve) => {
		child.once('error', () => resolve(null));
		child.once('close', (code) => resolve(code));
	});
	clearTimeout(timer);
	try {
		process.kill(-child.pid, 'SIGKILL'); // the task runner, if it outlived n8n
	} catch {
		/* group is empty */
	}
	const stdout = fs.readFileSync(outFile, 'utf8');
	fs.rmSync(outFile, { force: true });
	const stderr = Buffer.concat(err).toString('utf8');
	const run = rt.parseRun(stdout);
	return {
		exitCode,
		stdout,
		stderr,
		ms: Date.now() - started,
		run,
		error: exitCode === 0 ? undefined : rt.parseExecutionError(`${stdout}\n${stderr}`, run),
	};
}

/**
 * Preloaded into n8n for the live-heap run: a full GC every second, then the heap in use. What is
 * still in use after a full GC is what the run really keeps; the peak RSS also holds garbage that
 * V8 had no reason to collect yet.
 */
const HEAP_PROBE = `'use strict';
setInterval(() => {
	global.gc();
	const { heapUsed, external } = process.memoryUsage();
	process.stderr.write('BENCH_HEAP ' + Date.now() + ' ' + heapUsed + ' ' + external + '\\n');
}, 1000).unref();
`;

function nodeArgsFor(spec) {
	if (spec.profileDir) return ['--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`];
	if (spec.heapProbe) return ['--expose-gc', '--require', spec.heapProbe];
	return [];
}

async function executeChecked(n8n, sim, spec) {
	const monitor = startMonitor(`--id=${spec.workflow.id}`, sim.pid);
	let result;
	try {
		result = await executeWorkflow(n8n, spec.workflow.id, nodeArgsFor(spec));
	} finally {
		spec.monitorResult = monitor.stop();
	}
	const records = await sim.takeRecords();
	const label = spec.label;
	const outcome = {
		label,
		workflowId: spec.workflow.id,
		n: spec.n,
		exitCode: result.exitCode,
		cliMs: result.ms,
		pid: spec.monitorResult.pid,
	};

	const logFile = path.join(LOG_DIR, `${spec.workflow.id}.out.txt`);
	const keepLog = () => {
		fs.mkdirSync(LOG_DIR, { recursive: true });
		fs.writeFileSync(
			logFile,
			`exit ${result.exitCode}, ${result.ms} ms\n${result.stdout}\n${result.stderr}`,
		);
	};

	const apiRecords = records.filter((r) => r.path === '/account_groups');
	const tokenRecords = records.filter((r) => r.tokenRequest);
	outcome.tokenRequests = tokenRecords.length;
	outcome.apiRequests = apiRecords.length;
	outcome.statusCounts = {};
	for (const record of records)
		outcome.statusCounts[record.status] = (outcome.statusCounts[record.status] ?? 0) + 1;
	outcome.connectionHeader = apiRecords[0]?.headers?.connection;

	if (spec.upvest !== false) {
		const runData = result.run?.data?.resultData?.runData?.[NODE_NAME]?.[0];
		if (result.exitCode !== 0 || runData === undefined) {
			keepLog();
			const why =
				result.exitCode === 0
					? 'exit 0 but no complete run data for the Upvest node'
					: `exit ${result.exitCode}${result.error ? `: ${result.error}` : ''}`;
			broke(`${label}: n8n execute ${why} (log: ${path.relative(ROOT, logFile)})`);
			return outcome;
		}
		outcome.executionTimeMs = runData.executionTime;
		outcome.itemsPerSecond = spec.n / (runData.executionTime / 1000);
		const items = rt.nodeOutput(result.run, NODE_NAME) ?? [];
		const bad = [];
		if (items.length !== spec.n) bad.push(`${items.length} output items for ${spec.n} inputs`);
		items.forEach((item, i) => {
			if (bad.length > 5) return;
			const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
			if (item.json?.error !== undefined) bad.push(`item ${i}: ${item.json.error}`);
			else if (typeof item.json?.id !== 'string') bad.push(`item ${i}: no account group id`);
			else if (item.json.user_id !== uuidFor(spec.dataset, i))
				bad.push(`item ${i}: answer for another user (order or pairing lost)`);
			else if (paired?.item !== i)
				bad.push(`item ${i}: pairedItem ${JSON.stringify(item.pairedItem)}`);
		});
		const ok = apiRecords.filter(
			(r) => r.status === 200 && r.signature?.valid === true && !r.replayed,
		);
		const keys = new Set(ok.map((r) => r.idempotencyKey));
		if (ok.length !== spec.n) bad.push(`${ok.length} accepted signed requests for ${spec.n} items`);
		if (keys.size !== ok.length) bad.push(`${ok.length - keys.size} idempotency keys reused`);
		const refused = apiRecords.filter((r) => r.status !== 200);
		if (refused.length > 0) {
			outcome.refused = refused
				.slice(0, 3)
				.map((r) => `${r.status} ${r.signature?.error ?? ''}`.trim());
		}
		if (bad.length > 0) {
			keepLog();
			broke(`${label}: ${bad.slice(0, 5).join('; ')}`);
		}
		// the window: the Upvest node's own execution, as n8n recorded it
		outcome.nodeStartedAt = runData.startTime;
		outcome.nodeFinishedAt = runData.startTime + runData.executionTime;
		Object.assign(
			outcome,
			summarizeSamples(spec.monitorResult.samples, outcome.nodeStartedAt, outcome.nodeFinishedAt),
		);
		if (spec.heapProbe)
			outcome.liveHeap = liveHeapGrowth(
				result.stderr,
				apiRecords,
				outcome.nodeStartedAt,
				outcome.nodeFinishedAt,
			);
		outcome.n8nCpuMsPerItem =
			outcome.n8nCpuMs === undefined ? undefined : outcome.n8nCpuMs / spec.n;
		outcome.simulatorCpuMsPerItem =
			outcome.simulatorCpuMs === undefined ? undefined : outcome.simulatorCpuMs / spec.n;
	} else {
		if (result.exitCode !== 0) {
			keepLog();
			broke(`${label}: n8n execute exit ${result.exitCode}`);
		}
		Object.assign(outcome, summarizeSamples(spec.monitorResult.samples));
	}
	return outcome;
}

/**
 * Live heap (after a full GC) against the number of requests sent so far, while the node ran:
 * least-squares slope in bytes per item, and the slopes of the first and second half (linear when close).
 */
function liveHeapGrowth(stderr, apiRecords, from, to) {
	const arrivals = apiRecords.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
	const itemsBy = (t) => {
		let lo = 0;
		let hi = arrivals.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (arrivals[mid] <= t) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
	const points = [...stderr.matchAll(/^BENCH_HEAP (\d+) (\d+) (\d+)$/gm)]
		.map((m) => ({ t: Number(m[1]), heap: Number(m[2]) + Number(m[3]) }))
		.filter((p) => p.t >= from && p.t <= to)
		.map((p) => ({ x: itemsBy(p.t), y: p.heap }));
	const slope = (list) => {
		if (list.length < 2) return undefined;
		const mx = list.reduce((a, p) => a + p.x, 0) / list.length;
		const my = list.reduce((a, p) => a + p.y, 0) / list.length;
		const sxx = list.reduce((a, p) => a + (p.x - mx) ** 2, 0);
		return sxx === 0 ? undefined : list.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
	};
	const half = points.length >> 1;
	return {
		samples: points.length,
		startBytes: points[0]?.y,
		endBytes: points[points.length - 1]?.y,
		bytesPerItem: slope(points),
		firstHalfBytesPerItem: slope(points.slice(0, half + 1)),
		secondHalfBytesPerItem: slope(points.slice(half)),
	};
}

// ---------------------------------------------------------------------------
// 2b. the bare axios baseline, in this process
// ---------------------------------------------------------------------------

async function bareRun(sim, { keyName, n, dataset, newConnection = false }) {
	const axios = require('axios');
	const http = require('node:http');
	const monitor = startMonitor(undefined, sim.pid);
	const started = performance.now();
	const key = parseKey(keyName);
	const common = { 'upvest-api-version': '1', 'upvest-client-id': testClient.clientId };

	const form = new URLSearchParams({
		client_id: testClient.clientId,
		client_secret: testClient.clientSecret,
		grant_type: 'client_credentials',
		scope: 'accounts:admin roles:admin',
	}).toString();
	const formBody = Buffer.from(form, 'utf8');
	const tokenHeaders = {
		accept: 'application/json',
		'content-type': 'application/x-www-form-urlencoded',
		...bodyHeaders(formBody),
		...common,
	};
	const tokenResponse = await axios.post(`${sim.url}/auth/token`, form, {
		headers: {
			...tokenHeaders,
			...bareSign({ method: 'POST', pathname: '/auth/token', headers: tokenHeaders, keyName, key }),
		},
		validateStatus: () => true,
	});
	if (tokenResponse.status !== 200)
		throw new Error(`baseline token request answered ${tokenResponse.status}`);
	const authorization = `Bearer ${tokenResponse.data.access_token}`;

	let failed = 0;
	for (let i = 0; i < n; i++) {
		const body = Buffer.from(
			JSON.stringify({ user_id: uuidFor(dataset, i), type: 'PERSONAL' }),
			'utf8',
		);
		const headers = {
			accept: 'application/json',
			authorization,
			'content-type': 'application/json',
			...bodyHeaders(body),
			'idempotency-key': crypto.randomUUID(),
			...common,
		};
		const response = await axios.post(`${sim.url}/account_groups`, body, {
			headers: {
				...headers,
				...bareSign({ method: 'POST', pathname: '/account_groups', headers, keyName, key }),
			},
			validateStatus: () => true,
			// Node's global agent keeps connections alive; a fresh agent per request does not.
			...(newConnection ? { httpAgent: new http.Agent() } : {}),
		});
		if (response.status !== 200) failed += 1;
	}
	const ms = performance.now() - started;
	const usage = summarizeSamples(monitor.stop().samples);
	const records = await sim.takeRecords();
	const accepted = records.filter(
		(r) => r.path === '/account_groups' && r.status === 200 && r.signature?.valid,
	).length;
	if (failed > 0 || accepted !== n)
		broke(`bare script ${KEYS[keyName].label}: ${failed} failed, ${accepted}/${n} accepted`);
	return {
		ms,
		itemsPerSecond: n / (ms / 1000),
		tokenRequests: records.filter((r) => r.tokenRequest).length,
		connectionHeader: records.find((r) => r.path === '/account_groups')?.headers?.connection,
		selfCpuShare: usage.selfCpuShare,
		selfCpuMsPerItem:
			usage.selfCpuShare === undefined ? undefined : (usage.selfCpuShare * usage.windowMs) / n,
		simulatorCpuShare: usage.simulatorCpuShare,
		simulatorCpuMsPerItem:
			usage.simulatorCpuMs === undefined ? undefined : usage.simulatorCpuMs / n,
		otherLoadCores: usage.otherLoadCores,
	};
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

async function main() {
	const startedAt = new Date();
	const loadBefore = os.loadavg();
	rt.ensureN8n({ log });
	rt.ensureBuilt({ log });

	log('signing micro benchmark');
	const signing = await benchSigning();
	const bareSignUs = Object.fromEntries(signing.map((s) => [s.key, s.bareUsPerOp]));

	log('starting the simulator and an n8n user folder');
	const sim = await startSimulatorProcess();
	cleanups.push(() => sim.stop());
	fs.mkdirSync(rt.INSTANCES_DIR, { recursive: true });
	const instanceDir = fs.mkdtempSync(path.join(rt.INSTANCES_DIR, 'bench-'));
	if (!OPTIONS.keep) cleanups.push(() => fs.rmSync(instanceDir, { recursive: true, force: true }));
	const n8n = rt.createInstance({ dir: instanceDir, log });

	// --- plan: every execution gets its own credential (so it starts without a token), except the
	// repeat, which reuses one whose token n8n stored in the previous execution.
	const N = OPTIONS.n;
	const credentials = [];
	const workflows = [];
	let counter = 0;
	const plan = (spec) => {
		counter += 1;
		const tag = String(counter).padStart(3, '0');
		const credential =
			spec.reuse?.credential ??
			rt.credentialFor(sim.url, spec.keyName ?? 'ed25519', {
				id: `UpvBenchCred0${tag}`,
				name: `Bench ${tag} ${spec.label}`,
			});
		if (!spec.reuse && spec.upvest !== false) credentials.push(credential);
		const workflow =
			spec.reuse?.workflow ??
			benchWorkflow({
				id: `UpvBenchWf00${tag}`,
				n: spec.n,
				dataset: `ds${tag}`,
				concurrency: spec.concurrency,
				credential,
				upvest: spec.upvest,
			});
		if (!spec.reuse) workflows.push(workflow);
		return { ...spec, credential, workflow, dataset: spec.reuse?.dataset ?? `ds${tag}` };
	};

	const throughput = [];
	const bare = (keyName, latencyMs, phase, newConnection = false) => ({
		kind: 'bare',
		keyName,
		latencyMs,
		phase,
		newConnection,
		label: `bare ${KEYS[keyName].label} L=${latencyMs} (${phase})`,
	});
	const nodeRun = (keyName, latencyMs, concurrency) =>
		plan({
			kind: 'node',
			keyName,
			latencyMs,
			concurrency,
			n: N,
			label: `node ${KEYS[keyName].label} L=${latencyMs} C=${concurrency ?? 'default'}`,
		});
	for (const latencyMs of [0, 20]) {
		// At 0 ms the sequential run sits between two bare runs, so drift in the machine's load hits
		// both sides; at 20 ms the latency dominates both, and one bare run (25 s) is enough.
		throughput.push(bare('ed25519', latencyMs, 'before'), nodeRun('ed25519', latencyMs, 1));
		if (latencyMs === 0) {
			throughput.push(bare('ed25519', latencyMs, 'after'));
			// n8n's request helper opens a new TCP connection for every request (a new agent each
			// time, and a node cannot pass its own): this run puts a number on that part.
			throughput.push(bare('ed25519', latencyMs, 'new connection per request, like n8n', true));
		}
		throughput.push(nodeRun('ed25519', latencyMs, undefined), nodeRun('ed25519', latencyMs, 8));
	}
	const repeatOf = throughput.find(
		(t) => t.kind === 'node' && t.latencyMs === 0 && t.concurrency === undefined,
	);
	throughput.push({
		...repeatOf,
		repeat: true,
		reuse: {
			credential: repeatOf.credential,
			workflow: repeatOf.workflow,
			dataset: repeatOf.dataset,
		},
		label: `${repeatOf.label}, again (stored token)`,
	});
	if (OPTIONS.ecdsa) {
		throughput.push(bare('ecdsa', 0, 'before'), nodeRun('ecdsa', 0, 1), bare('ecdsa', 0, 'after'));
		throughput.push(nodeRun('ecdsa', 20, 8));
	}
	const memory = [
		plan({
			kind: 'memory',
			n: OPTIONS.memSmallN,
			concurrency: undefined,
			label: `memory, Upvest, ${OPTIONS.memSmallN} items`,
		}),
		plan({
			kind: 'memory',
			n: OPTIONS.memN,
			concurrency: undefined,
			label: `memory, Upvest, ${OPTIONS.memN} items`,
		}),
		plan({
			kind: 'memory',
			n: OPTIONS.memSmallN,
			upvest: false,
			label: `memory, No-Op control, ${OPTIONS.memSmallN} items`,
		}),
		plan({
			kind: 'memory',
			n: OPTIONS.memN,
			upvest: false,
			label: `memory, No-Op control, ${OPTIONS.memN} items`,
		}),
		plan({
			kind: 'memory',
			n: OPTIONS.memN,
			concurrency: undefined,
			heapProbe: true,
			label: `memory, Upvest, ${OPTIONS.memN} items, live heap (full GC every second)`,
		}),
	];
	const heapProbeFile = path.join(instanceDir, 'heap-probe.js');
	fs.writeFileSync(heapProbeFile, HEAP_PROBE);
	for (const spec of memory) if (spec.heapProbe) spec.heapProbe = heapProbeFile;
	const profileSpec = OPTIONS.profile
		? plan({
				kind: 'profile',
				keyName: 'ed25519',
				latencyMs: 0,
				concurrency: undefined,
				n: N,
				label: 'profiled: node Ed25519 L=0 C=default',
			})
		: undefined;

	log(`importing ${credentials.length} credentials and ${workflows.length} workflows`);
	await n8n.importCredentials(credentials);
	await n8n.importWorkflow(workflows);

	const rows = [];
	for (const spec of throughput) {
		await sim.setLatency(spec.latencyMs);
		if (spec.kind === 'bare') {
			log(`${spec.label}: ${N} requests`);
			let result;
			try {
				result = await bareRun(sim, {
					keyName: spec.keyName,
					n: N,
					dataset: `bare-${spec.keyName}-${spec.latencyMs}-${spec.newConnection ? 'new-connection' : spec.phase}`,
					newConnection: spec.newConnection,
				});
			} catch (error) {
				broke(`${spec.label}: ${error.message}`);
				await sim.takeRecords();
				continue;
			}
			rows.push({ ...pick(spec), n: N, ...result });
			log(
				`${spec.label}: ${result.ms.toFixed(0)} ms, ${result.itemsPerSecond.toFixed(0)} items/s, other load ${fmt.n2(result.otherLoadCores)} cores`,
			);
			continue;
		}
		log(`${spec.label}: n8n execute`);
		const outcome = await executeChecked(n8n, sim, spec);
		rows.push({ ...pick(spec), ...outcome });
		log(
			`${spec.label}: ${fmt.int(outcome.executionTimeMs)} ms, ${fmt.int(outcome.itemsPerSecond)} items/s, ${outcome.tokenRequests} token request(s), n8n CPU ${fmt.pct(outcome.n8nCpuShare)}, simulator CPU ${fmt.pct(outcome.simulatorCpuShare)}, other load ${fmt.n2(outcome.otherLoadCores)} cores`,
		);
	}

	await sim.setLatency(0);
	const memoryRows = [];
	for (const spec of memory) {
		log(`${spec.label}: n8n execute`);
		const outcome = await executeChecked(n8n, sim, spec);
		memoryRows.push({ ...pick(spec), ...outcome });
		log(
			`${spec.label}: peak RSS ${fmt.mb(outcome.peakRssBytes)}${outcome.windowPeakRssBytes ? `, while the node runs ${fmt.mb(outcome.windowPeakRssBytes)}` : ''}` +
				(outcome.liveHeap
					? `, live heap ${fmt.int(outcome.liveHeap.bytesPerItem)} bytes per item`
					: ''),
		);
	}

	let profile;
	if (profileSpec) {
		fs.rmSync(OPTIONS.profile, { recursive: true, force: true });
		fs.mkdirSync(OPTIONS.profile, { recursive: true });
		log(
			`${profileSpec.label}: n8n execute with --cpu-prof into ${path.relative(ROOT, OPTIONS.profile)}`,
		);
		const outcome = await executeChecked(n8n, sim, { ...profileSpec, profileDir: OPTIONS.profile });
		// V8 profile timestamps are CLOCK_MONOTONIC µs, like process.hrtime here; the window is epoch ms
		const monoOffsetUs = Number(process.hrtime.bigint() / 1000n) - Date.now() * 1000;
		profile = {
			...outcome,
			...analyzeProfile(
				OPTIONS.profile,
				outcome.pid,
				outcome.nodeStartedAt * 1000 + monoOffsetUs,
				outcome.nodeFinishedAt * 1000 + monoOffsetUs,
			),
		};
	}

	await sim.stop();

	// --- derive the figures
	const bareRows = (keyName, latencyMs, newConnection = false) =>
		rows.filter(
			(r) =>
				r.kind === 'bare' &&
				r.keyName === keyName &&
				r.latencyMs === latencyMs &&
				r.newConnection === newConnection,
		);
	for (const row of rows) {
		if (row.kind !== 'node') continue;
		const c = row.concurrency ?? 4;
		row.effectiveConcurrency = c;
		const bySigning = 1e6 / bareSignUs[row.keyName];
		const byLatency = row.latencyMs > 0 ? c / (row.latencyMs / 1000) : Infinity;
		row.boundItemsPerSecond = Math.min(byLatency, bySigning);
		row.fractionOfBound = row.itemsPerSecond / row.boundItemsPerSecond;
		if (c > 1) row.boundMet = row.fractionOfBound >= 0.8;
		const bares = bareRows(row.keyName, row.latencyMs);
		if (c === 1 && bares.length > 0 && !row.repeat && row.executionTimeMs !== undefined) {
			row.bareMs = bares.reduce((sum, r) => sum + r.ms, 0) / bares.length;
			row.vsBare = row.executionTimeMs / row.bareMs;
			row.vsBareMet = row.vsBare <= 1.2;
			const [newConnection] = bareRows(row.keyName, row.latencyMs, true);
			if (newConnection) row.vsBareNewConnection = row.executionTimeMs / newConnection.ms;
		}
	}

	const tokenRows = [
		...rows.filter((r) => r.kind === 'node'),
		...memoryRows.filter((r) => r.upvest !== false),
	].map((r) => ({
		label: r.label,
		n: r.n,
		fresh: !r.repeat,
		tokenRequests: r.tokenRequests,
		expected: r.repeat ? 0 : 1,
		met: r.tokenRequests === (r.repeat ? 0 : 1),
	}));

	const mem = (n, upvest) =>
		memoryRows.find((r) => r.n === n && (r.upvest !== false) === upvest && !r.heapProbe);
	const memorySummary = {};
	for (const upvest of [true, false]) {
		const small = mem(OPTIONS.memSmallN, upvest);
		const large = mem(OPTIONS.memN, upvest);
		if (small?.peakRssBytes && large?.peakRssBytes) {
			const growth = large.peakRssBytes - small.peakRssBytes;
			memorySummary[upvest ? 'upvest' : 'control'] = {
				growthBytes: growth,
				bytesPerItem: growth / (OPTIONS.memN - OPTIONS.memSmallN),
			};
		}
	}
	if (memorySummary.upvest && memorySummary.control) {
		memorySummary.attributableBytesPerItem =
			memorySummary.upvest.bytesPerItem - memorySummary.control.bytesPerItem;
	}
	memorySummary.liveHeap = memoryRows.find((r) => r.heapProbe)?.liveHeap;

	const finishedMs = performance.now() - T0;
	const report = {
		startedAt: startedAt.toISOString(),
		totalSeconds: finishedMs / 1000,
		environment: {
			node: process.version,
			n8n: rt.installedN8nVersion(),
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model,
			loadavgAtStart: loadBefore,
			loadavgAtEnd: os.loadavg(),
			platform: `${os.type()} ${os.release()}`,
		},
		options: OPTIONS,
		signing,
		throughput: rows,
		tokens: tokenRows,
		memory: { rows: memoryRows, summary: memorySummary },
		profile,
		problems,
	};
	const markdown = renderMarkdown(report);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	fs.writeFileSync(path.join(ARTIFACTS, 'bench.md'), markdown);
	fs.writeFileSync(path.join(ARTIFACTS, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
	console.log(`\n${markdown}`);
	if (profile?.topSelf) {
		console.log(
			`Hottest functions of the n8n process while the Upvest node ran (self time; ${profile.file}):`,
		);
		for (const line of profile.topSelf) console.log(`  ${line}`);
		console.log('');
	}
	log(`wrote test-artifacts/bench.md and test-artifacts/bench.json`);
	return problems.length === 0 ? 0 : 1;
}

function pick(spec) {
	const {
		kind,
		keyName,
		latencyMs,
		concurrency,
		n,
		label,
		repeat,
		upvest,
		phase,
		newConnection,
		heapProbe,
	} = spec;
	return {
		kind,
		keyName,
		latencyMs,
		concurrency,
		n,
		label,
		repeat,
		upvest,
		phase,
		newConnection,
		heapProbe: heapProbe ? true : undefined,
	};
}

/** Where the n8n process's CPU went between fromUs and toUs (monotonic µs): categories and hottest functions. */
function analyzeProfile(dir, pid, fromUs, toUs) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	const file = files.find((f) => pid !== undefined && f.includes(`.${pid}.`)) ?? files[0];
	if (!file) return { error: 'no profile written' };
	const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const packageDir = `${ROOT}${path.sep}dist${path.sep}`;
	const frameName = (frame) => {
		const where = frame.url
			.replace(/^file:\/\//, '')
			.replace(/^.*node_modules\//, '')
			.replace(`${ROOT}${path.sep}`, '');
		return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
	};
	// inclusive categories: a sample counts once per category found on its stack
	const categories = [
		[
			'The package: credential authenticate (signing incl. crypto.sign)',
			(f) => f.functionName === 'signUpvestRequest',
		],
		['  of which crypto.sign', (f) => f.functionName === 'signOneShot'],
		[
			'n8n: load and decrypt the credential for every request (getDecrypted)',
			(f) => f.functionName === 'getDecrypted',
		],
		[
			'n8n: HTTP helper (httpRequest → axios, new agent and TCP connection per request)',
			(f) => f.functionName === 'httpRequest' && f.url.includes('request-helper-functions'),
		],
		[
			'n8n: parameters and expressions (getNodeParameter, all items, before the first request)',
			(f) => f.functionName.endsWith('getNodeParameter'),
		],
	];
	const totals = new Map(categories.map(([name]) => [name, 0]));
	const self = new Map();
	let packageSelf = 0;
	let total = 0;
	let idle = 0;
	let gc = 0;
	let t = profile.startTime;
	profile.samples.forEach((id, i) => {
		t += profile.timeDeltas[i];
		if (t < fromUs || t > toUs) return;
		const dt = profile.timeDeltas[i + 1] ?? 0;
		total += dt;
		const frame = byId.get(id).callFrame;
		if (frame.functionName === '(idle)') idle += dt;
		if (frame.functionName === '(garbage collector)') gc += dt;
		if (frame.url.includes(packageDir)) packageSelf += dt;
		const name = frameName(frame);
		self.set(name, (self.get(name) ?? 0) + dt);
		const hit = new Set();
		for (let node = id; node !== undefined; node = parent.get(node)) {
			const f = byId.get(node).callFrame;
			for (const [category, test] of categories)
				if (!hit.has(category) && test(f)) hit.add(category);
		}
		for (const category of hit) totals.set(category, totals.get(category) + dt);
	});
	if (total === 0) return { file, error: 'no samples in the window' };
	const share = (us) => us / total;
	return {
		file: path.join(path.relative(ROOT, dir), file),
		windowMs: (toUs - fromUs) / 1000,
		sampledMs: total / 1000,
		idleShare: share(idle),
		gcShare: share(gc),
		packageSelfShare: share(packageSelf),
		categories: Object.fromEntries([...totals].map(([name, us]) => [name, share(us)])),
		topSelf: [...self]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 25)
			.map(
				([name, us]) =>
					`${(us / 1000).toFixed(0).padStart(6)} ms ${(100 * share(us)).toFixed(1).padStart(5)} %  ${name}`,
			),
	};
}

function renderMarkdown(report) {
	const lines = [];
	const env = report.environment;
	lines.push(`## Benchmark (${report.startedAt.slice(0, 10)})`);
	lines.push('');
	lines.push(
		`Node ${env.node}, n8n ${env.n8n}, ${env.cpus} cores (${env.cpuModel ?? 'unknown CPU'}), total runtime ${report.totalSeconds.toFixed(0)} s, ` +
			`load average ${env.loadavgAtStart.map((v) => v.toFixed(1)).join(' / ')} at the start and ${env.loadavgAtEnd.map((v) => v.toFixed(1)).join(' / ')} at the end. ` +
			"Throughput runs use the Ed25519 key (so the simulator's own verification does not dominate) unless marked ECDSA; " +
			"the simulator runs in its own process. Node times are the Upvest node's `executionTime` from n8n's run data (token fetch included); " +
			'the bare script is axios in one process, one request after another, signing with node:crypto (token fetch included).',
	);
	lines.push('');
	const busiest = Math.max(0, ...report.throughput.map((r) => r.otherLoadCores ?? 0));
	if (busiest > 0.25) {
		lines.push(
			`> **Noisy machine:** other processes used up to ${busiest.toFixed(2)} of the ${env.cpus} cores during the throughput runs (column "Other load"); ` +
				'wall-clock figures are then pessimistic, the CPU-per-item columns and the interleaved signing ratios much less so.',
		);
		lines.push('');
	}
	lines.push('### Signing, per request');
	lines.push('');
	lines.push(
		'| Key | Node signing path (µs) | Bare `crypto.sign` (µs) | Overhead (µs) | Ratio | Target | |',
	);
	lines.push('|---|---:|---:|---:|---:|---|---|');
	for (const s of report.signing) {
		lines.push(
			`| ${s.label} | ${fmt.n1(s.nodeUsPerOp)} | ${fmt.n1(s.bareUsPerOp)} | ${fmt.n1(s.nodeUsPerOp - s.bareUsPerOp)} | ${fmt.n2(s.ratio)} | ≤ 1.1 | ${fmt.verdict(s.met)} |`,
		);
	}
	lines.push('');
	lines.push(
		`Node path: the credential's \`authenticate\` (dist/credentials/UpvestApi.credentials.js) on a POST /account_groups with a Buffer body and an access token, key from the cache. ` +
			`Bare: \`crypto.sign\` of the same signature base with an already-parsed key (no content digest, no headers). Median of per-round ratios over interleaved rounds (${report.signing.map((s) => `${s.label}: ${s.rounds} × ${s.opsPerRound}`).join(', ')}).`,
	);
	lines.push('');
	lines.push(`### Throughput, ${report.options.n} items`);
	lines.push('');
	lines.push(
		'| Run | Key | Latency | Concurrency | Time (ms) | Items/s | Node ÷ bare | Bound (items/s) | Share of bound | Client CPU (ms/item) | Simulator CPU (ms/item) | Other load (cores) | |',
	);
	lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
	for (const r of report.throughput) {
		const key = KEYS[r.keyName].label;
		if (r.kind === 'bare') {
			lines.push(
				`| bare axios script (${r.phase}) | ${key} | ${r.latencyMs} ms | 1 | ${fmt.int(r.ms)} | ${fmt.int(r.itemsPerSecond)} | | | | ${fmt.n2(r.selfCpuMsPerItem)} | ${fmt.n2(r.simulatorCpuMsPerItem)} | ${fmt.n2(r.otherLoadCores)} | |`,
			);
			continue;
		}
		const verdicts = [];
		if (r.vsBareMet !== undefined) verdicts.push(`≤ 1.2 × bare: ${fmt.verdict(r.vsBareMet)}`);
		if (r.vsBareNewConnection !== undefined)
			verdicts.push(`${fmt.n2(r.vsBareNewConnection)} × bare with a new connection per request`);
		if (r.boundMet !== undefined) verdicts.push(`≥ 80 % of bound: ${fmt.verdict(r.boundMet)}`);
		lines.push(
			`| n8n${r.repeat ? ', again with the stored token' : ''} | ${key} | ${r.latencyMs} ms | ${r.concurrency ?? '4 (default)'} | ${fmt.int(r.executionTimeMs)} | ${fmt.int(r.itemsPerSecond)} | ${r.vsBare === undefined ? '' : fmt.n2(r.vsBare)} | ${fmt.int(r.boundItemsPerSecond)} | ${fmt.pct(r.fractionOfBound)} | ${fmt.n2(r.n8nCpuMsPerItem)} | ${fmt.n2(r.simulatorCpuMsPerItem)} | ${fmt.n2(r.otherLoadCores)} | ${verdicts.join(', ')} |`,
		);
	}
	lines.push('');
	lines.push(
		'Node ÷ bare: the sequential node time over the mean of the bare runs around it (target ≤ 1.2); those keep their connection alive, as axios does by default. ' +
			"The bare run with a new connection per request does what n8n's request helper does for every request (a fresh agent, so a fresh TCP connection), which a node cannot change. " +
			'Bound: min(C / L, 1 / bare signing time) items/s, L in seconds (no latency bound at 0 ms); target ≥ 80 % for concurrency > 1. ' +
			'Client CPU: the n8n process while the Upvest node ran (or this script during the bare run), per item; ' +
			'other load: CPU the rest of the machine used meanwhile (other processes, the task runner, the kernel), in cores of the 2.',
	);
	lines.push('');
	lines.push('### Token requests per execution');
	lines.push('');
	lines.push('| Execution | Items | Credential | Token requests | Expected | |');
	lines.push('|---|---:|---|---:|---:|---|');
	for (const t of report.tokens) {
		lines.push(
			`| ${t.label} | ${fmt.int(t.n)} | ${t.fresh ? 'fresh' : 'stored token still valid'} | ${t.tokenRequests} | ${t.expected} | ${fmt.verdict(t.met)} |`,
		);
	}
	lines.push('');
	lines.push('### Memory (peak RSS of the n8n process)');
	lines.push('');
	lines.push(
		'| Workflow | Items | Peak RSS (VmHWM) | RSS before the node | Peak RSS while the node runs |',
	);
	lines.push('|---|---:|---:|---:|---:|');
	for (const m of report.memory.rows) {
		lines.push(
			m.upvest === false
				? `| Set → Split Out → No-Op (control) | ${fmt.int(m.n)} | ${fmt.mb(m.peakRssBytes)} | – | – |`
				: `| Set → Split Out → Upvest${m.heapProbe ? ', full GC every second' : ''} | ${fmt.int(m.n)} | ${fmt.mb(m.peakRssBytes)} | ${fmt.mb(m.rssBeforeUpvestBytes)} | ${fmt.mb(m.windowPeakRssBytes)} |`,
		);
	}
	const ms = report.memory.summary;
	lines.push('');
	if (ms.upvest) {
		lines.push(
			`Growth ${fmt.int(report.options.memSmallN)} → ${fmt.int(report.options.memN)} items: Upvest workflow ${fmt.mb(ms.upvest.growthBytes)} = **${fmt.int(ms.upvest.bytesPerItem)} bytes per item**` +
				(ms.control
					? `; control without the Upvest node ${fmt.mb(ms.control.growthBytes)} = ${fmt.int(ms.control.bytesPerItem)} bytes per item; attributable to the Upvest node and its output ≈ ${fmt.int(ms.attributableBytesPerItem)} bytes per item.`
					: '.') +
				' Peak includes n8n printing the run JSON at the end of `n8n execute`.',
		);
	}
	if (ms.liveHeap?.bytesPerItem !== undefined) {
		const h = ms.liveHeap;
		lines.push('');
		lines.push(
			`What the run keeps: live heap after a full GC grew by **${fmt.int(h.bytesPerItem)} bytes per item** while the node ran ` +
				`(${fmt.mb(h.startBytes)} → ${fmt.mb(h.endBytes)}, ${h.samples} samples; first half ${fmt.int(h.firstHalfBytesPerItem)}, second half ${fmt.int(h.secondHalfBytesPerItem)} bytes per item). ` +
				'The difference to the peak RSS growth is garbage V8 had not collected yet.',
		);
	}
	lines.push('');
	const prof = report.profile;
	if (prof?.categories) {
		lines.push('### Where the n8n process spends its CPU while the node runs');
		lines.push('');
		lines.push(
			`One more execution (${prof.label}) under \`node --cpu-prof\`, after all timings; samples while the Upvest node ran (${fmt.int(prof.sampledMs)} ms, ${report.options.n} items). Inclusive shares of the sampled time:`,
		);
		lines.push('');
		lines.push('| Part | Share |');
		lines.push('|---|---:|');
		for (const [name, value] of Object.entries(prof.categories))
			lines.push(`| ${name.replace(/^ {2}/, '↳ ')} | ${fmt.pct(value)} |`);
		lines.push(
			`| Self time in the package's own code (dist/) | ${fmt.pct(prof.packageSelfShare)} |`,
		);
		lines.push(`| Garbage collector | ${fmt.pct(prof.gcShare)} |`);
		lines.push(`| Idle (waiting for the network or the simulator) | ${fmt.pct(prof.idleShare)} |`);
		lines.push('');
		lines.push(
			`Hottest functions (self time) are printed by the bench and kept in test-artifacts/bench.json; the profile is ${prof.file}.`,
		);
		lines.push('');
	}
	if (report.problems.length > 0) {
		lines.push('### Broken');
		lines.push('');
		for (const p of report.problems) lines.push(`- ${p}`);
		lines.push('');
	}
	return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// lifecycle: stop everything we started, also on Ctrl-C
// ---------------------------------------------------------------------------

const cleanups = [];
async function cleanup() {
	if (currentN8nPid !== undefined) {
		try {
			process.kill(-currentN8nPid, 'SIGKILL'); // the runtime starts the CLI in its own process group
		} catch {
			/* gone */
		}
	}
	while (cleanups.length > 0) {
		try {
			await cleanups.pop()();
		} catch (error) {
			process.stderr.write(`[bench] cleanup: ${error.message}\n`);
		}
	}
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		log(`${signal}: stopping`);
		cleanup().finally(() => process.exit(130));
	});
}

main()
	.then(async (code) => {
		await cleanup();
		log(
			`done in ${((performance.now() - T0) / 1000).toFixed(0)} s${code ? ' — something broke, see above' : ''}`,
		);
		process.exit(code);
	})
	.catch(async (error) => {
		process.stderr.write(`[bench] failed: ${error.stack ?? error}\n`);
		await cleanup();
		process.exit(1);
	});
