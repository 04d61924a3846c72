/** Waiting for what happens on the simulator's timers: deliveries, decided checks, status moves. */
import { sleep } from 'n8n-workflow';

/** Polls `probe` every 20 ms until it gives a value, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
	what: string,
	probe: () => T | undefined | false,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(20);
	}
}
