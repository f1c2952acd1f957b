'use strict';
// What the peer benchmark's Node servers (uwebsockets/server.js, ws/server.js) share: their options, announcing the
// port they listen on, and the lifetime after which a server a crashed script left behind still ends.
//
// Options: [--host 127.0.0.1] [--port 0] [--port-file FILE] [--max-lifetime SECONDS]

const fs = require('fs');

/** The options of argv, with their defaults; an unknown or incomplete option throws. */
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

/** Logs that the server listens, and writes its port to --port-file atomically, where the benchmark waits for it. */
function announce(name, opts, port) {
    console.log(`${name} listening on ${opts.host}:${port} (pid ${process.pid}, node ${process.version})`);
    if (opts['port-file']) {
        const tmp = `${opts['port-file']}.tmp`;
        fs.writeFileSync(tmp, String(port));
        fs.renameSync(tmp, opts['port-file']);
    }
}

/** Ends the process after --max-lifetime seconds, without keeping it alive until then. */
function limitLifetime(name, opts) {
    const lifetime = Number(opts['max-lifetime']);
    setTimeout(() => {
        console.log(`${name} reached its maximum lifetime of ${lifetime} s; stopping`);
        process.exit(0);
    }, lifetime * 1000).unref();
}

module.exports = { options, announce, limitLifetime };
