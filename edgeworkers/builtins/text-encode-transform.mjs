// Stand-in for the EdgeWorkers built-in module `text-encode-transform`: TextEncoderStream and
// TextDecoderStream (WHATWG Encoding), from node:stream/web.
export { TextDecoderStream, TextEncoderStream } from 'node:stream/web';
