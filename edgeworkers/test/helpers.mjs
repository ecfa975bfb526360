// Shared by the kit's tests: an EdgeWorker project made from example/ and the edgekv.js test
// double, in a temporary folder, as a user's project would look.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KIT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const made = [];

/** A copy of example/ with test/fixtures/edgekv.js as its edgekv.js; removed at exit. */
export function makeProject() {
	const dir = mkdtempSync(join(tmpdir(), 'ekv-ew-'));
	cpSync(join(KIT, 'example'), dir, { recursive: true });
	cpSync(join(KIT, 'test/fixtures/edgekv.js'), join(dir, 'edgekv.js'));
	made.push(dir);
	return dir;
}

process.on('exit', () => {
	for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
