'use strict';

/**
 * Runs this package in a real n8n (2.8.4, the newest n8n that supports Node 20).
 *
 *   const rt = require('./scripts/n8n-runtime');
 *   rt.ensureN8n();                                  // install once into .local/n8n (~6 min), then reuse
 *   rt.ensureBuilt();                                // npm run build when dist/ is missing or stale
 *   const n8n = rt.createInstance({ name: 'e2e' });  // isolated user folder, package linked as a community package
 *   await n8n.importCredentials([rt.credentialFor(simulatorUrl)]);
 *   await n8n.importWorkflow(workflowJson);
 *   const { exitCode, run } = await n8n.execute(workflowJson.id);
 *   await n8n.start(); await n8n.setupOwner(rt.LOCAL_OWNER); ...; await n8n.stop();
 *
 * Node builtins only. Everything listens on 127.0.0.1. Every process started here is stopped
 * by its PID (the server runs in its own process group so its task runner goes with it).
 * See /work/shared/reference/n8n-runtime.md for what was measured on this machine.
 */

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { httpJson } = require('./http-client');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-upvest';
const N8N_VERSION = '2.8.4';
const N8N_DIR = path.join(ROOT, '.local', 'n8n');
const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const INSTANCES_DIR = path.join(ROOT, '.local', 'instances');

/** Node type names as n8n sees them when the package is loaded as a community package. */
const NODE_TYPE = `${PACKAGE_NAME}.upvest`;
const CREDENTIAL_TYPE = 'upvestApi';

/** The fixed local login that scripts/start.js creates (local, 127.0.0.1 only, not a secret). */
const LOCAL_OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'UpvestLocal-Passw0rd!',
	firstName: 'Local',
	lastName: 'Owner',
});

const SIMULATOR_CREDENTIAL = Object.freeze({
	id: 'UpvestSimCred001',
	name: 'Upvest simulator (test client)',
});

function defaultLog(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------
// install
// ---------------------------------------------------------------------------

/** The version of n8n in .local/n8n, or undefined when it is missing or half-installed. */
function installedN8nVersion() {
	const pkg = readJson(path.join(N8N_DIR, 'node_modules', 'n8n', 'package.json'));
	if (!pkg || !fs.existsSync(N8N_BIN)) return undefined;
	// sqlite3 is compiled by its install script near the end of `npm install`; without it n8n cannot start.
	const sqlite = path.join(
		N8N_DIR,
		'node_modules',
		'sqlite3',
		'build',
		'Release',
		'node_sqlite3.node',
	);
	if (!fs.existsSync(sqlite)) return undefined;
	return pkg.version;
}

/**
 * Environment for a child npm: npm exports its own config (npm_config_ignore_scripts=true from
 * this project's .npmrc, npm_config_local_prefix=<project>) to scripts; a nested install must not inherit it.
 */
function cleanNpmEnv() {
	const env = {};
	const keep = new Set([
		'npm_config_cache',
		'npm_config_userconfig',
		'npm_config_registry',
		'npm_config_cafile',
	]);
	for (const [name, value] of Object.entries(process.env)) {
		const lower = name.toLowerCase();
		if ((lower.startsWith('npm_') && !keep.has(lower)) || lower === 'init_cwd') continue;
		env[name] = value;
	}
	return env;
}

/**
 * Installs the pinned n8n into .local/n8n, or reuses it when it is already there.
 * A fresh install takes about 6 minutes on 2 cores (sqlite3 is compiled) and 2.3 GB.
 * @returns {string} path of the n8n bin script
 */
function ensureN8n({ log = defaultLog } = {}) {
	if (installedN8nVersion() === N8N_VERSION) return N8N_BIN;
	const release = acquireInstallLock(log);
	try {
		return installN8n(log);
	} finally {
		release();
	}
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** One install at a time per checkout (two test files or `npm start` + tests on a bare machine). */
function acquireInstallLock(log) {
	const lock = path.join(ROOT, '.local', 'n8n-install.lock');
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return () => fs.rmSync(lock, { recursive: true, force: true });
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const owner = Number(readJson(path.join(lock, 'pid')));
		if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
			fs.rmSync(lock, { recursive: true, force: true }); // left behind by a killed install
			continue;
		}
		if (!told) {
			log(
				`waiting for another process (pid ${owner || '?'}) that is installing n8n into ${path.relative(ROOT, N8N_DIR)}`,
			);
			told = true;
		}
		sleepSync(5000);
	}
}

