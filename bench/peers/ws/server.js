'use strict';
// The peer benchmark's ws server with permessage-deflate (see bench/peers/README.md), written as ws's README writes
// a server: one WebSocketServer on Node's single thread; /echo sends each message back with ws.send, /broadcast
// sends each text message to every socket on /broadcast, the sender included.
//
// permessage-deflate: ws's defaults (level 6 and memLevel 8 from zlib, 15-bit windows, at most 10 zlib jobs at once
// on libuv's thread pool), except threshold 0, so that every message is compressed as Netty and Sockwave (both set
// so) do; ws's default of 1024 bytes would send the whole chat stream uncompressed. serverNoContextTakeover and
// clientNoContextTakeover are left unset, so the client's offer decides context takeover: set to false, ws would
// decline an offer asking for server_no_context_takeover.
//
// Usage: node server.js [--host 127.0.0.1] [--port 0] [--port-file FILE] [--max-lifetime SECONDS], as
// ../node-server-common.js reads them: it writes its port to --port-file once listening, and exits by itself after
// --max-lifetime seconds (default 3600).

const { options, announce, limitLifetime } = require('../node-server-common.js');
const { WebSocketServer } = require('ws');

const opts = options(process.argv.slice(2));
const subscribers = new Set();
const wss = new WebSocketServer({
    host: opts.host,
    port: Number(opts.port),
    perMessageDeflate: { threshold: 0 },
    // Large enough for the 16 KiB messages, as for every server (ws's default is 100 MiB).
    maxPayload: 64 * 1024,
    // The server keeps its own set of /broadcast sockets; ws's set of every client would go unused.
    clientTracking: false,
});

wss.on('connection', (ws, request) => {
    if (request.url.startsWith('/broadcast')) {
        subscribers.add(ws);
        ws.on('close', () => subscribers.delete(ws));
        ws.on('message', (data, isBinary) => {
            if (!isBinary) {
                for (const subscriber of subscribers) {
                    subscriber.send(data, { binary: false });
                }
            }
        });
    } else {
        ws.on('message', (data, isBinary) => {
            ws.send(data, { binary: isBinary });
        });
    }
});

wss.on('listening', () => {
    const port = wss.address().port;
    announce('ws', opts, port);
});

wss.on('error', (error) => {
    console.error(`ws could not listen on ${opts.host}:${opts.port}: ${error.message}`);
    process.exit(1);
});

limitLifetime('ws', opts);
