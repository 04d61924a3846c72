'use strict';

/**
 * Headless Chromium for the editor tests: Debian's chromium driven by puppeteer-core, with a
 * throw-away profile, no sandbox as root, and no host but 127.0.0.1 resolvable. Stopped by its PID.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { launch } = require('puppeteer-core');

const { e2eEnv } = require('./e2e-env');
const { killGroup, sleep } = require('./n8n/processes');

const CHROMIUM_CANDIDATES = [
	'/usr/lib/chromium/chromium',
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
];

function chromiumPath() {
	const found = e2eEnv.chromiumPath ?? CHROMIUM_CANDIDATES.find((file) => fs.existsSync(file));
	if (!found)
		throw new Error(`Chromium not found (${CHROMIUM_CANDIDATES.join(', ')}); set CHROMIUM_PATH`);
	return found;
}

/**
 * @param {{ width: number, height: number }} viewport
 * @returns {Promise<{ browser: import('puppeteer-core').Browser, pid: number | undefined, close: () => Promise<void> }>}
 */
async function launchBrowser(viewport) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upvest-browser-'));
	let browser;
	try {
		browser = await launch({
			executablePath: chromiumPath(),
			headless: true,
			userDataDir,
			defaultViewport: viewport,
			timeout: 60_000,
			protocolTimeout: 120_000,
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
			args: [
				...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-dev-shm-usage',
				`--window-size=${viewport.width},${viewport.height}`,
				// Only 127.0.0.1: every host name fails to resolve (IP literals are not resolved).
				'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
			],
		});
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
	const pid = browser.process()?.pid;
	return {
		browser,
		pid,
		/** Closes the browser (10 s at most), kills what is left of its process group, deletes the profile. */
		async close() {
			await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
			// puppeteer starts it detached: renderers, GPU process and zygote share its group
			if (pid !== undefined) killGroup(pid);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

module.exports = { launchBrowser, chromiumPath };
