'use strict';

/**
 * What an n8n user folder stores in its SQLite database: every row of every table, read through
 * SQLite itself (values that span overflow pages come back whole), and n8n's encryption of
 * credential data, so a test can look inside both.
 */

const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const path = require('node:path');

/**
 * Run by the n8n install's own Node, with its sqlite3 module (a native module built for that
 * Node). Prints { table: rows } as JSON; BLOBs become latin1 text, so their bytes stay searchable.
 */
const DUMP_SCRIPT = `
const [sqlite3Path, file] = process.argv.slice(1);
const sqlite3 = require(sqlite3Path);
const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
const all = (sql) => new Promise((resolve, reject) =>
	db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
const text = (value) => (Buffer.isBuffer(value) ? value.toString('latin1') : value);
(async () => {
	const tables = await all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
	const result = {};
	for (const { name } of tables) {
		const rows = await all('SELECT * FROM "' + String(name).replace(/"/g, '""') + '"');
		result[name] = rows.map((row) =>
			Object.fromEntries(Object.entries(row).map(([key, value]) => [key, text(value)])));
	}
	db.close(() => process.stdout.write(JSON.stringify(result)));
})().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
`;

/** The SQLite file of an instance from scripts/n8n/instance.js. */
const databaseFile = (instance) => path.join(instance.dir, '.n8n', 'database.sqlite');

/**
 * Every row of every table of the instance's database (read-only; run it while no n8n command
 * of that instance runs). Resolves { [table]: rows }.
 */
function readTables(instance) {
	const sqlite3 = path.join(instance.install.dir, 'node_modules', 'sqlite3');
	return new Promise((resolve, reject) => {
		execFile(
			instance.install.node,
			['-e', DUMP_SCRIPT, sqlite3, databaseFile(instance)],
			{ env: instance.install.env({ ...process.env }), maxBuffer: 512 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`reading ${databaseFile(instance)} failed: ${stderr}`));
				else resolve(JSON.parse(stdout));
			},
		);
	});
}

/**
 * Decrypts a credential's `data` column as n8n's Cipher encrypts it: AES-256-CBC, key and IV from
 * the encryption key and the salt by OpenSSL's EVP_BytesToKey with MD5 ("Salted__" format).
 */
function decryptCredentialData(data, encryptionKey) {
	const input = Buffer.from(String(data), 'base64');
	if (input.subarray(0, 8).toString('latin1') !== 'Salted__')
		throw new Error('credential data is not in the OpenSSL "Salted__" format');
	const password = Buffer.concat([Buffer.from(encryptionKey, 'binary'), input.subarray(8, 16)]);
	const md5 = (...parts) => crypto.createHash('md5').update(Buffer.concat(parts)).digest();
	const first = md5(password);
	const second = md5(first, password);
	const iv = md5(second, password);
	const decipher = crypto.createDecipheriv('aes-256-cbc', Buffer.concat([first, second]), iv);
	const plain = Buffer.concat([decipher.update(input.subarray(16)), decipher.final()]);
	return JSON.parse(plain.toString('utf8'));
}

module.exports = { databaseFile, readTables, decryptCredentialData };
