"""Interop matrix: aiohttp's web server as a commanded echo server (see the Java class Commands) for Sockwave's client.

Usage: matrix_aiohttp_server.py SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CERT_PEM|- KEY_PEM|-
Prints "PORT n", then "open PROTOCOL|-" and "closed CODE REASON(base64)" for each connection; stops when its
standard input closes, or after 120 s. aiohttp sends whole messages only, so "!fragments" is never sent to it; it
takes permessage-deflate as the client offers it.
"""
import asyncio
import socket
import ssl
import sys

from aiohttp import WSMsgType, web

from matrix_common import b64, out


def handler(protocols, compress):
    async def echo(request):
        ws = web.WebSocketResponse(protocols=protocols, compress=compress, max_msg_size=0, autoping=False,
                                   heartbeat=None)
        await ws.prepare(request)
        out("open", ws.ws_protocol or "-")
        code, reason = 1006, ""
        while True:
            msg = await ws.receive()
            if msg.type == WSMsgType.BINARY:
                await ws.send_bytes(msg.data)
            elif msg.type == WSMsgType.TEXT:
                text = msg.data
                if text.startswith("!ping "):
                    await ws.ping(text[6:].encode("utf-8"))
                elif text.startswith("!close "):
                    close_code, _, close_reason = text[7:].partition(" ")
                    await ws.close(code=int(close_code), message=close_reason.encode("utf-8"))
                    code, reason = ws.close_code, ""
                    break
                else:
                    await ws.send_str(text)
            elif msg.type == WSMsgType.PING:
                await ws.pong(msg.data)
            elif msg.type == WSMsgType.PONG:
                await ws.send_str("!pong " + msg.data.decode("utf-8"))
            elif msg.type == WSMsgType.CLOSE:
                code, reason = msg.data, msg.extra or ""
                break
            else:
                code = ws.close_code or 1006
                break
        out("closed", code, b64(reason))
        return ws
    return echo


async def main(protocols, variant, bits, cert, key):
    app = web.Application()
    app.router.add_get("/echo", handler(protocols.split(",") if protocols != "-" else (), variant != "NONE"))
    runner = web.AppRunner(app)
    await runner.setup()
    context = None
    if cert != "-":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, listening, ssl_context=context)
    await site.start()
    out("PORT", listening.getsockname()[1])
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=120)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
