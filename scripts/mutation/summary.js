'use strict';

/**
 * Reads Stryker's JSON report (test-artifacts/mutation/mutation.json, written by
 * `npm run test:mutation`) and prints what docs/mutation-testing.md records: per module the
 * mutants killed, timed out, survived and without coverage, Stryker's score, and the score once
 * the equivalent mutants listed in equivalent-mutants.json are left out; then every undetected
 * mutant, marked `equivalent` (listed, with its reason) or `NOT EXPLAINED` (to kill or to list),
 * and the mutants a `// Stryker disable` comment leaves out (ignored), with the comment's reason.
 *
 *   node scripts/mutation/summary.js [report.json]
 *   node scripts/mutation/summary.js --markdown [report.json]   the doc's table of survivors
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_REPORT = path.join(ROOT, 'test-artifacts', 'mutation', 'mutation.json');
const EQUIVALENT = require('./equivalent-mutants.json');

/** Statuses that count for the score, as Stryker counts them (compile and runtime errors do not). */
const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

function countStatuses(mutants) {
	const counts = Object.fromEntries(COUNTED.map((status) => [status, 0]));
	let equivalent = 0;
	for (const mutant of mutants) {
		if (mutant.status in counts) counts[mutant.status]++;
		if (mutant.equivalent) equivalent++;
	}
	const detected = counts.Killed + counts.Timeout;
	const total = detected + counts.Survived + counts.NoCoverage;
	const score = (count) => (count === 0 ? 100 : (100 * detected) / count);
	return { ...counts, total, equivalent, score: score(total), adjusted: score(total - equivalent) };
}

/** The source text a mutant replaced, on one line. */
function original(source, { start, end }) {
	const lines = source.split('\n');
	if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
	return [
		lines[start.line - 1].slice(start.column - 1),
		...lines.slice(start.line, end.line - 1),
		lines[end.line - 1].slice(0, end.column - 1),
	].join('\n');
}

function listedReason(file, mutant) {
	const match = EQUIVALENT.find(
		(entry) =>
			entry.file === file &&
			entry.line === mutant.location.start.line &&
			entry.mutator === mutant.mutatorName &&
			oneLine(entry.mutated) === oneLine(mutant.replacement ?? ''),
	);
	return match?.reason;
}

function summarize(report) {
	const rows = [];
	const undetected = [];
	const all = [];
	for (const [file, { source, mutants }] of Object.entries(report.files).sort()) {
		const marked = mutants.map((mutant) => {
			const open = mutant.status === 'Survived' || mutant.status === 'NoCoverage';
			const reason = open ? listedReason(file, mutant) : undefined;
			if (open || mutant.status === 'Ignored') {
				undetected.push({
					file,
					line: mutant.location.start.line,
					mutator: mutant.mutatorName,
					status: mutant.status,
					original: oneLine(original(source, mutant.location)),
					mutated: oneLine(mutant.replacement ?? ''),
					reason:
						mutant.status === 'Ignored' ? `disabled in the source: ${mutant.statusReason}` : reason,
				});
			}
			return { ...mutant, equivalent: reason !== undefined };
		});
		rows.push({ file, ...countStatuses(marked) });
		all.push(...marked);
	}
	return { rows, total: countStatuses(all), undetected };
}

function printTable({ rows, total }) {
	const line = (name, c) =>
		`| ${name} | ${c.score.toFixed(2)} % | ${c.adjusted.toFixed(2)} % | ${c.total} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.equivalent} |`;
	console.log(
		'| module | score | without equivalents | mutants | killed | timed out | survived | no coverage | of them equivalent |',
	);
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const row of rows) console.log(line(row.file.replace(/^nodes\/Upvest\//, ''), row));
	console.log(line('**all**', total));
}

function main() {
	const args = process.argv.slice(2);
	const markdown = args.includes('--markdown');
	const file = args.find((arg) => arg !== '--markdown') ?? DEFAULT_REPORT;
	const summary = summarize(JSON.parse(fs.readFileSync(file, 'utf8')));
	if (markdown) {
		console.log('| where | mutator | original → mutated | why no behaviour differs |');
		console.log('| --- | --- | --- | --- |');
		const cell = (text) => text.replace(/\|/g, '\\|');
		for (const m of summary.undetected) {
			console.log(
				`| ${m.file.replace(/^nodes\/Upvest\//, '')}:${m.line} | ${m.mutator}${m.status === 'Survived' ? '' : ` (${m.status === 'NoCoverage' ? 'no coverage' : 'ignored'})`} | \`${cell(m.original)}\` → \`${cell(m.mutated)}\` | ${cell(m.reason ?? 'NOT EXPLAINED')} |`,
			);
		}
		return;
	}
	printTable(summary);
	console.log('');
	for (const m of summary.undetected) {
		console.log(
			`${m.file}:${m.line} ${m.mutator} (${m.status}, ${m.reason ? (m.status === 'Ignored' ? 'ignored' : 'equivalent') : 'NOT EXPLAINED'}): ${m.original} → ${m.mutated}`,
		);
	}
}

if (require.main === module) main();

module.exports = { summarize, countStatuses };
