'use strict';

/**
 * An isolated n8n user folder with this package linked as a community package (so the node type is
 * n8n-nodes-upvest.upvest, as after an npm install), run by one installed n8n version:
 * imports and `n8n execute` through the CLI, `n8n start` for the editor and the REST API.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { INSTANCES_DIR, PACKAGE_NAME, ROOT, logger } = require('./project');
const { selectedVersion } = require('./versions');
const { n8nInstall } = require('./install');
const { assertBuilt } = require('./build');
const { findFreePort } = require('./ports');
const { runN8n, parseRun, parseExecutionError } = require('./cli');
const { serverControl } = require('./server');
const owner = require('./owner');

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

function userFolder(options, name) {
	if (options.dir) return path.resolve(options.dir);
	if (!options.temporary) return path.join(INSTANCES_DIR, name);
	fs.mkdirSync(INSTANCES_DIR, { recursive: true });
	return fs.mkdtempSync(path.join(INSTANCES_DIR, `${name}-`));
}

/**
 * @param {object} [options]
 * @param {string} [options.version] n8n version (default: UPVEST_N8N_VERSION, else 2.8.4); install it with ensureN8n first
 * @param {string} [options.name='default'] folder name under the instances folder of scripts/n8n/project.js (ignored when `dir` is given)
 * @param {boolean} [options.temporary] a new folder <instances>/<name>-XXXXXX (see remove())
 * @param {string} [options.dir] the user folder (n8n keeps its data in <dir>/.n8n)
 * @param {number} [options.port=5678] HTTP port for start()
 * @param {number} [options.brokerPort=5679] task-broker port for start(); CLI commands get their own free port
 * @param {string} [options.encryptionKey] default: fixed, derived from the folder
 * @param {Record<string, string>} [options.env] extra environment (wins over the defaults)
 * @param {string} [options.packageDir] the built package to link (default: this project)
 * @param {(message: string) => void} [options.log]
 */
function createInstance(options = {}) {
	const version = options.version ?? selectedVersion();
	const install = n8nInstall(version);
	const name = options.name ?? 'default';
	const port = options.port ?? 5678;
	const brokerPort = options.brokerPort ?? 5679;
	const log = options.log ?? logger('n8n');
	const packageDir = path.resolve(options.packageDir ?? ROOT);

	if (!fs.existsSync(install.bin))
		throw new Error(
			`n8n ${version} is not installed in ${install.dir}: call ensureN8n({ version }) first`,
		);
	assertBuilt(packageDir);
	const dir = userFolder(options, name);
	const encryptionKey =
		options.encryptionKey ??
		`upvest-local-${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 32)}`;
	fs.mkdirSync(path.join(dir, '.n8n'), { recursive: true });
	const packageLink = linkPackage(dir, packageDir);
	const workDir = path.join(dir, 'work');
	fs.mkdirSync(workDir, { recursive: true });
	const url = `http://127.0.0.1:${port}`;

	function env(extra = {}) {
		const base = {};
		for (const [key, value] of Object.entries(process.env))
			if (!isN8nVariable(key)) base[key] = value;
		const result = {
			...install.env(base),
			NODE_ENV: 'production',
			N8N_USER_FOLDER: dir,
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: url,
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

	const server = serverControl({
		install,
		cwd: workDir,
		env: () => env(),
		url,
		ports: [
			['HTTP', port],
			['task broker', brokerPort],
		],
		logFile: path.join(dir, 'n8n-server.log'),
		log,
	});
	const cliLogs = [];

	/** Runs one n8n CLI command to completion (with its own free task-broker port, so it also works next to start()). */
	async function cli(args, { timeoutMs = 180000, extraEnv = {} } = {}) {
		const cliBrokerPort = await findFreePort();
		const result = await runN8n(install, args, {
			cwd: workDir,
			env: env({ N8N_RUNNERS_BROKER_PORT: String(cliBrokerPort), ...extraEnv }),
			timeoutMs,
			log,
		});
		cliLogs.push(
			`$ n8n ${args.join(' ')}  (exit ${result.exitCode}, ${result.ms} ms)\n${result.stdout}${result.stderr}`,
		);
		if (cliLogs.length > 20) cliLogs.shift();
		return result;
	}

	/** Imports a list (or one) of credentials or workflows through `n8n import:<kind>`. Same id = overwrite. */
	async function importList(kind, entries) {
		const list = Array.isArray(entries) ? entries : [entries];
		const suffix = `${process.pid}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
		const file = path.join(workDir, `${kind}-${suffix}.json`);
		fs.writeFileSync(file, JSON.stringify(list, null, 2), { mode: 0o600 });
		try {
			const result = await cli([`import:${kind}`, `--input=${file}`]);
			if (result.exitCode !== 0)
				throw new Error(
					`n8n import:${kind} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
				);
		} finally {
			fs.rmSync(file, { force: true });
		}
		return list.map((entry) => entry.id);
	}

	const instance = {
		version,
		nodeVersion: install.nodeVersion,
		install,
		dir,
		port,
		brokerPort,
		url,
		packageLink,
		env,
		cli,

		editorUrl: (workflowId) => (workflowId ? `${url}/workflow/${workflowId}` : `${url}/`),

		/** Imports credentials (plain `data` objects; n8n encrypts them). Resolves their ids. */
		importCredentials: (credentials) => importList('credentials', credentials),

		/** Imports one workflow object or an array of them. Resolves their ids. */
		importWorkflow: (workflows) => importList('workflow', workflows),

		/**
		 * `n8n execute --id <id> --rawOutput`. Resolves { exitCode, run, error, stdout, stderr, ms }:
		 * `run` is the parsed IRun (also on failure, when n8n printed it), `error` the CLI's error line.
		 */
		async execute(workflowId, { timeoutMs = 180000 } = {}) {
			const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
			const run = parseRun(result.stdout);
			const error =
				result.exitCode === 0
					? undefined
					: parseExecutionError(`${result.stdout}\n${result.stderr}`, run);
			return { ...result, run, error };
		},

		/** `n8n start` on 127.0.0.1:<port>; resolves when /healthz and the REST API answer 200. */
		async start(startOptions) {
			await server.start(startOptions);
			return instance;
		},

		/** Stops the server: SIGTERM to its PID, SIGKILL to its process group after `graceMs`. */
		stop: (stopOptions) => server.stop(stopOptions),

		get pid() {
			return server.pid;
		},

		needsOwnerSetup: () => owner.needsOwnerSetup(url),
		/** Creates the owner when there is none yet, else logs in. Resolves { created, cookie }. */
		setupOwner: (account) => owner.setupOwner(url, account),
		/** Logs in; resolves the "n8n-auth=..." cookie. */
		login: (account) => owner.login(url, account),
		/** GET /rest/... with the cookie from login(); resolves the answer's `data`. */
		restGet: (urlPath, cookie) => owner.restGet(url, urlPath, cookie),

		/** The server's output (this start) followed by the last CLI commands' output. */
		logs() {
			const serverOutput = server.output();
			return [serverOutput && `---- n8n start ----\n${serverOutput}`, ...cliLogs]
				.filter(Boolean)
				.join('\n');
		},

		/** Stops the server and deletes the user folder, unless `keep` (to look at it afterwards). */
		async remove({ keep = false } = {}) {
			await server.stop();
			if (!keep) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return instance;
}

module.exports = { createInstance };