function installN8n(log) {
	const version = installedN8nVersion();
	if (version === N8N_VERSION) return N8N_BIN; // the other process finished it
	log(
		version === undefined
			? `installing n8n ${N8N_VERSION} into ${path.relative(ROOT, N8N_DIR)} (takes about 6 minutes the first time)`
			: `replacing n8n ${version} with ${N8N_VERSION} in ${path.relative(ROOT, N8N_DIR)}`,
	);
	fs.mkdirSync(N8N_DIR, { recursive: true });
	const manifest = {
		name: 'n8n-nodes-upvest-local-n8n',
		private: true,
		description: `n8n ${N8N_VERSION} for running ${PACKAGE_NAME} locally (scripts/n8n-runtime.js)`,
		dependencies: { n8n: N8N_VERSION },
		// n8n-nodes-base 2.8.x wants xlsx from cdn.sheetjs.com, which is not reachable from npm-only networks.
		overrides: { xlsx: '0.18.5' },
	};
	fs.writeFileSync(path.join(N8N_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const started = Date.now();
	const result = spawnSync(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts=false', '--loglevel=error'],
		{ cwd: N8N_DIR, env: cleanNpmEnv(), stdio: ['ignore', 'inherit', 'inherit'] },
	);
	if (result.error)
		throw new Error(`npm install of n8n ${N8N_VERSION} could not start: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(
			`npm install of n8n ${N8N_VERSION} failed (exit ${result.status}) in ${N8N_DIR}`,
		);
	}
	const now = installedN8nVersion();
	if (now !== N8N_VERSION) {
		throw new Error(
			`after npm install, ${N8N_DIR} has n8n ${now ?? '(nothing usable)'}, expected ${N8N_VERSION}`,
		);
	}
	log(`n8n ${N8N_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return N8N_BIN;
}

// ---------------------------------------------------------------------------
// build
// ---------------------------------------------------------------------------

const BUILD_OUTPUTS = [
	'dist/nodes/Upvest/Upvest.node.js',
	'dist/credentials/UpvestApi.credentials.js',
];
const BUILD_INPUTS = [
	'nodes',
	'credentials',
	'icons',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
];

function newestMtime(entry) {
	let stat;
	try {
		stat = fs.statSync(entry);
	} catch {
		return 0;
	}
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const child of fs.readdirSync(entry))
		newest = Math.max(newest, newestMtime(path.join(entry, child)));
	return newest;
}

/** True when dist/ lacks the node or credential, or a source is newer than the oldest output. */
function needsBuild() {
	let oldestOutput = Infinity;
	for (const output of BUILD_OUTPUTS) {
		try {
			oldestOutput = Math.min(oldestOutput, fs.statSync(path.join(ROOT, output)).mtimeMs);
		} catch {
			return true;
		}
	}
	const newestInput = Math.max(...BUILD_INPUTS.map((entry) => newestMtime(path.join(ROOT, entry))));
	return newestInput > oldestOutput;
}

/** Runs `npm run build` when dist/ is missing or older than the sources. Returns true when it built. */
function ensureBuilt({ log = defaultLog, force = false } = {}) {
	if (!force && !needsBuild()) return false;
	log('building the package (npm run build)');
	const result = spawnSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		env: cleanNpmEnv(),
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.error) throw new Error(`npm run build could not start: ${result.error.message}`);
	if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
	return true;
}

// ---------------------------------------------------------------------------
// ports and HTTP
// ---------------------------------------------------------------------------

/** Resolves true when nothing listens on 127.0.0.1:<port> (and we may bind it). */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
			server.close(() => resolve(true)),
		);
	});
}

