"""A lean asyncio HTTP/1.1 streaming client: h11 over non-blocking sockets, kernel stamps.

The asyncio driver's default transport. Each read is one ``recvmsg_into`` on the socket,
stamped with the kernel's receive time (:mod:`.stamps`), so a stream's times do not wait for
the event loop to come round to it — with 64 streams on one loop that wait was tens of
milliseconds through httpx. The bytes go through h11 (HTTP framing, chunked bodies,
keep-alive) and the body's data chunks are kept with the stamp of the read that completed
them. Plain HTTP only; ``https`` endpoints use httpx.

Example:
    >>> import asyncio
    >>> pool = AsyncPool("127.0.0.1", 1, timeout_s=1.0)
    >>> asyncio.run(pool.stream("POST", "/v1/completions", {}, b"{}", StreamResult()))
    Traceback (most recent call last):
    ...
    ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 1)
"""

from __future__ import annotations

import asyncio
import socket

import h11

from .stamps import StampedReader, clock_offset_ns, enable_kernel_stamps

__all__ = ["AsyncPool", "StreamResult"]

_READ_SIZE = 65536


class StreamResult:
    """What one request got: status, headers, and the body as (stamp, bytes) pieces."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.stamps: list[int] = []
        self.chunks: list[bytes] = []
        self.reused = False

    def content(self) -> bytes:
        return b"".join(self.chunks)


class _Connection:
    """One keep-alive connection: a non-blocking socket, its stamped reader, an h11 state."""

    def __init__(self, sock: socket.socket, kernel: bool = True) -> None:
        self.sock = sock
        self.kernel = kernel and enable_kernel_stamps(sock)
        self.reader = StampedReader(sock, clock_offset_ns())
        self.h11 = h11.Connection(our_role=h11.CLIENT)
        self.buffer = bytearray(_READ_SIZE)
        self.used = False

    async def read(self, loop: asyncio.AbstractEventLoop) -> bytes:
        """The next bytes (b"" at EOF); ``reader.stamp_ns`` is when they arrived."""
        while True:
            try:
                n = self.reader.readinto(self.buffer)
                return bytes(self.buffer[:n])
            except (BlockingIOError, InterruptedError):
                ready = loop.create_future()
                loop.add_reader(self.sock.fileno(), _resolve, ready)
                try:
                    await ready
                finally:
                    loop.remove_reader(self.sock.fileno())

    def close(self) -> None:
        self.sock.close()


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


class AsyncPool:
    """Keep-alive connections to one ``host:port``, used by one event loop."""

    def __init__(self, host: str, port: int, *, timeout_s: float, kernel: bool = True) -> None:
        self.host, self.port, self.timeout_s, self.kernel = host, port, timeout_s, kernel
        self._idle: list[_Connection] = []

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET,
                             socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await loop.sock_connect(sock, (self.host, self.port))
        except BaseException:
            sock.close()
            raise
        return _Connection(sock, self.kernel)

    async def stream(self, method: str, target: str, headers: dict[str, str], body: bytes,
                     result: StreamResult) -> None:
        """Send one request and read its whole response into ``result`` (which keeps what
        came before a failure; ``result.reused``: the connection had served a request
        before, so a failure before any response may be a stale keep-alive)."""
        conn, wire = await self.open(method, target, headers, body)
        try:
            await asyncio.get_running_loop().sock_sendall(conn.sock, wire)
        except BaseException:
            conn.close()
            raise
        await self.finish(conn, result)

    async def open(self, method: str, target: str, headers: dict[str, str], body: bytes
                   ) -> tuple[_Connection, bytes]:
        """A keep-alive connection (connected) and the request's bytes, not yet written: the
        caller (or the open loop's sender process) writes them, then :meth:`finish`."""
        conn = self._idle.pop() if self._idle else await self._connect()
        conn.reader.offset_ns = clock_offset_ns()
        request = h11.Request(method=method, target=target, headers=[
            ("Host", f"{self.host}:{self.port}"), ("Content-Length", str(len(body))),
            *headers.items()])
        try:
            wire = conn.h11.send(request) + conn.h11.send(h11.Data(data=body)) + \
                conn.h11.send(h11.EndOfMessage())
        except BaseException:
            conn.close()
            raise
        return conn, wire

    async def finish(self, conn: _Connection, result: StreamResult) -> None:
        """Read the response of the request written on ``conn`` into ``result``; the
        connection goes back to the pool when the exchange ended cleanly."""
        result.reused = conn.used
        try:
            async with asyncio.timeout(self.timeout_s):
                await self._read(conn, result)
        except BaseException:
            conn.close()
            raise
        if conn.h11.our_state is h11.DONE and conn.h11.their_state is h11.DONE:
            conn.h11.start_next_cycle()
            conn.used = True
            self._idle.append(conn)
        else:
            conn.close()

    async def _read(self, conn: _Connection, result: StreamResult) -> None:
        loop = asyncio.get_running_loop()
        stamp, keep = result.stamps.append, result.chunks.append
        while True:
            event = conn.h11.next_event()
            if event is h11.NEED_DATA:
                conn.h11.receive_data(await conn.read(loop))
            elif isinstance(event, h11.Response):
                result.status = event.status_code
                result.headers = {k.decode().lower(): v.decode("latin-1")
                                  for k, v in event.headers}
            elif isinstance(event, h11.Data):
                stamp(conn.reader.stamp_ns)
                keep(bytes(event.data))
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                return

    async def aclose(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()

    def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()

