// Interop matrix: the `ws` package as a client driven by the test (ScriptedClient) over standard input and output.
// Usage: node matrix_client.js URL SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CA_PEM|-
// Input lines (tab-separated, strings in base64): send text|binary SIZE LITERAL|- ; utf8fragments B64...;
// binaryfragments B64... ; ping PAYLOAD ; close CODE REASON. Output lines: open PROTOCOL|- EXTENSIONS|- ;
// text|binary LENGTH SHA256 ; pong PAYLOAD ; closed CODE REASON ; error MESSAGE. Ends when input ends.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const readline = require('readline');
const WebSocket = require('ws');
const { generate, deflateOptions, b64, unb64 } = require('./matrix_common');

const [url, protocols, deflate, bits, ca] = process.argv.slice(2);
const options = { perMessageDeflate: deflateOptions(deflate, Number(bits)), maxPayload: 0 };
if (ca !== '-') options.ca = fs.readFileSync(ca);
const ws = new WebSocket(url, protocols === '-' ? [] : protocols.split(','), options);
const out = (...fields) => process.stdout.write(fields.join('\t') + '\n');
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

// ws.extensions names the extensions only; the response header has their agreed parameters.
let agreed = '-';
ws.on('upgrade', (response) => { agreed = response.headers['sec-websocket-extensions'] || '-'; });
ws.on('open', () => out('open', ws.protocol || '-', agreed));
ws.on('message', (data, isBinary) => out(isBinary ? 'binary' : 'text', data.length, sha256(data)));
ws.on('pong', (data) => out('pong', data.toString('utf8')));
ws.on('close', (code, reason) => out('closed', code, b64(reason)));
ws.on('error', (e) => out('error', b64(Buffer.from(String(e.message)))));

function fragments(pieces, binary) {
  pieces.forEach((piece, i) => ws.send(unb64(piece), { binary, fin: i === pieces.length - 1, compress: true }));
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [op, ...args] = line.split('\t');
  if (op === 'send') {
    const text = args[0] === 'text';
    const data = args[2] !== '-' ? unb64(args[2]).toString('utf8') : generate(text, Number(args[1]));
    ws.send(data, { binary: !text });
  } else if (op === 'utf8fragments') {
    fragments(args, false);
  } else if (op === 'binaryfragments') {
    fragments(args, true);
  } else if (op === 'ping') {
    ws.ping(Buffer.from(args[0], 'utf8'));
  } else if (op === 'close') {
    ws.close(Number(args[0]), unb64(args[1]).toString('utf8'));
  }
}).on('close', () => { ws.terminate(); process.exit(0); });
