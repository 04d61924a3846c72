/**
 * Runs `task` for every position 0..count-1 with at most `concurrency` tasks in flight. The first
 * task runs alone: it fetches the access token that all later requests share. No new task starts
 * once `stopped()` is true (a failure without Continue On Fail ends the run).
 */
export async function runWorkerPool(
	count: number,
	concurrency: number,
	task: (position: number) => Promise<void>,
	stopped: () => boolean = () => false,
): Promise<void> {
	if (count === 0) return;
	await task(0);
	let next = 1;
	const worker = async () => {
		while (next < count && !stopped()) await task(next++);
	};
	const workers = Math.max(0, Math.min(concurrency, count - 1));
	await Promise.all(Array.from({ length: workers }, worker));
}
