"""Receive timestamps: when the kernel queued the bytes on the socket, not when a thread got them.

A streaming client that stamps bytes with ``time.perf_counter_ns()`` after a read measures
its own wake-up too: on a busy machine a thread blocked in ``recv`` may wait milliseconds for
a core and then for the GIL before it can read the clock. Linux stamps every received packet
as it is queued on the socket (``SO_TIMESTAMPNS``); ``recvmsg`` returns the stamp of the last
packet it read as ancillary data. That stamp does not wait for the reader.

The kernel stamps with ``CLOCK_REALTIME``; :func:`clock_offset_ns` converts it to the
``perf_counter_ns`` clock (``CLOCK_MONOTONIC``) every other time here is on. Both clocks run
at the same, NTP-disciplined rate, so the offset changes only when the wall clock is stepped;
it is measured again on each request.

Where the kernel gives no stamp (another OS, a TLS socket, a packet stamped before the option
was set) the reader falls back to ``perf_counter_ns()`` after the read, and says so
(:attr:`StampedReader.kernel_reads`).

One stamp per read is the arrival of the *last* byte read: when a reader falls behind by more
than a chunk's gap, the chunks read together all get the later time (the same as a user-space
stamp would, and never earlier than the truth).

Example:
    >>> import socket
    >>> server = socket.create_server(("127.0.0.1", 0))
    >>> b = socket.create_connection(server.getsockname())
    >>> a, _ = server.accept()
    >>> kernel = enable_kernel_stamps(b)
    >>> reader = StampedReader(b, clock_offset_ns())
    >>> _ = a.send(b"data: 1\\n\\n")
    >>> buffer = bytearray(64)
    >>> n = reader.readinto(buffer)
    >>> bytes(buffer[:n]), 0 < time.perf_counter_ns() - reader.stamp_ns < 10**9
    (b'data: 1\\n\\n', True)
    >>> kernel == KERNEL_STAMPS  # the first packet after the kernel turns stamping on may
    True
    >>> reader.kernel_reads <= int(kernel)  # come unstamped: then the read's clock stands
    True
    >>> for s in (a, b, server):
    ...     s.close()
"""

from __future__ import annotations

import http.client
import io
import socket
import struct
import sys
import time
from functools import partial
from typing import Any

__all__ = ["enable_kernel_stamps", "clock_offset_ns", "StampedReader", "StampedHTTPConnection",
           "KERNEL_STAMPS"]

#: ``SO_TIMESTAMPNS`` (``SO_TIMESTAMPNS_OLD`` on Linux: a ``struct timespec`` of two longs);
#: the ``socket`` module names it only from Python 3.14 on.
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
_TIMESPEC = struct.Struct("@qq")
_ANCILLARY = socket.CMSG_SPACE(_TIMESPEC.size) if hasattr(socket, "CMSG_SPACE") else 0
#: Whether this platform can stamp at all (Linux, ``recvmsg``).
KERNEL_STAMPS = sys.platform.startswith("linux") and hasattr(socket.socket, "recvmsg_into")


def enable_kernel_stamps(sock: socket.socket) -> bool:
    """Ask the kernel to stamp packets received on ``sock``; False where it cannot.

    >>> import socket
    >>> with socket.socket() as tcp:
    ...     enable_kernel_stamps(tcp) == KERNEL_STAMPS
    True
    """
    if not KERNEL_STAMPS or type(sock) is not socket.socket:  # a TLS socket has no recvmsg
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
    except OSError:
        return False
    return True


def clock_offset_ns(tries: int = 5) -> int:
    """``CLOCK_REALTIME − CLOCK_MONOTONIC`` in ns, from the tightest of ``tries`` brackets.

    >>> abs(time.time_ns() - time.perf_counter_ns() - clock_offset_ns()) < 10**8
    True
    """
    best_width, best = None, 0
    for _ in range(tries):
        before = time.perf_counter_ns()
        wall = time.clock_gettime_ns(time.CLOCK_REALTIME)
        after = time.perf_counter_ns()
        if best_width is None or after - before < best_width:
            best_width, best = after - before, wall - (before + after) // 2
    return best


class StampedReader(io.RawIOBase):
    """A raw reader over a connected socket that keeps the arrival time of what it last read
    (``stamp_ns``, on the ``perf_counter_ns`` clock). ``keep`` is closed with it (the
    ``socket.makefile`` object it stands in for, which holds the socket open)."""

    def __init__(self, sock: socket.socket, offset_ns: int, keep: Any = None) -> None:
        super().__init__()
        self._sock = sock
        self._keep = keep
        self.offset_ns = offset_ns
        self.stamp_ns = 0
        self.kernel_reads = 0
        self.user_reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n, ancillary, _, _ = self._sock.recvmsg_into([buffer], _ANCILLARY)
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS:
                seconds, nanoseconds = _TIMESPEC.unpack_from(data)
                self.stamp_ns = seconds * 1_000_000_000 + nanoseconds - self.offset_ns
                self.kernel_reads += 1
                return n
        self.stamp_ns = time.perf_counter_ns()
        self.user_reads += 1
        return n

    def close(self) -> None:
        if self._keep is not None:
            self._keep.close()
        super().close()


class _StampedResponse(http.client.HTTPResponse):
    """An ``HTTPResponse`` reading through a :class:`StampedReader` (``response.reader``)."""

    def __init__(self, sock: socket.socket, *args: Any, offset_ns: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.reader: StampedReader | None = None
        if offset_ns is not None:
            self.reader = StampedReader(sock, offset_ns, keep=self.fp)
            self.fp = io.BufferedReader(self.reader)


class StampedHTTPConnection(http.client.HTTPConnection):
    """``http.client.HTTPConnection`` whose responses carry kernel receive stamps when the
    socket takes them (``response.reader``; None where it does not).

    >>> StampedHTTPConnection("127.0.0.1", 1).kernel_stamps
    False
    """

    response_class: Any = _StampedResponse

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kernel_stamps = False

    def connect(self) -> None:
        super().connect()
        self.kernel_stamps = enable_kernel_stamps(self.sock)
        self.refresh_offset()

    def refresh_offset(self) -> None:
        """Measure the clock offset again (before each request: it moves when the wall clock
        is stepped)."""
        if self.kernel_stamps and self.sock is not None:
            self.response_class = partial(_StampedResponse, offset_ns=clock_offset_ns())
        else:
            self.response_class = _StampedResponse
