// Node module customization hooks (registered by register.mjs): the bare specifiers of the
// EdgeWorkers built-in modules resolve to the kit's stand-ins in builtins/, so EdgeWorkers
// code runs unchanged and nothing is copied into node_modules. Imports from inside
// node_modules are left alone: a dependency that imports an npm package called `log` or
// `encoding` gets that package. EdgeWorkers code is always ES modules, in .js files: a .js
// file inside an EdgeWorker bundle (a folder with bundle.json, up to the nearest
// package.json) loads as an ES module, whatever package.json says.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIST = JSON.parse(readFileSync(new URL('./lib/builtins.json', import.meta.url), 'utf8'));
const BUILTINS = new URL('./builtins/', import.meta.url);

function fromDependency(parentURL) {
	return typeof parentURL === 'string' && parentURL.includes('/node_modules/');
}

/** The message for a built-in the kit does not provide. */
export function unsupportedMessage(specifier) {
	return (
		`'${specifier}' is an EdgeWorkers built-in module that the edgekv-emulator kit does not provide. ` +
		`Provided: ${LIST.provided.join(', ')}. Not provided: ${LIST.notProvided.join(', ')}.`
	);
}

export async function resolve(specifier, context, nextResolve) {
	if (LIST.provided.includes(specifier) && !fromDependency(context.parentURL))
		return { url: new URL(`${specifier}.mjs`, BUILTINS).href, shortCircuit: true, format: 'module' };
	if (LIST.notProvided.includes(specifier) && !fromDependency(context.parentURL)) {
		// `crypto` is also Node's own module: only the other names can fail to resolve.
		try {
			return await nextResolve(specifier, context);
		} catch (err) {
			if (err?.code === 'ERR_MODULE_NOT_FOUND') {
				const e = new Error(unsupportedMessage(specifier));
				e.code = 'ERR_MODULE_NOT_FOUND';
				throw e;
			}
			throw err;
		}
	}
	return nextResolve(specifier, context);
}

const bundleRoots = new Map();

// True when a folder at or above dir, below the nearest package.json, holds bundle.json.
function inBundle(dir) {
	if (bundleRoots.has(dir)) return bundleRoots.get(dir);
	let found = false;
	if (existsSync(join(dir, 'bundle.json'))) found = true;
	else if (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) found = inBundle(dirname(dir));
	bundleRoots.set(dir, found);
	return found;
}

export async function load(url, context, nextLoad) {
	if (url.startsWith('file:') && url.endsWith('.js') && !url.includes('/node_modules/') && inBundle(dirname(fileURLToPath(url))))
		return nextLoad(url, { ...context, format: 'module' });
	return nextLoad(url, context);
}
