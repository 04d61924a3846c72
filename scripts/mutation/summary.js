'use strict';

/**
 * Reads Stryker's JSON report (test-artifacts/mutation/mutation.json, written by
 * `npm run test:mutation`) and prints what docs/mutation-testing.md records: per module the
 * mutants killed, timed out, survived and without coverage, and the score; then every mutant that
 * was not detected, as `file:line mutator: original → mutated`.
 *
 *   node scripts/mutation/summary.js [report.json]
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_REPORT = path.join(ROOT, 'test-artifacts', 'mutation', 'mutation.json');

/** Statuses that count for the score, as Stryker counts them (compile errors and ignored do not). */
const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];

function countStatuses(mutants) {
	const counts = Object.fromEntries(COUNTED.map((status) => [status, 0]));
	for (const mutant of mutants) if (mutant.status in counts) counts[mutant.status]++;
	const detected = counts.Killed + counts.Timeout;
	const total = detected + counts.Survived + counts.NoCoverage;
	return { ...counts, total, score: total === 0 ? 100 : (100 * detected) / total };
}

/** The source text a mutant replaced, on one line. */
function original(source, location) {
	const lines = source.split('\n');
	const { start, end } = location;
	const text =
		start.line === end.line
			? lines[start.line - 1].slice(start.column - 1, end.column - 1)
			: [
					lines[start.line - 1].slice(start.column - 1),
					...lines.slice(start.line, end.line - 1),
					lines[end.line - 1].slice(0, end.column - 1),
				].join('\n');
	return text.replace(/\s+/g, ' ').trim();
}

function summarize(report) {
	const rows = [];
	const undetected = [];
	const all = [];
	for (const [file, { source, mutants }] of Object.entries(report.files).sort()) {
		const counts = countStatuses(mutants);
		rows.push({ file, ...counts });
		all.push(...mutants);
		for (const mutant of mutants) {
			if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
			undetected.push({
				file,
				line: mutant.location.start.line,
				mutator: mutant.mutatorName,
				status: mutant.status,
				original: original(source, mutant.location),
				mutated: (mutant.replacement ?? '').replace(/\s+/g, ' ').trim(),
			});
		}
	}
	return { rows, total: countStatuses(all), undetected };
}

function main() {
	const file = process.argv[2] ?? DEFAULT_REPORT;
	const { rows, total, undetected } = summarize(JSON.parse(fs.readFileSync(file, 'utf8')));
	const line = (name, c) =>
		`| ${name} | ${c.score.toFixed(2)} % | ${c.total} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} |`;
	console.log('| module | score | mutants | killed | timed out | survived | no coverage |');
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const row of rows) console.log(line(row.file, row));
	console.log(line('**all**', total));
	console.log('');
	for (const mutant of undetected) {
		console.log(
			`${mutant.file}:${mutant.line} ${mutant.mutator} (${mutant.status}): ${mutant.original} → ${mutant.mutated}`,
		);
	}
}

if (require.main === module) main();

module.exports = { summarize, countStatuses };
