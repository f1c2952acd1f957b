"""Interop matrix: aiohttp's WebSocket client driven by the test (ScriptedClient) over standard input and output.

Usage: matrix_aiohttp_client.py URL SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CA_PEM|-
Input and output lines as in matrix_client.py. aiohttp sends whole messages only, so the test sends no fragments.
aiohttp offers permessage-deflate with a window (compress=BITS) but no context takeover only as the server imposes it.
"""
import asyncio
import hashlib
import ssl
import sys

import aiohttp

from matrix_common import b64, generate, out, unb64


async def report(ws):
    while True:
        msg = await ws.receive()
        if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
            text = msg.type == aiohttp.WSMsgType.TEXT
            data = msg.data.encode("utf-8") if text else msg.data
            out("text" if text else "binary", len(data), hashlib.sha256(data).hexdigest())
        elif msg.type == aiohttp.WSMsgType.PING:
            await ws.pong(msg.data)
        elif msg.type == aiohttp.WSMsgType.PONG:
            out("pong", msg.data.decode("utf-8"))
        elif msg.type == aiohttp.WSMsgType.CLOSE:
            out("closed", msg.data, b64(msg.extra or ""))
            return
        else:
            # CLOSING: our own close() took over the reading; it reports the end itself.
            if msg.type != aiohttp.WSMsgType.CLOSING:
                out("closed", ws.close_code or 1006, "-")
            return


async def close(ws, code, reason):
    await ws.close(code=code, message=reason.encode("utf-8"))
    # With a receive() pending (report's), aiohttp's close() returns without reading the server's Close and leaves
    # close_code None; no Close received makes the close code 1006 (RFC 6455 §7.1.5).
    out("closed", 1006 if ws.close_code is None else ws.close_code, "-")


async def main(url, protocols, variant, bits, ca):
    options = {"max_msg_size": 0, "autoping": False, "heartbeat": None}
    if variant == "SMALLEST_WINDOW":
        options["compress"] = int(bits)
    elif variant != "NONE":
        options["compress"] = 15
    if ca != "-":
        options["ssl"] = ssl.create_default_context(cafile=ca)
    if protocols != "-":
        options["protocols"] = protocols.split(",")
    answered = {}

    async def on_request_end(session, context, params):
        answered["extensions"] = params.response.headers.get("Sec-WebSocket-Extensions", "-")

    tracing = aiohttp.TraceConfig()
    tracing.on_request_end.append(on_request_end)
    async with aiohttp.ClientSession(trace_configs=[tracing]) as session:
        try:
            ws = await session.ws_connect(url, **options)
        except Exception as e:  # any failure to connect is reported to the test, which fails with it
            out("error", b64(repr(e)))
            return
        out("open", ws.protocol or "-", answered.get("extensions", "-"))
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
                data = unb64(args[2]) if args[2] != "-" else generate(text, int(args[1]))
                if text:
                    await ws.send_str(data.decode("utf-8") if isinstance(data, bytes) else data)
                else:
                    await ws.send_bytes(data)
            elif op == "ping":
                await ws.ping(args[0].encode("utf-8"))
            elif op == "close":
                tasks.append(asyncio.ensure_future(close(ws, int(args[0]), unb64(args[1]).decode("utf-8"))))
            else:
                out("unexpected", op)
        reader.cancel()
        for task in tasks:
            task.cancel()
        await ws.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
