'use strict';

/**
 * A throw-away Postgres for n8n: a new cluster in .local/services/postgres-XXXXXX, one database
 * `n8n` owned by the user `n8n` with a random password (SCRAM), listening on 127.0.0.1 only, on a
 * free port, no Unix socket. Postgres refuses to run as root, so as root the cluster belongs to
 * the OS user `postgres` (Debian's package creates it) and every Postgres program runs as that user.
 *
 *   const pg = await startPostgres();   // { host, port, database, user, password, pid, env, stop() }
 *   ... DB_TYPE=postgresdb with pg.env ...
 *   await pg.stop();                    // fast shutdown by PID, then the folder is removed
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { findFreePort } = require('../n8n/ports');
const { ensureServicePackages } = require('./packages');
const { makeDataDir, newPassword, startServer, waitReady } = require('./process');

const DB_USER = 'n8n';
const DB_NAME = 'n8n';

/** The OS user Postgres runs as: `postgres` when we are root, else ourselves (undefined). */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (line === undefined)
		throw new Error('Postgres cannot run as root and there is no OS user "postgres" to run it');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

function run(command, args, { user, env, what }) {
	const result = spawnSync(command, args, {
		env,
		encoding: 'utf8',
		...(user ? { uid: user.uid, gid: user.gid } : {}),
	});
	if (result.status !== 0)
		throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
	return result;
}

/**
 * @param {object} [options]
 * @param {boolean} [options.durable=false] keep fsync and synchronous commits on (off by default:
 *   a test cluster that is thrown away needs no crash safety, and the disk is shared)
 * @param {(message: string) => void} [options.log]
 */
async function startPostgres({ durable = false, log = () => {} } = {}) {
	const { postgres } = ensureServicePackages({ log });
	const user = postgresUser();
	const base = makeDataDir('postgres');
	const dataDir = path.join(base, 'data');
	const password = newPassword();
	const passwordFile = path.join(base, 'password');
	fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
	if (user) {
		fs.chownSync(base, user.uid, user.gid);
		fs.chownSync(passwordFile, user.uid, user.gid);
	}
	const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: base };
	run(
		postgres.bin.initdb,
		[
			'-D',
			dataDir,
			'-U',
			DB_USER,
			'--auth=scram-sha-256',
			`--pwfile=${passwordFile}`,
			'-E',
			'UTF8',
			'--no-sync',
		],
		{ user, env, what: 'initdb' },
	);
	fs.rmSync(passwordFile, { force: true });

	const port = await findFreePort();
	const settings = [
		'listen_addresses=127.0.0.1',
		`port=${port}`,
		'unix_socket_directories=', // empty: TCP only
		'max_connections=200',
		...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
	];
	log(`starting Postgres ${postgres.version} on 127.0.0.1:${port}`);
	const server = startServer({
		command: postgres.bin.postgres,
		args: ['-D', dataDir, ...settings.flatMap((setting) => ['-c', setting])],
		logFile: path.join(base, 'postgres.log'),
		user,
		env,
		cwd: base,
		dataDir: base,
		stopSignal: 'SIGINT', // fast shutdown: ends the sessions, then exits
	});
	const clientEnv = { ...env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER];
	await waitReady(server, 'Postgres', async () => {
		const ready = spawnSync(postgres.bin.pg_isready, [...connection, '-d', 'postgres'], {
			env: clientEnv,
		});
		return ready.status === 0;
	});
	try {
		run(postgres.bin.createdb, [...connection, '-O', DB_USER, DB_NAME], {
			user,
			env: clientEnv,
			what: 'createdb',
		});
	} catch (error) {
		await server.stop();
		throw error;
	}

	return {
		host: '127.0.0.1',
		port,
		database: DB_NAME,
		user: DB_USER,
		password,
		pid: server.pid,
		dir: base,
		/** The n8n variables that point an n8n process at this database. */
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DB_NAME,
			DB_POSTGRESDB_USER: DB_USER,
			DB_POSTGRESDB_PASSWORD: password,
		},
		logTail: server.tail,
		/** Fast shutdown by PID, then the cluster's folder is removed. */
		stop: () => server.stop(),
	};
}

module.exports = { startPostgres };
