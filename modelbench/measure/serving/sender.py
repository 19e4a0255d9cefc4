"""The open loop's sender: a child process that writes each prepared request at its time.

In one Python process the thread that sends at a scheduled time must take the GIL when it
wakes up, and on a busy machine the thread holding it (a reader) may itself be waiting for a
core: the send then waits for both. The sender is a process of its own — no GIL to share, a
single thread that sleeps until a request's time, spins the last ``SPIN_NS``, takes the
clock and writes the request's bytes on the connection's socket (passed over a Unix socket
with ``SCM_RIGHTS``; the parent's reader thread is already waiting on the response). It
reports each send time back; that is the request's ``sent_ns`` (``perf_counter_ns`` is
``CLOCK_MONOTONIC``, one clock for every process on Linux).

``realtime=True`` asks for ``SCHED_FIFO`` (priority 1) for the sender alone, where the
process may have it (root or ``CAP_SYS_NICE``): it then preempts every ordinary task when its
sleep ends. It sleeps nearly all the time (a spin of at most ``SPIN_NS`` per request), and
the kernel's real-time throttling bounds it whatever happens. :attr:`Sender.realtime` says
whether it was granted.

This module imports only the standard library: the child runs it as a script.

Example:
    >>> import socket, time
    >>> server = socket.create_server(("127.0.0.1", 0))
    >>> client = socket.create_connection(server.getsockname())
    >>> peer, _ = server.accept()
    >>> with Sender() as sender:
    ...     at = time.perf_counter_ns() + 20_000_000
    ...     sender.submit(0, at, client.fileno(), b"ping")
    ...     sent = sender.finish()
    >>> peer.recv(4), sent[0][0] >= at, sent[0][1]
    (b'ping', True, 0)
    >>> for s in (peer, client, server):
    ...     s.close()
"""

from __future__ import annotations

import array
import gc
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time

__all__ = ["Sender", "AVAILABLE", "MAX_WIRE", "sleep_until", "timer_slack", "SPIN_NS"]

_HEAD = struct.Struct("=qq")  # request index, scheduled time (ns)
_REPLY = struct.Struct("=qqq")  # request index, send time (ns), errno (0: written)
#: Sleep until this close to a send time, then spin on the clock.
SPIN_NS = 100_000
#: Requests bigger than this are written by the scheduler thread (one message must fit the
#: Unix socket's buffer).
MAX_WIRE = 256 * 1024
#: Whether this platform can pass sockets to another process.
AVAILABLE = sys.platform.startswith("linux") and hasattr(socket, "send_fds")


class Sender:
    """The sender process; ``submit`` requests ahead of their times, then ``finish``."""

    def __init__(self, *, realtime: bool = False) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        for s in (ours, theirs):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MAX_WIRE)
        self._chan = ours
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__), str(theirs.fileno()),
             "1" if realtime else "0"], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        hello = ours.recv(16)  # the child is ready (and says whether it got SCHED_FIFO)
        if not hello:
            raise RuntimeError(f"the sender process exited ({self._proc.wait()})")
        self.realtime = hello == b"fifo"
        self.sent: dict[int, tuple[int, int]] = {}
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def submit(self, index: int, scheduled_ns: int, fd: int, wire: bytes) -> None:
        """Have ``wire`` written on ``fd`` at ``scheduled_ns`` (at once if that has passed)."""
        socket.send_fds(self._chan, [_HEAD.pack(index, scheduled_ns) + wire], [fd])

    def _collect(self) -> None:
        while reply := self._chan.recv(_REPLY.size):
            index, sent_ns, errno = _REPLY.unpack(reply)
            self.sent[index] = (sent_ns, errno)

    def finish(self) -> dict[int, tuple[int, int]]:
        """Stop the child after the requests submitted; ``{index: (sent_ns, errno)}``."""
        if self._proc.poll() is None:
            self._chan.shutdown(socket.SHUT_WR)
            self._proc.wait(60)
            self._reader.join(60)
        self._chan.close()
        return self.sent

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._chan.close()


def _serve(chan: socket.socket, realtime: bool) -> None:
    """The child: for each request, wait for its time, stamp, write, report."""
    granted = False
    if realtime:
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
            granted = True
        except (OSError, AttributeError):
            pass
    timer_slack(1)
    gc.disable()
    chan.send(b"fifo" if granted else b"normal")
    fds = array.array("i")
    while True:
        message, ancillary, _, _ = chan.recvmsg(_HEAD.size + MAX_WIRE,
                                                socket.CMSG_SPACE(fds.itemsize))
        if not message:
            return
        fd = next(struct.unpack_from("i", data)[0] for level, kind, data in ancillary
                  if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS)
        index, scheduled = _HEAD.unpack_from(message)
        wire = memoryview(message)[_HEAD.size:]
        sleep_until(scheduled)
        sent = time.perf_counter_ns()
        errno = _write_all(fd, wire)
        os.close(fd)  # our copy; the parent's stays open
        chan.send(_REPLY.pack(index, sent, errno))


def sleep_until(deadline_ns: int) -> None:
    """Sleep until ``SPIN_NS`` before ``deadline_ns``, then spin on the clock to it (holding
    the GIL): a long spin is worse on a busy machine, since the kernel preempts a task that
    has run long and a sleeper that wakes up preempts the others.

    >>> at = time.perf_counter_ns() + 2_000_000
    >>> sleep_until(at); time.perf_counter_ns() >= at
    True
    """
    now = time.perf_counter_ns
    while (remaining := deadline_ns - now()) > SPIN_NS:
        time.sleep((remaining - SPIN_NS) / 1e9)
    while now() < deadline_ns:
        pass


def _write_all(fd: int, data: memoryview) -> int:
    """Write everything (the socket may be non-blocking: its flags are the parent's, and
    are left alone); 0, or the errno that stopped it."""
    try:
        while data:
            try:
                data = data[os.write(fd, data):]
            except BlockingIOError:
                select.select([], [fd], [], 5.0)
    except OSError as exc:
        return exc.errno or -1
    return 0


def timer_slack(ns: int) -> int | None:
    """Set the calling thread's timer slack (Linux ``prctl``; the default, 50 us, lets a
    sleep end that late); the previous value, or None where it cannot be set."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    previous = prctl(30, 0, 0, 0, 0)  # PR_GET_TIMERSLACK
    if previous < 0 or prctl(29, ns, 0, 0, 0) != 0:  # PR_SET_TIMERSLACK
        return None
    return int(previous)


if __name__ == "__main__":
    _serve(socket.socket(fileno=int(sys.argv[1])), sys.argv[2] == "1")
