"""What the interop matrix's python-websockets client and server share: the generated messages every peer makes
the same way, the permessage-deflate variants, tab-separated output, and base64 for fields that may hold tabs."""
import base64
import sys

_BINARY_PERIOD = bytes((i * 31 + 7) & 0xFF for i in range(256))


def generate(text, size):
    if text:
        return ("abcdefghijklmnopqrstuvwxyz" * (size // 26 + 1))[:size]
    return (_BINARY_PERIOD * (size // 256 + 1))[:size]


def client_extensions(variant, bits):
    """The client's offer for a deflate variant, as keyword arguments of websockets.connect."""
    # Imported here, so that the aiohttp peer, which shares the rest, needs no websockets.
    from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
    if variant == "NONE":
        return {"compression": None}
    if variant == "DEFAULT":
        return {"compression": "deflate"}
    if variant == "NO_CONTEXT_TAKEOVER":
        factory = ClientPerMessageDeflateFactory(server_no_context_takeover=True, client_no_context_takeover=True)
    else:
        factory = ClientPerMessageDeflateFactory(server_max_window_bits=bits, client_max_window_bits=bits)
    return {"compression": None, "extensions": [factory]}


def server_extensions(variant):
    """The server takes what a client offers: no context takeover and window bits are the client's to ask."""
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
    if variant == "NONE":
        return {"compression": None}
    return {"compression": None, "extensions": [ServerPerMessageDeflateFactory()]}


def out(*fields):
    sys.stdout.write("\t".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii") if text else "-"


def unb64(field):
    return b"" if field == "-" else base64.b64decode(field)
