// Interop: the `ws` package as an echo server for Sockwave's client.
// Usage: node echo_server.js deflate|none
// Listens on 127.0.0.1 on a free port, prints "PORT <n>", echoes every message with its type, and exits after 60 s
// or when standard input closes.
'use strict';
const WebSocket = require('ws');

const deflate = process.argv[2] === 'deflate';
const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate ? { threshold: 0 } : false });
server.on('listening', () => console.log('PORT ' + server.address().port));
server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
const stop = () => { server.close(); process.exit(0); };
setTimeout(stop, 60000);
process.stdin.on('end', stop);
process.stdin.resume();