/** A free port on 127.0.0.1: `preferred` when it is free, otherwise one the OS picks. */
async function findFreePort(preferred) {
	if (preferred && (await isPortFree(preferred))) return preferred;
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function cookieFrom(headers) {
	const setCookie = headers['set-cookie'] || [];
	return setCookie
		.map((c) => c.split(';')[0])
		.filter((c) => c.startsWith('n8n-auth='))
		.join('; ');
}

// ---------------------------------------------------------------------------
// the simulator credential
// ---------------------------------------------------------------------------

/**
 * The n8n credential (import JSON) for the simulator's fixture test client.
 * @param {string} simulatorUrl e.g. http://127.0.0.1:4010
 * @param {'ecdsa'|'ed25519'} [key='ecdsa'] which of the client's registered signing keys to use
 * @param {{id?: string, name?: string, scopes?: string}} [overrides]
 */
function credentialFor(simulatorUrl, key = 'ecdsa', overrides = {}) {
	const { testClient } = require(path.join(ROOT, 'simulator', 'fixtures'));
	const signingKey = testClient[key];
	if (!signingKey) throw new Error(`unknown simulator key "${key}": use "ecdsa" or "ed25519"`);
	const isDefault = key === 'ecdsa';
	return {
		id: overrides.id ?? (isDefault ? SIMULATOR_CREDENTIAL.id : 'UpvestSimCred002'),
		name:
			overrides.name ??
			(isDefault ? SIMULATOR_CREDENTIAL.name : `${SIMULATOR_CREDENTIAL.name}, Ed25519`),
		type: CREDENTIAL_TYPE,
		data: {
			environment: 'custom',
			baseUrl: String(simulatorUrl).replace(/\/+$/, ''),
			clientId: testClient.clientId,
			clientSecret: testClient.clientSecret,
			keyId: signingKey.keyId,
			privateKey: signingKey.privateKeyPem,
			passphrase: signingKey.passphrase ?? '',
			scopes: overrides.scopes ?? 'accounts:admin roles:admin',
		},
	};
}

// ---------------------------------------------------------------------------
// instances
// ---------------------------------------------------------------------------

/** Variables of the caller that would change how n8n behaves; the instance sets its own. */
function isN8nVariable(name) {
	return /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_FUNCTION_ALLOW_|NODES_(INCLUDE|EXCLUDE)$|CREDENTIALS_OVERWRITE_|npm_)/i.test(
		name,
	);
}

function linkPackage(userFolder, packageDir) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(nodesDir, { recursive: true });
	const link = path.join(nodesDir, PACKAGE_NAME);
	let current;
	try {
		current = fs.readlinkSync(link);
	} catch {
		current = undefined;
	}
	if (current !== packageDir) {
		fs.rmSync(link, { recursive: true, force: true });
		fs.symlinkSync(packageDir, link, 'dir');
	}
	return link;
}

/** Extracts the IRun JSON `n8n execute` prints between a line `{` and the matching line `}`. */
function parseRun(stdout) {
	// At debug level n8n prefixes log lines ("<time> | info  | {") and suffixes the closing one ("} {...}").
	const prefix = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \| [a-z]+\s*\| /;
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((line) => line.replace(prefix, '') === '{');
	if (start === -1) return undefined;
	const end = lines.findIndex((line, index) => index > start && /^\}(?: \{.*\})?$/.test(line));
	if (end === -1) return undefined;
	try {
		return JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n'));
	} catch {
		return undefined;
	}
}

function parseExecutionError(output, run) {
	const fromRun = run?.data?.resultData?.error?.message;
	if (typeof fromRun === 'string' && fromRun !== '') return fromRun;
	const pattern = /Execution error:[ \t]*\r?\n(?:=+[ \t]*\r?\n)?([^\r\n]*)/g;
	let message;
	for (let match = pattern.exec(output); match !== null; match = pattern.exec(output)) {
		const line = match[1].trim();
		if (line !== '' && line !== '{') message = line;
	}
	if (message !== undefined) return message;
	const lines = output
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	return lines[lines.length - 1];
}

