#!/usr/bin/env node
'use strict';

/**
 * Runs the Upvest sandbox simulator in the foreground (npm run simulator). See docs/simulator.md.
 */

const path = require('node:path');
const { startSimulator, LOOPBACK_HOSTS } = require('./server');
const { testClient } = require('./fixtures');

const USAGE = `Usage: node simulator/cli.js [options]

  --port N                 port to listen on (default 4010, 0 = any free port)
  --host HOST              127.0.0.1 (default), localhost or ::1 - loopback only
  --latency-ms N           delay every API response by N ms (default 0)
  --token-ttl-seconds N    access token lifetime (default 1799)
  --check-references       404 for roles on account groups this simulator did not create
  --activation-delay-ms N  account groups, accounts and roles of owners the simulator does not
                           know (or that are ACTIVE), and tax residencies, turn ACTIVE after
                           N ms (default 1000; "never" keeps them pending)
  --close-delay-ms N       closing account groups and accounts turn CLOSED, offboarding users
                           OFFBOARDED, after N ms (default 1000; "never")
  --check-delay-ms N       user and business checks are decided after N ms
                           (default 1000; "never" keeps them IN_PROGRESS)
  --check-outcome OUTCOME  PASSED (default) or FAILED: how checks are decided
  --max-page-size N        at most N items per list page (default 1000)
  --strict-webhook-urls    webhook URLs must be https with a DNS host name, as at Upvest
  --webhook-batch-delay-ms N  collect webhook events for N ms per delivery (default 50)
  --webhook-retry-scale X  multiply the webhook retry backoff (1, 2, 3, 5, 8 ... 600 s) by X
  --help                   show this text`;

function fail(message) {
	console.error(`${message}\n\n${USAGE}`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { port: 4010, host: '127.0.0.1' };
	const integer = (flag, value) => {
		if (value === undefined || !/^\d+$/.test(value)) fail(`${flag} needs a non-negative integer`);
		return Number(value);
	};
	const delay = (flag, value) => (value === 'never' ? null : integer(flag, value));
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		let value;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq !== -1) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const next = () => (value !== undefined ? value : argv[++i]);
		switch (arg) {
			case '--port':
				opts.port = integer(arg, next());
				if (opts.port > 65535) fail('--port must be at most 65535');
				break;
			case '--host':
				opts.host = next();
				break;
			case '--latency-ms':
				opts.latencyMs = integer(arg, next());
				break;
			case '--token-ttl-seconds':
				opts.tokenTtlSeconds = integer(arg, next());
				if (opts.tokenTtlSeconds < 1) fail('--token-ttl-seconds must be at least 1');
				break;
			case '--check-references':
				opts.checkReferences = true;
				break;
			case '--activation-delay-ms':
				opts.activationDelayMs = delay(arg, next());
				break;
			case '--close-delay-ms':
				opts.closeDelayMs = delay(arg, next());
				break;
			case '--check-delay-ms':
				opts.checkDelayMs = delay(arg, next());
				break;
			case '--check-outcome':
				opts.checkOutcome = next();
				if (!['PASSED', 'FAILED'].includes(opts.checkOutcome))
					fail(`${arg} must be PASSED or FAILED`);
				break;
			case '--strict-webhook-urls':
				opts.strictWebhookUrls = true;
				break;
			case '--webhook-batch-delay-ms':
				opts.webhookBatchDelayMs = integer(arg, next());
				break;
			case '--webhook-retry-scale': {
				const scale = next();
				if (!/^\d+(\.\d+)?$/.test(scale ?? '') || Number(scale) <= 0)
					fail(`${arg} needs a number above 0`);
				opts.webhookRetryScale = Number(scale);
				break;
			}
			case '--max-page-size':
				opts.maxPageSize = integer(arg, next());
				if (opts.maxPageSize < 1) fail('--max-page-size must be at least 1');
				break;
			case '--help':
			case '-h':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				fail(`Unknown argument: ${argv[i]}`);
		}
	}
	if (!LOOPBACK_HOSTS.has(opts.host)) {
		fail(
			`Refusing host "${opts.host}": the simulator only listens on 127.0.0.1, localhost or ::1.`,
		);
	}
	return opts;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	let sim;
	try {
		sim = await startSimulator(opts);
	} catch (err) {
		console.error(`Could not start the Upvest simulator: ${err.message}`);
		process.exit(1);
	}

	const fixtureFile = path.relative(
		process.cwd(),
		path.join(__dirname, 'fixtures', 'test-client.json'),
	);
	console.log(`Upvest simulator listening on ${sim.url}`);
	console.log(`Admin API:           ${sim.url}/__simulator/state (see docs/simulator.md)`);
	console.log(`Test client id:      ${testClient.clientId}`);
	console.log(`ECDSA P-521 key id:  ${testClient.ecdsa.keyId}`);
	console.log(`Ed25519 key id:      ${testClient.ed25519.keyId}`);
	console.log(`Webhook signing kid: ${sim.webhookKeys().kid} (GET /auth/verify_keys)`);
	console.log(`Secret, passphrase and keys (test-only): ${fixtureFile}`);

	let stopping = false;
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`Received ${signal}, stopping the Upvest simulator`);
		sim.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) main();

module.exports = { parseArgs };
