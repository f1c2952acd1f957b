'use strict';
// The peer benchmark's uWebSockets.js server (see bench/peers/README.md), written as the uWebSockets.js examples
// write it: one App on Node's single thread, /echo sending each message back with ws.send (uWS corks the sends
// made inside a message handler into one write), /broadcast with the library's pub/sub, every socket subscribed to
// one topic and app.publish sending each text message to all of them, the sender included.
//
// Usage: node server.js [--host 127.0.0.1] [--port 0] [--port-file FILE] [--max-lifetime SECONDS], as
// ../node-server-common.js reads them: it writes its port to --port-file once listening, and exits by itself after
// --max-lifetime seconds (default 3600).

const { options, announce, limitLifetime } = require('../node-server-common.js');
const uWS = require('uwebsockets');

const opts = options(process.argv.slice(2));
const TOPIC = 'broadcast';
const behaviour = {
    compression: uWS.DISABLED,
    // Large enough for the 16 KiB messages (the default is exactly 16 KiB).
    maxPayloadLength: 64 * 1024,
    // Raised, as for every server, so that the idle-memory connections stay open (960 s is uWS's maximum).
    idleTimeout: 960,
};

const app = uWS.App()
    .ws('/echo', {
        ...behaviour,
        message: (ws, message, isBinary) => {
            ws.send(message, isBinary);
        },
    })
    .ws('/broadcast', {
        ...behaviour,
        open: (ws) => {
            ws.subscribe(TOPIC);
        },
        message: (ws, message, isBinary) => {
            if (!isBinary) {
                app.publish(TOPIC, message, false);
            }
        },
        // uWS unsubscribes a closing socket from its topics itself.
    });

app.listen(opts.host, Number(opts.port), (listenSocket) => {
    if (!listenSocket) {
        console.error(`uwebsockets could not listen on ${opts.host}:${opts.port}`);
        process.exit(1);
    }
    const port = uWS.us_socket_local_port(listenSocket);
    announce('uwebsockets', opts, port);
});

limitLifetime('uwebsockets', opts);
