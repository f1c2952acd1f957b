"""Interop: python-websockets as a client of an echo server.

Usage: echo_client.py URL deflate|none
Sends text (ASCII, multi-byte UTF-8, empty, 1 MiB) and binary messages, checks every echo byte for byte, then
closes with 1000 and checks the server's close. Exits 0 on success; prints what differed otherwise.
"""
import asyncio
import os
import sys

import websockets


async def main(url, compression):
    messages = ["hello", "", "héllo wörld ✓ 😀", "x" * 70000, os.urandom(1), os.urandom(200000),
                ("{\"type\":\"message\",\"text\":\"compress me\"}" * 2000)]
    async with websockets.connect(url, compression=compression, max_size=None, ping_interval=None) as ws:
        for message in messages:
            await ws.send(message)
            echo = await asyncio.wait_for(ws.recv(), 20)
            if echo != message:
                print("echo differs for a %s of %d: got %s of %d" % (type(message).__name__, len(message),
                                                                   type(echo).__name__, len(echo)))
                return 1
        pong = await ws.ping(b"interop")
        await asyncio.wait_for(pong, 20)
        negotiated = ws.response_headers.get("Sec-WebSocket-Extensions")
        if (compression is not None) != (negotiated is not None):
            print("compression %s but Sec-WebSocket-Extensions: %s" % (compression, negotiated))
            return 1
        await ws.close(1000, "done")
        if ws.close_code != 1000:
            print("server closed with %s %r" % (ws.close_code, ws.close_reason))
            return 1
    print("ok", negotiated or "no extensions")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], "deflate" if sys.argv[2] == "deflate" else None)))
