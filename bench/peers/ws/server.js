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
// Usage: node server.js [--host 127.0.0.1] [--port 0] [--port-file FILE] [--max-lifetime SECONDS]
// Once listening it writes its port to --port-file (atomically); it exits by itself after --max-lifetime seconds
// (default 3600) so that a server a crashed script left behind still ends.

const fs = require('fs');
const { WebSocketServer } = require('ws');

function options(argv) {
    const opts = { host: '127.0.0.1', port: '0', 'port-file': null, 'max-lifetime': '3600' };
    for (let i = 0; i < argv.length; i += 2) {
        const name = argv[i].replace(/^--/, '');
        if (!(name in opts) || i + 1 >= argv.length) {
            throw new Error(`unknown or incomplete option ${argv[i]}; known: ${Object.keys(opts).join(', ')}`);
        }
        opts[name] = argv[i + 1];
    }
    return opts;
}

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
    console.log(`ws listening on ${opts.host}:${port} (pid ${process.pid}, node ${process.version})`);
    if (opts['port-file']) {
        const tmp = `${opts['port-file']}.tmp`;
        fs.writeFileSync(tmp, String(port));
        fs.renameSync(tmp, opts['port-file']);
    }
});

wss.on('error', (error) => {
    console.error(`ws could not listen on ${opts.host}:${opts.port}: ${error.message}`);
    process.exit(1);
});

const lifetime = Number(opts['max-lifetime']);
setTimeout(() => {
    console.log(`ws reached its maximum lifetime of ${lifetime} s; stopping`);
    process.exit(0);
}, lifetime * 1000).unref();
