"""Interop: python-websockets as an echo server for Sockwave's client.

Usage: echo_server.py deflate|none
Listens on 127.0.0.1 on a free port, prints "PORT <n>" on one line, echoes every message (text as text, binary as
binary) and stops after 60 s or when standard input closes, whichever comes first.
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(message)


async def main(compression):
    server = await websockets.serve(echo, "127.0.0.1", 0, compression=compression, max_size=None,
                                    ping_interval=None)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=60)
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main("deflate" if sys.argv[1] == "deflate" else None))
