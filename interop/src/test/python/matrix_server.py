"""Interop matrix: python-websockets as a commanded echo server (see the Java class Commands) for Sockwave's client.

Usage: matrix_server.py SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CERT_PEM|- KEY_PEM|-
Prints "PORT n", then "open PROTOCOL|-" and "closed CODE REASON(base64)" for each connection; stops when its
standard input closes, or after 120 s.
"""
import asyncio
import ssl
import sys

import websockets

from matrix_common import b64, generate, out, server_extensions

FRAGMENTED = "fragmented \U0001F600 " * 300


async def pong(ws, waiter, payload):
    await waiter
    await ws.send("!pong " + payload)


async def echo(ws, path=None):
    out("open", ws.subprotocol or "-")
    try:
        async for message in ws:
            if isinstance(message, bytes):
                await ws.send(message)
            elif message.startswith("!ping "):
                payload = message[6:]
                asyncio.ensure_future(pong(ws, await ws.ping(payload.encode("utf-8")), payload))
            elif message.startswith("!close "):
                code, _, reason = message[7:].partition(" ")
                await ws.close(int(code), reason)
            elif message == "!fragments":
                # Each str fragment is encoded on its own, so the cuts fall between code points.
                cut = FRAGMENTED.index("\U0001F600")
                await ws.send([FRAGMENTED[:cut], FRAGMENTED[cut:2000], FRAGMENTED[2000:]])
                binary = generate(False, 10000)
                await ws.send([binary[:1], binary[1:4000], binary[4000:]])
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    out("closed", ws.close_code, b64(ws.close_reason or ""))


async def main(protocols, variant, bits, cert, key):
    options = server_extensions(variant)
    if protocols != "-":
        options["subprotocols"] = protocols.split(",")
    if cert != "-":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        options["ssl"] = context
    server = await websockets.serve(echo, "127.0.0.1", 0, max_size=None, ping_interval=None, **options)
    out("PORT", server.sockets[0].getsockname()[1])
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=120)
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
