'use strict';

/**
 * Timers the simulator owns, so reset() and close() can cancel them all. Timers are unref'd:
 * the listening server, not a pending status change or retry, keeps a process alive.
 */

class Scheduler {
	constructor() {
		this.timers = new Set();
	}

	after(ms, fn) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		timer.unref();
		this.timers.add(timer);
		return timer;
	}

	cancel(timer) {
		clearTimeout(timer);
		this.timers.delete(timer);
	}

	sleep(ms) {
		return new Promise((resolve) => this.after(ms, resolve));
	}

	clear() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}

module.exports = { Scheduler };
