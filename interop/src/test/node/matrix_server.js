// Interop matrix: the `ws` package as a commanded echo server (see the Java class Commands) for Sockwave's client.
// Usage: node matrix_server.js SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CERT_PEM|- KEY_PEM|-
// Prints "PORT n", then "open PROTOCOL|-" and "closed CODE REASON(base64)" for each connection; exits when its
// standard input closes, or after 120 s.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('ws');
const { deflateOptions, b64 } = require('./matrix_common');

const [protocols, deflate, bits, cert, key] = process.argv.slice(2);
const spoken = protocols === '-' ? [] : protocols.split(',');
const server = cert === '-' ? http.createServer()
  : https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
const wss = new WebSocket.Server({
  server,
  perMessageDeflate: deflate === 'NONE' ? false : deflateOptions('DEFAULT', Number(bits)),
  maxPayload: 0,
  handleProtocols: (offered) => [...offered].find((p) => spoken.includes(p)) || false,
});
const out = (...fields) => process.stdout.write(fields.join('\t') + '\n');
// U+1F600's four UTF-8 bytes split 2 + 2 between the first two fragments, as Commands.utf8Pieces does.
const FRAGMENTED = Buffer.from('fragmented \u{1F600} '.repeat(300), 'utf8');
const binary = Buffer.alloc(10000);
for (let i = 0; i < binary.length; i++) binary[i] = (i * 31 + 7) & 0xff;

wss.on('connection', (ws) => {
  out('open', ws.protocol || '-');
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString('utf8');
    if (isBinary) {
      ws.send(data, { binary: true });
    } else if (text.startsWith('!ping ')) {
      ws.ping(Buffer.from(text.substring(6), 'utf8'));
    } else if (text.startsWith('!close ')) {
      const [code, ...reason] = text.substring(7).split(' ');
      ws.close(Number(code), reason.join(' '));
    } else if (text === '!fragments') {
      const cut = 'fragmented '.length + 2;
      [FRAGMENTED.subarray(0, cut), FRAGMENTED.subarray(cut, 2000), FRAGMENTED.subarray(2000)]
        .forEach((piece, i) => ws.send(piece, { binary: false, fin: i === 2 }));
      [binary.subarray(0, 1), binary.subarray(1, 4000), binary.subarray(4000)]
        .forEach((piece, i) => ws.send(piece, { binary: true, fin: i === 2 }));
    } else {
      ws.send(text);
    }
  });
  ws.on('pong', (data) => ws.send('!pong ' + data.toString('utf8')));
  ws.on('close', (code, reason) => out('closed', code, b64(reason)));
});
server.listen(0, '127.0.0.1', () => out('PORT', server.address().port));
const stop = () => process.exit(0);
setTimeout(stop, 120000);
process.stdin.on('end', stop);
process.stdin.resume();
