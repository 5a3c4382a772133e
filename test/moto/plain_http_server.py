"""A plain HTTP/1.1 server for a WSGI app: one thread, one request at a time, keep-alive connections.

moto serves one request at a time whatever the server (its work holds Python's GIL), but werkzeug's
development server adds several milliseconds to each request around the ~1-2 ms that moto itself spends:
a thread per connection, header parsing through the email package, a write per header. The benchmark
(bench/run.mjs) measures the CLI against moto behind a proxy that adds 50 ms to every request; there the
emulator's own overhead, paid once per request and queued when requests arrive together, is noise in the
CLI's figures. This server takes what a real client sends (Content-Length or chunked bodies,
Expect: 100-continue) and nothing more: it is not a general web server.

Used with ``moto_ext_server.py --http plain``; the integration tests keep werkzeug (``--http werkzeug``, the
default), exactly as moto_server runs.
"""

from __future__ import annotations

import asyncio
import io
import sys
import traceback
from typing import Any, Callable
from urllib.parse import unquote_to_bytes

_MAX_HEADER_LINES = 200


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)  # the CRLF after each chunk
    length = int(headers.get("content-length") or 0)
    return await reader.readexactly(length) if length > 0 else b""


def _environ(method: str, target: str, version: str, headers: list[tuple[str, str]], body: bytes,
             server: tuple[str, int], peer: Any) -> dict[str, Any]:
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "REQUEST_URI": target,
        "RAW_URI": target,
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": version,
        "REMOTE_ADDR": peer[0] if peer else "127.0.0.1",
        "REMOTE_PORT": str(peer[1]) if peer else "0",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
            continue
        key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        started[:] = [status, response_headers]
        return lambda data: None  # the legacy write() callable; moto does not use it

    try:
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        return started[0], started[1], body
    except Exception:  # noqa: BLE001 - a failing request is a 500, as in werkzeug, and the server goes on
        traceback.print_exc()
        return "500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")], b"internal server error"


def serve(app: Callable[..., Any], host: str, port: int) -> None:
    """Serves app on host:port until the process is stopped."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        try:
            while True:
                line = await reader.readline()
                if not line.strip():
                    return
                method, target, version = line.decode("latin-1").split()
                header_list: list[tuple[str, str]] = []
                for _ in range(_MAX_HEADER_LINES):
                    raw = await reader.readline()
                    if raw in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = raw.decode("latin-1").partition(":")
                    header_list.append((name.strip(), value.strip()))
                else:
                    raise ValueError("too many header lines")
                headers = {k.lower(): v for k, v in header_list}
                if headers.get("expect", "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                body = await _read_body(reader, headers)
                status, response_headers, payload = _call(
                    app, _environ(method, target, version, header_list, body, (host, port), peer))
                keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
                names = {k.lower() for k, _ in response_headers}
                out = [f"HTTP/1.1 {status}"]
                out += [f"{k}: {v}" for k, v in response_headers if k.lower() not in ("connection", "transfer-encoding")]
                if "content-length" not in names:
                    out.append(f"Content-Length: {len(payload)}")
                out.append("Connection: keep-alive" if keep_alive else "Connection: close")
                head = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
                writer.write(head + (payload if method != "HEAD" else b""))
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return  # the client went away, or sent something this server does not take
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, host, port, reuse_address=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())
