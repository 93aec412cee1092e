'use strict';
// Makes a workflow bundle cheaper to hold. Every worker keeps the bundle's code as one string in the main
// thread and again in each workflow thread, and the SDK keeps its inline source map parsed beside it.
//   - The source map drops `sourcesContent` (the original sources' text, two thirds of the map), and maps
//     library code (zod, the SDK) by line only: workflow stack traces still name the TypeScript file, line and
//     column in the project's code and the file and line in a library's; the SDK's enhanced stack-trace query
//     (the Temporal UI's stack view) comes without the source text.
//   - Characters above U+00FF (about 80: arrows and dashes, nearly all in comments) become \uXXXX escapes,
//     so V8 holds the code as a one-byte string instead of a two-byte one. An escape means the same in a
//     comment, a string, a template, a regular expression or a name; only a tagged template's raw text
//     (String.raw) would read differently, so a bundle that uses String.raw keeps its wide characters.
//     The map's generated columns after each escape move right by its extra length, so stack traces stay exact.
// Measured (bench/pipeline/worker-rss.ts, bench/RESULTS.md "Performance"): ~20 MiB less worker RSS after answers.
// Plain CommonJS: workers/bundle-workflows.cjs loads it without a TypeScript loader.

const MAP_PREFIX = '//# sourceMappingURL=data:application/json;base64,';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map([...BASE64].map((char, index) => [char, index]));

/** The base64 VLQ numbers of one source-map segment. */
function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_VALUES.get(char);
    if (digit === undefined) throw new Error(`not a source-map VLQ digit: ${JSON.stringify(char)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeSegment(values) {
  let out = '';
  for (const signed of values) {
    let value = signed < 0 ? (-signed << 1) | 1 : signed << 1;
    do {
      const digit = value & 31;
      value >>>= 5;
      out += BASE64[value > 0 ? digit | 32 : digit];
    } while (value > 0);
  }
  return out;
}

/**
 * Escapes every character above U+00FF in `code`; returns the new code and, per line, the columns (in the
 * original line) of the escaped characters, so generated columns can be moved.
 */
function escapeWideCharacters(code) {
  const escapedColumns = [];
  const lines = code.split('\n').map((line, lineIndex) => line.replace(/[^\x00-\xff]/g, (char, column) => {
    (escapedColumns[lineIndex] ??= []).push(column);
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }));
  return { code: lines.join('\n'), escapedColumns };
}

/** A source the project does not own: a dependency under node_modules, or webpack's runtime. */
function isLibrarySource(source) {
  return source.includes('/node_modules/') || source.startsWith('webpack');
}

/**
 * The mappings with each generated column moved right by 5 for every escape before it on its line, and library
 * code mapped by line: of consecutive segments on one generated line that map into the same line of the same
 * library source, only the first is kept. The SDK's workflow threads parse the map into WebAssembly memory that
 * never shrinks; library segments are 73% of the map. A frame in library code keeps its file and line, and its
 * column is where the line's first mapped expression starts.
 */
function rewriteMappings(mappings, escapedColumns, librarySources) {
  const read = [0, 0, 0, 0]; // source, original line, original column, name: absolute, as decoded so far
  const written = [0, 0, 0, 0]; // the same, as encoded so far
  return mappings.split(';').map((line, lineIndex) => {
    const escapes = escapedColumns[lineIndex] ?? [];
    let generated = 0;
    let writtenColumn = 0;
    let previousLine;
    const kept = [];
    for (const segment of line === '' ? [] : line.split(',')) {
      const values = decodeSegment(segment);
      generated += values[0];
      const column = generated + 5 * escapes.filter((escaped) => escaped < generated).length;
      values.slice(1).forEach((value, index) => { read[index] += value; });
      const sourceLine = values.length > 1 ? `${read[0]}:${read[1]}` : undefined;
      if (sourceLine !== undefined && sourceLine === previousLine && librarySources.has(read[0])) continue;
      previousLine = sourceLine;
      const fields = [column - writtenColumn];
      writtenColumn = column;
      for (let index = 0; index < values.length - 1; index++) {
        fields.push(read[index] - written[index]);
        written[index] = read[index];
      }
      kept.push(encodeSegment(fields));
    }
    return kept.join(',');
  }).join(';');
}

/** The bundle `bundleWorkflowCode` returned, slimmed as above; throws when it has no inline source map. */
function slimWorkflowBundle(bundle) {
  const mapStart = bundle.lastIndexOf('//# sourceMappingURL=data:');
  const base64Start = bundle.indexOf('base64,', mapStart) + 'base64,'.length;
  if (mapStart < 0 || base64Start < mapStart) throw new Error('the workflow bundle has no inline source map');
  const { sourcesContent: _dropped, ...sourceMap } = JSON.parse(
    Buffer.from(bundle.slice(base64Start).trim(), 'base64').toString('utf8'));
  const original = bundle.slice(0, mapStart);
  const { code, escapedColumns } = original.includes('String.raw')
    ? { code: original, escapedColumns: [] } : escapeWideCharacters(original);
  const librarySources = new Set(
    sourceMap.sources.flatMap((source, index) => (isLibrarySource(source) ? [index] : [])));
  sourceMap.mappings = rewriteMappings(sourceMap.mappings, escapedColumns, librarySources);
  return `${code}${MAP_PREFIX}${Buffer.from(JSON.stringify(sourceMap)).toString('base64')}\n`;
}

module.exports = { slimWorkflowBundle, decodeSegment, encodeSegment };
