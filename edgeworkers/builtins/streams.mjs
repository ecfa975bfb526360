// Stand-in for the EdgeWorkers built-in module `streams`: the WHATWG streams the runtime
// implements, which Node ships in node:stream/web (imported, not read from globals, so that
// test runners with their own global scope, such as Jest, get the same classes).
export {
	ByteLengthQueuingStrategy,
	CountQueuingStrategy,
	ReadableStream,
	ReadableStreamDefaultController,
	TransformStream,
	WritableStream,
} from 'node:stream/web';
