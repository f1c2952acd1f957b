"""Interop matrix: python-websockets as a client driven by the test (ScriptedClient) over standard input and output.

Usage: matrix_client.py URL SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CA_PEM|-
Input and output lines as in matrix_client.js; text fragments come as whole code points (textfragments).
"""
import asyncio
import hashlib
import ssl
import sys

import websockets

from matrix_common import b64, client_extensions, generate, out, unb64


async def report(ws):
    try:
        async for message in ws:
            data = message if isinstance(message, bytes) else message.encode("utf-8")
            out("binary" if isinstance(message, bytes) else "text", len(data), hashlib.sha256(data).hexdigest())
    except websockets.ConnectionClosed:
        pass
    out("closed", ws.close_code, b64(ws.close_reason or ""))


async def pong(waiter, payload):
    await waiter
    out("pong", payload)


async def main(url, protocols, variant, bits, ca):
    options = client_extensions(variant, int(bits))
    if ca != "-":
        options["ssl"] = ssl.create_default_context(cafile=ca)
    if protocols != "-":
        options["subprotocols"] = protocols.split(",")
    try:
        ws = await websockets.connect(url, max_size=None, ping_interval=None, **options)
    except Exception as e:  # any failure to connect is reported to the test, which fails with it
        out("error", b64(repr(e)))
        return
    out("open", ws.subprotocol or "-", ws.response_headers.get("Sec-WebSocket-Extensions", "-"))
    reader = asyncio.ensure_future(report(ws))
    loop = asyncio.get_running_loop()
    tasks = []
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        op, *args = line.rstrip("\n").split("\t")
        if op == "send":
            text = args[0] == "text"
            data = unb64(args[2]).decode("utf-8") if args[2] != "-" else generate(text, int(args[1]))
            await ws.send(data)
        elif op == "textfragments":
            await ws.send([unb64(piece).decode("utf-8") for piece in args])
        elif op == "binaryfragments":
            await ws.send([unb64(piece) for piece in args])
        elif op == "ping":
            tasks.append(asyncio.ensure_future(pong(await ws.ping(args[0].encode("utf-8")), args[0])))
        elif op == "close":
            tasks.append(asyncio.ensure_future(ws.close(int(args[0]), unb64(args[1]).decode("utf-8"))))
    reader.cancel()
    for task in tasks:
        task.cancel()
    await ws.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