/**
 * An isolated n8n user folder with this package linked as a community package.
 *
 * @param {object} [options]
 * @param {string} [options.name='default'] folder name under .local/instances (ignored when `dir` is given)
 * @param {string} [options.dir] the user folder (n8n keeps its data in <dir>/.n8n)
 * @param {number} [options.port=5678] HTTP port for start()
 * @param {number} [options.brokerPort=5679] task-broker port for start(); CLI commands get their own free port
 * @param {string} [options.encryptionKey] default: fixed, derived from the folder
 * @param {object} [options.env] extra environment (wins over the defaults)
 * @param {string} [options.packageDir] the package to link (default: this project; must contain a built dist/)
 * @param {(msg: string) => void} [options.log]
 */
function createInstance(options = {}) {
	const name = options.name ?? 'default';
	const dir = path.resolve(options.dir ?? path.join(INSTANCES_DIR, name));
	const port = options.port ?? 5678;
	const brokerPort = options.brokerPort ?? 5679;
	const log = options.log ?? defaultLog;
	const encryptionKey =
		options.encryptionKey ??
		`upvest-local-${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 32)}`;

	const packageDir = path.resolve(options.packageDir ?? ROOT);

	if (!fs.existsSync(N8N_BIN))
		throw new Error(`n8n is not installed in ${N8N_DIR}: call ensureN8n() first`);
	for (const output of BUILD_OUTPUTS) {
		if (!fs.existsSync(path.join(packageDir, output))) {
			throw new Error(`${path.join(packageDir, output)} is missing: call ensureBuilt() first`);
		}
	}
	fs.mkdirSync(path.join(dir, '.n8n'), { recursive: true });
	const packageLink = linkPackage(dir, packageDir);
	const workDir = path.join(dir, 'work');
	fs.mkdirSync(workDir, { recursive: true });
	const serverLogFile = path.join(dir, 'n8n-server.log');

	function env(extra = {}) {
		const base = {};
		for (const [key, value] of Object.entries(process.env))
			if (!isN8nVariable(key)) base[key] = value;
		const result = {
			...base,
			NODE_ENV: 'production',
			N8N_USER_FOLDER: dir,
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'info', // lower hides the result of `n8n execute`
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'false', // only blocks installs from the UI; linked packages still load
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_AI_ENABLED: 'false',
			...(options.env ?? {}),
			...extra,
		};
		// Set-but-empty makes n8n glob the working directory for nodes; this package is loaded as a community package.
		delete result.N8N_CUSTOM_EXTENSIONS;
		return result;
	}

	let server; // { child, exited: Promise }
	let serverLog = '';
	const cliLogs = [];

	/** Runs one n8n CLI command to completion. Resolves { exitCode, signal, stdout, stderr, ms }. */
	async function cli(args, { timeoutMs = 180000, extraEnv = {} } = {}) {
		const cliBrokerPort = await findFreePort();
		const started = Date.now();
		return new Promise((resolve, reject) => {
			const child = spawn(process.execPath, [N8N_BIN, ...args], {
				cwd: workDir,
				env: env({ N8N_RUNNERS_BROKER_PORT: String(cliBrokerPort), ...extraEnv }),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true, // own process group: a timeout kills the task runner too
			});
			const out = [];
			const err = [];
			child.stdout.on('data', (chunk) => out.push(chunk));
			child.stderr.on('data', (chunk) => err.push(chunk));
			const timer = setTimeout(() => {
				log(`n8n ${args[0]} timed out after ${timeoutMs} ms; killing pid ${child.pid}`);
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
			}, timeoutMs);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('close', (code, signal) => {
				clearTimeout(timer);
				const result = {
					exitCode: code,
					signal,
					stdout: Buffer.concat(out).toString('utf8'),
					stderr: Buffer.concat(err).toString('utf8'),
					ms: Date.now() - started,
				};
				cliLogs.push(
					`$ n8n ${args.join(' ')}  (exit ${code}, ${result.ms} ms)\n${result.stdout}${result.stderr}`,
				);
				if (cliLogs.length > 20) cliLogs.shift();
				resolve(result);
			});
		});
	}

	async function cliOrThrow(args, what) {
		const result = await cli(args);
		if (result.exitCode !== 0) {
			throw new Error(
				`${what} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	function writeWorkFile(prefix, content) {
		const file = path.join(
			workDir,
			`${prefix}-${process.pid}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}.json`,
		);
		fs.writeFileSync(file, JSON.stringify(content, null, 2), { mode: 0o600 });
		return file;
	}

	const instance = {
		dir,
		port,
		brokerPort,
		url: `http://127.0.0.1:${port}`,
		packageLink,
		env,
		cli,

		editorUrl(workflowId) {
			return workflowId ? `${instance.url}/workflow/${workflowId}` : `${instance.url}/`;
		},

		/** Imports credentials (plain `data` objects; n8n encrypts them). Same id = overwrite. */
		async importCredentials(credentials) {
			const list = Array.isArray(credentials) ? credentials : [credentials];
			const file = writeWorkFile('credentials', list);
			try {
				await cliOrThrow(['import:credentials', `--input=${file}`], 'n8n import:credentials');
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((c) => c.id);
		},

		/** Imports one workflow object or an array of them. Same id = overwrite. Returns the ids. */
		async importWorkflow(workflows) {
			const list = Array.isArray(workflows) ? workflows : [workflows];
			const file = writeWorkFile('workflows', list);
			try {
				await cliOrThrow(['import:workflow', `--input=${file}`], 'n8n import:workflow');
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((w) => w.id);
		},

		/**
		 * `n8n execute --id <id> --rawOutput` in its own process (with its own task-broker port, so it
		 * also works while start() runs). Resolves { exitCode, run, error, stdout, stderr, ms }:
		 * `run` is the parsed IRun (also on failure, when n8n printed it), `error` the CLI's error line.
		 */
		async execute(workflowId, { timeoutMs = 180000 } = {}) {
			const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
			const run = parseRun(result.stdout);
			return {
				...result,
				run,
				error:
					result.exitCode === 0
						? undefined
						: parseExecutionError(`${result.stdout}\n${result.stderr}`, run),
			};
		},

		/** `n8n start` on 127.0.0.1:<port>; resolves when /healthz and the REST API (/rest/settings) answer 200. */
		async start({ timeoutMs = 120000 } = {}) {
			if (server) return instance;
			for (const [label, p] of [
				['HTTP', port],
				['task broker', brokerPort],
			]) {
				if (!(await isPortFree(p)))
					throw new Error(`port ${p} (${label}) on 127.0.0.1 is already in use`);
			}
			serverLog = '';
			const logStream = fs.createWriteStream(serverLogFile, { flags: 'a' });
			logStream.write(`\n==== n8n start ${new Date().toISOString()} ====\n`);
			const child = spawn(process.execPath, [N8N_BIN, 'start'], {
				cwd: workDir,
				env: env(),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			const onData = (chunk) => {
				logStream.write(chunk);
				serverLog += chunk.toString('utf8');
				if (serverLog.length > 2_000_000) serverLog = serverLog.slice(-1_000_000);
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			const exited = new Promise((resolve) => {
				child.once('close', (code, signal) => {
					logStream.end();
					resolve({ code, signal });
				});
			});
			server = { child, exited, exitedEarly: undefined };
			exited.then((status) => {
				if (server && server.child === child) server.exitedEarly = status;
			});

			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (server.exitedEarly) {
					const status = server.exitedEarly;
					server = undefined;
					throw new Error(
						`n8n start exited early (${status.code ?? status.signal}):\n${serverLog.slice(-4000)}`,
					);
				}
				try {
					// /healthz answers before the REST API is mounted; /rest/settings (public) only after.
					const health = await httpJson(`${instance.url}/healthz`, { timeoutMs: 2000 });
					const settings =
						health.status === 200
							? await httpJson(`${instance.url}/rest/settings`, { timeoutMs: 5000 })
							: undefined;
					if (settings?.status === 200) break;
				} catch {
					/* not listening yet */
				}
				if (Date.now() > deadline) {
					await instance.stop();
					throw new Error(
						`n8n did not answer /healthz within ${timeoutMs} ms:\n${serverLog.slice(-4000)}`,
					);
				}
				await sleep(250);
			}
			return instance;
		},

		get pid() {
			return server ? server.child.pid : undefined;
		},

		/** True while the owner account is still to be created (GET /rest/settings). */
		async needsOwnerSetup() {
			const res = await httpJson(`${instance.url}/rest/settings`);
			if (res.status !== 200)
				throw new Error(`GET /rest/settings answered ${res.status}: ${res.text}`);
			return Boolean(res.json?.data?.userManagement?.showSetupOnFirstLoad);
		},

		/**
		 * Creates the owner when there is none yet, else logs in with the same details.
		 * Resolves { created, cookie } (cookie: "n8n-auth=..." for REST calls).
		 */
		async setupOwner(owner = LOCAL_OWNER) {
			if (await instance.needsOwnerSetup()) {
				const res = await httpJson(`${instance.url}/rest/owner/setup`, {
					method: 'POST',
					body: {
						email: owner.email,
						password: owner.password,
						firstName: owner.firstName,
						lastName: owner.lastName,
					},
				});
				if (res.status !== 200) throw new Error(`owner setup answered ${res.status}: ${res.text}`);
				return { created: true, cookie: cookieFrom(res.headers) };
			}
			return { created: false, cookie: await instance.login(owner) };
		},

		/** Logs in; resolves the "n8n-auth=..." cookie. */
		async login({ email, password } = LOCAL_OWNER) {
			const res = await httpJson(`${instance.url}/rest/login`, {
				method: 'POST',
				body: { emailOrLdapLoginId: email, password },
			});
			if (res.status !== 200)
				throw new Error(`login as ${email} answered ${res.status}: ${res.text}`);
			return cookieFrom(res.headers);
		},

		/** Stops the server started by start(): SIGTERM to its PID, SIGKILL to its group after `graceMs`. */
		async stop({ graceMs = 20000 } = {}) {
			if (!server) return;
			const { child, exited } = server;
			server = undefined;
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(child.pid, 'SIGTERM');
				} catch {
					/* already gone */
				}
				const done = await Promise.race([
					exited.then(() => true),
					sleep(graceMs).then(() => false),
				]);
				if (!done) {
					log(
						`n8n (pid ${child.pid}) did not stop within ${graceMs} ms; killing its process group`,
					);
					try {
						process.kill(-child.pid, 'SIGKILL');
					} catch {
						/* already gone */
					}
					await exited;
				}
			}
			// The task runner is in the same group; make sure nothing of it survives.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* group is empty */
			}
		},

		/** The server's output (this start) followed by the last CLI commands' output. */
		logs() {
			return [serverLog && `---- n8n start ----\n${serverLog}`, ...cliLogs]
				.filter(Boolean)
				.join('\n');
		},
	};
	return instance;
}

/** Output items of one node in an IRun: [{ json, pairedItem, ... }] (first run, given output). */
function nodeOutput(run, nodeName, { runIndex = 0, output = 0 } = {}) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[runIndex];
	if (!task) return undefined;
	return task.data?.main?.[output] ?? [];
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	N8N_VERSION,
	N8N_DIR,
	N8N_BIN,
	INSTANCES_DIR,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	LOCAL_OWNER,
	SIMULATOR_CREDENTIAL,
	installedN8nVersion,
	ensureN8n,
	needsBuild,
	ensureBuilt,
	isPortFree,
	findFreePort,
	httpJson,
	credentialFor,
	createInstance,
	parseRun,
	parseExecutionError,
	nodeOutput,
};
