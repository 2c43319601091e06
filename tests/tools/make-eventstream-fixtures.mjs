// Writes tests/data/eventstream/*.bin and expected.json with the AWS SDK's own event-stream
// encoder (@smithy/eventstream-codec), so Quarry's decoder is checked against frames it did
// not produce. Run: cd tests/tools && npm install && node make-eventstream-fixtures.mjs
import { EventStreamCodec, Int64 } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const outDir = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "eventstream");
const codec = new EventStreamCodec(toUtf8, fromUtf8);

// Bedrock ConverseStream frames carry these three headers, in this order, and a "p" padding
// field in every payload (its length varies so frame sizes do not leak the text).
function eventMessage(eventType, body) {
  return {
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify(body)),
  };
}

// The deltas split a ZWJ emoji sequence (woman + ZWJ + laptop) and a combining accent
// across frames, and carry 2-, 3- and 4-byte UTF-8 characters.
const deltas = ["Hello, ", "wörld! 👩", "\u200d💻 caf", "e\u0301 — ", "こんにちは", "."];
const streamMessages = [
  eventMessage("messageStart", { p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", role: "assistant" }),
  ...deltas.map((text, i) =>
    eventMessage("contentBlockDelta", { contentBlockIndex: 0, delta: { text }, p: "abcdefghij".slice(0, 3 + i) })),
  eventMessage("contentBlockStop", { contentBlockIndex: 0, p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS" }),
  eventMessage("messageStop", { p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK", stopReason: "end_turn" }),
  eventMessage("metadata", {
    metrics: { latencyMs: 412 },
    p: "abcdefghijklmnopqrstuv",
    usage: { inputTokens: 17, outputTokens: 11, totalTokens: 28 },
  }),
];

const exceptionMessage = {
  headers: {
    ":exception-type": { type: "string", value: "throttlingException" },
    ":content-type": { type: "string", value: "application/json" },
    ":message-type": { type: "string", value: "exception" },
  },
  body: fromUtf8(JSON.stringify({ message: "Too many requests, please wait before trying again." })),
};

// One header of each of the ten wire types (0..9). The long is beyond 2^53 on purpose.
const longValue = -0x0123456789abcdefn;
const longBytes = new Uint8Array(8);
new DataView(longBytes.buffer).setBigInt64(0, longValue, false);
const binaryValue = Uint8Array.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
const timestampMs = 1700000000123;
const allTypesMessage = {
  headers: {
    "bool-true": { type: "boolean", value: true },
    "bool-false": { type: "boolean", value: false },
    byte: { type: "byte", value: -5 },
    short: { type: "short", value: -1234 },
    integer: { type: "integer", value: 123456789 },
    long: { type: "long", value: new Int64(longBytes) },
    binary: { type: "binary", value: binaryValue },
    string: { type: "string", value: "grüße ✓ 🚀" },
    timestamp: { type: "timestamp", value: new Date(timestampMs) },
    uuid: { type: "uuid", value: "123e4567-e89b-12d3-a456-426614174000" },
  },
  body: fromUtf8('{"ok":true}'),
};

const typeCode = { boolean: null, byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 };

// expected.json spells every value in plain JSON: longs as decimal strings (exact beyond 2^53),
// binary as base64, timestamps as milliseconds since the epoch.
function describeHeader(name, header) {
  const type = header.type === "boolean" ? (header.value ? 0 : 1) : typeCode[header.type];
  let value = header.value;
  if (header.type === "long") value = new DataView(header.value.bytes.buffer).getBigInt64(0, false).toString();
  if (header.type === "binary") value = Buffer.from(header.value).toString("base64");
  if (header.type === "timestamp") value = header.value.getTime();
  return { name, type, value };
}

function writeFixture(fileName, messages) {
  const frames = messages.map((m) => codec.encode(m));
  writeFileSync(join(outDir, fileName), Buffer.concat(frames));
  let offset = 0;
  return messages.map((m, i) => {
    const entry = {
      offset,
      length: frames[i].byteLength,
      headers: Object.entries(m.headers).map(([name, h]) => describeHeader(name, h)),
      payloadBase64: Buffer.from(m.body).toString("base64"),
    };
    offset += frames[i].byteLength;
    return entry;
  });
}

// Check the smithy decoder reads back what it wrote, so a fixture bug shows up here.
function selfCheck(messages) {
  for (const m of messages) {
    const back = codec.decode(codec.encode(m));
    if (Buffer.compare(Buffer.from(back.body), Buffer.from(m.body)) !== 0) throw new Error("round trip failed");
  }
}

mkdirSync(outDir, { recursive: true });
for (const set of [streamMessages, [exceptionMessage], [allTypesMessage]]) selfCheck(set);
const expected = {
  generator: "@smithy/eventstream-codec (npm), see README.md",
  "converse-stream.bin": { text: deltas.join(""), messages: writeFixture("converse-stream.bin", streamMessages) },
  "exception.bin": { messages: writeFixture("exception.bin", [exceptionMessage]) },
  "all-header-types.bin": { messages: writeFixture("all-header-types.bin", [allTypesMessage]) },
};
writeFileSync(join(outDir, "expected.json"), JSON.stringify(expected, null, 2) + "\n");
console.log(`wrote fixtures to ${outDir}`);
