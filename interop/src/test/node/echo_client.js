// Interop: the `ws` package as a client of an echo server.
// Usage: node echo_client.js URL deflate|none
// Sends text and binary messages, checks each echo byte for byte, closes with 1000. Exits 0 on success.
'use strict';
const crypto = require('crypto');
const WebSocket = require('ws');

const [url, mode] = process.argv.slice(2);
const deflate = mode === 'deflate';
const messages = [
  'hello', '', 'héllo wörld ✓ 😀', 'x'.repeat(70000), crypto.randomBytes(1), crypto.randomBytes(200000),
  '{"type":"message","text":"compress me"}'.repeat(2000),
];
const ws = new WebSocket(url, { perMessageDeflate: deflate ? { threshold: 0 } : false, maxPayload: 0 });
const timer = setTimeout(() => { console.log('timed out'); process.exit(1); }, 30000);
let next = 0;

function sendNext() {
  const m = messages[next];
  ws.send(m, { binary: Buffer.isBuffer(m) });
}

ws.on('open', () => {
  const negotiated = ws.extensions;
  if (deflate !== (negotiated.length > 0)) {
    console.log('deflate=' + deflate + ' but negotiated: ' + JSON.stringify(negotiated));
    process.exit(1);
  }
  sendNext();
});
ws.on('message', (data, isBinary) => {
  const sent = messages[next];
  const same = Buffer.isBuffer(sent) ? isBinary && Buffer.compare(sent, data) === 0
    : !isBinary && data.toString('utf8') === sent;
  if (!same) {
    console.log('echo ' + next + ' differs');
    process.exit(1);
  }
  next += 1;
  if (next < messages.length) sendNext(); else ws.close(1000, 'done');
});
ws.on('close', (code) => {
  clearTimeout(timer);
  if (code !== 1000 || next !== messages.length) {
    console.log('closed with ' + code + ' after ' + next + ' echoes');
    process.exit(1);
  }
  console.log('ok ' + (ws.extensions || ''));
  process.exit(0);
});
ws.on('error', (e) => { console.log('error: ' + e.message); process.exit(1); });
