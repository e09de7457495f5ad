#!/usr/bin/env node
'use strict';
/**
 * n8n's verification gate, run locally: `@n8n/scan-community-package` lints the package source
 * and the packed tarball with its own ESLint configuration, in which `eslint-disable` comments do
 * not count. Part of `npm run lint`.
 *
 *   node scripts/scan.js
 *
 * The scanner's command line downloads the published package (and its source) from the internet;
 * this script calls the scanner's own `analyzePackage` on local folders instead, the same two ways
 * the command line does: the source with the scanner's source file patterns, and the unpacked
 * `npm pack` tarball (compiled `.js` and the published package.json). Nothing is downloaded.
 * The tarball is packed from `dist/`; when `dist/` is missing or older than a source file, the
 * script runs `npm run build` first. Exits 1 on any finding.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { PROJECT_DIR, packProject, execOk, npmEnv, fmtSec } = require('./n8n-run');

const SCANNER_DIR = path.dirname(require.resolve('@n8n/scan-community-package/package.json', { paths: [PROJECT_DIR] }));
const SCANNER_VERSION = require(path.join(SCANNER_DIR, 'package.json')).version;
/** The tarball leg of the scanner's command line (analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const glob = require(require.resolve('fast-glob', { paths: [SCANNER_DIR] }));

/** Newest modification time (ms) of the files matching `patterns` under `dir`; 0 when none. */
function newestMtime(dir, patterns) {
	return glob
		.sync(patterns, { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] })
		.reduce((max, f) => Math.max(max, fs.statSync(f).mtimeMs), 0);
}

async function ensureBuilt() {
	const built = newestMtime(path.join(PROJECT_DIR, 'dist'), ['**/*.js']);
	const sources = newestMtime(PROJECT_DIR, ['{nodes,credentials}/**/*', 'tsconfig.json', 'package.json']);
	if (built && built >= sources) return;
	process.stdout.write(`dist/ is ${built ? 'older than the sources' : 'missing'}: running npm run build\n`);
	await execOk('npm', ['run', 'build'], { cwd: PROJECT_DIR, env: npmEnv() }, 'npm run build');
}

/** Runs analyzePackage on `dir`; returns true when it passed. */
async function scan(scanner, label, dir, patterns) {
	const files = glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] });
	const t = Date.now();
	const result = await scanner.analyzePackage(dir, patterns);
	// An empty file list "passes" in the scanner; here it means the gate looked at nothing.
	const passed = result.passed && files.length > 0;
	const verdict = passed ? 'passed' : `FAILED: ${result.message || 'no files to scan'}`;
	process.stdout.write(`scan ${label}: ${files.length} files, ${verdict} (${fmtSec(Date.now() - t)})\n`);
	if (result.details) process.stdout.write(`${result.details.trim()}\n`);
	return passed;
}

async function main() {
	const scanner = await import(pathToFileURL(path.join(SCANNER_DIR, 'scanner', 'scanner.mjs')).href);
	process.stdout.write(`@n8n/scan-community-package ${SCANNER_VERSION}\n`);
	const sourceOk = await scan(scanner, 'source', PROJECT_DIR, scanner.SOURCE_FILE_PATTERNS);

	await ensureBuilt();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'loymaxsc-scan-'));
	try {
		const tarball = await packProject({ outDir: path.join(work, 'pack'), build: false });
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		await execOk('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], {}, 'tar -xzf');
		const tarballOk = await scan(scanner, `tarball ${path.basename(tarball)}`, unpacked, TARBALL_FILE_PATTERNS);
		if (!sourceOk || !tarballOk) process.exitCode = 1;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((e) => {
	process.stderr.write(`scan failed: ${e.stack || e.message}\n`);
	process.exit(1);
});
