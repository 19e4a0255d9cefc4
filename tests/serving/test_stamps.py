"""Kernel receive stamps: the time bytes reached the socket, however late they are read."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from modelbench.errors import ConfigError
from modelbench.measure.serving import Endpoint, EndpointTarget, Prompt
from modelbench.measure.serving.stamps import (
    KERNEL_STAMPS,
    StampedHTTPConnection,
    StampedReader,
    clock_offset_ns,
    enable_kernel_stamps,
)

from .sse_server import Script, SSEServer

needs_kernel = pytest.mark.skipif(not KERNEL_STAMPS, reason="kernel stamps are Linux-only")


@needs_kernel
def test_a_late_read_still_gets_the_arrival_time():
    with socket.create_server(("127.0.0.1", 0)) as server, \
            socket.create_connection(server.getsockname()) as client:
        peer, _ = server.accept()
        with peer:
            assert enable_kernel_stamps(client)
            reader = StampedReader(client, clock_offset_ns())
            armed(peer, reader)
            sent = time.perf_counter_ns()
            peer.sendall(b"data: x\n\n")
            time.sleep(0.05)  # the reader is late by 50 ms
            read_at = time.perf_counter_ns()
            assert reader.readinto(bytearray(64)) == 9
        assert sent <= reader.stamp_ns < sent + 10_000_000  # arrival, not the read
        assert read_at - reader.stamp_ns >= 40_000_000
        assert reader.kernel_reads >= 1 and reader.stamp_ns != read_at


def armed(peer: socket.socket, reader: StampedReader) -> None:
    """Read until a packet comes stamped: the kernel turns stamping on shortly after the
    first socket asks (a deferred switch); until then a read gets the clock after it."""
    for _ in range(50):
        peer.sendall(b".")
        reader.readinto(bytearray(8))
        if reader.kernel_reads:
            return
        time.sleep(0.01)
    pytest.fail("the kernel never stamped a packet")


@needs_kernel
def test_a_streamed_response_read_late_is_stamped_with_its_last_arrival():
    with SSEServer(Script(ttft_s=0.05, itl_s=0.004, output_tokens=4)) as srv:
        conn = StampedHTTPConnection("127.0.0.1", srv.port, timeout=10)
        conn.request("POST", "/v1/completions",
                     body=b'{"model": "m", "prompt": "x", "max_tokens": 4}',
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        assert conn.kernel_stamps and response.reader is not None
        time.sleep(0.2)  # every chunk has arrived; none has been read
        read_at = time.perf_counter_ns()
        first = response.read1(65536)
        stamp = response.reader.stamp_ns
        while response.read1(65536):
            pass
        conn.close()
        (log,) = srv.log.values()
    assert b"t0" in first and len(log.chunk_times_ns) == 4
    # all queued bytes came in one read: its stamp is the last arrival, 0.1 s before the read
    assert log.chunk_times_ns[-1] <= stamp < log.chunk_times_ns[-1] + 5_000_000
    assert read_at - stamp > 100_000_000


def test_stamps_fall_back_where_the_kernel_cannot_give_them():
    assert EndpointTarget(Endpoint("https://h", "m")).stamps == "user"  # TLS: no recvmsg
    assert EndpointTarget(Endpoint("http://h", "m"), transport="httpx").stamps == "user"
    assert EndpointTarget(Endpoint("http://h", "m"), stamps="user").describe()["stamps"] \
        == "user"
    assert EndpointTarget(Endpoint("http://h", "m")).stamps == \
        ("kernel" if KERNEL_STAMPS else "user")
    with pytest.raises(ConfigError, match="stamps"):
        EndpointTarget(Endpoint("http://h", "m"), stamps="nic")


@needs_kernel
def test_the_asyncio_client_stamps_arrivals_while_its_loop_is_blocked():
    with SSEServer(Script(ttft_s=0.02, itl_s=0.002, output_tokens=4)) as srv:
        t = EndpointTarget(Endpoint(srv.url, "m", max_tokens=4))

        async def go():
            request = asyncio.ensure_future(t.arequest(Prompt(text="x")))
            await asyncio.sleep(0.005)  # the request is out
            time.sleep(0.1)  # the loop is stuck while every chunk arrives
            blocked_until = time.perf_counter_ns()
            record = await request
            await t.aclose()
            return record, blocked_until

        # arm the kernel's stamping first (see armed), then measure
        for _ in range(3):
            record, blocked_until = asyncio.run(go())
        log = srv.log[record.response_id]
    assert record.ok and blocked_until > log.chunk_times_ns[-1] + 50_000_000
    # the last chunk's stamp is its arrival, not the end of the block
    assert 0 <= record.chunk_times_ns[-1] - log.chunk_times_ns[-1] < 5_000_000
