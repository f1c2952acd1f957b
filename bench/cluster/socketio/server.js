// The Socket.IO 4 peer of bench/run-cluster.sh: one chat node of a cluster sharing rooms through
// @socket.io/redis-adapter, written as Socket.IO's documentation shows it. A client joins the room named in its
// handshake query on connect; a "msg" event is broadcast to the room with io.to(room).emit, sender included (as a
// Sockwave room sends every member its message), and acknowledged through the event's ack callback.
//
// node server.js --port 0 --redis redis://127.0.0.1:6379 --port-file FILE --mem-file FILE --max-lifetime S
// SIGUSR2 collects garbage (node --expose-gc) and writes process.memoryUsage() to the --mem-file as JSON.
"use strict";
const fs = require("fs");
const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

function option(name, fallback) {
  const at = process.argv.indexOf("--" + name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main() {
  const redisUrl = option("redis");
  const portFile = option("port-file");
  const memFile = option("mem-file");
  const pubClient = createClient({ url: redisUrl });
  const subClient = pubClient.duplicate();
  pubClient.on("error", (e) => console.error("redis pub:", e.message));
  subClient.on("error", (e) => console.error("redis sub:", e.message));
  await Promise.all([pubClient.connect(), subClient.connect()]);

  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
  io.adapter(createAdapter(pubClient, subClient));

  io.on("connection", (socket) => {
    const room = String(socket.handshake.query.room || "lobby");
    const name = String(socket.handshake.query.name || socket.id);
    socket.join(room);
    socket.on("msg", (message, ack) => {
      io.to(room).emit("message", { from: name, text: message.text, id: message.id });
      if (typeof ack === "function") {
        ack({ id: message.id });
      }
    });
  });

  process.on("SIGUSR2", () => {
    if (global.gc) {
      global.gc();
    }
    fs.writeFileSync(memFile + ".tmp", JSON.stringify(process.memoryUsage()));
    fs.renameSync(memFile + ".tmp", memFile);
  });
  process.on("SIGTERM", () => process.exit(0));
  // Never outlive the benchmark that started it, whatever happens to the script.
  setTimeout(() => process.exit(0), Number(option("max-lifetime", "1800")) * 1000).unref();

  httpServer.listen(Number(option("port", "0")), "127.0.0.1", () => {
    const port = httpServer.address().port;
    console.log("listening on 127.0.0.1:" + port);
    if (portFile) {
      fs.writeFileSync(portFile + ".tmp", String(port));
      fs.renameSync(portFile + ".tmp", portFile);
    }
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
