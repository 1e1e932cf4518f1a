"""The framing between the query pool and its processes (graph/query/frames.py)."""

from __future__ import annotations

import gc
import os
import socket
import struct
import threading
import warnings

import pytest

from graph.query.frames import FrameSocket


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair()
    a, b = FrameSocket(ours), FrameSocket(theirs)
    yield a, b
    a.close()
    b.close()


def test_messages_arrive_whole_and_in_order_whatever_their_size(pair):
    a, b = pair
    messages = [("ok", b"x" * size) for size in (0, 1, 7, 65_535, 65_537, 2_000_000)]
    sender = threading.Thread(target=lambda: [a.send(m) for m in messages])
    sender.start()
    received = [b.receive() for _ in messages]
    sender.join()
    assert received == messages
    assert not b.buffered()


@pytest.mark.parametrize("sent", [
    struct.pack("!Q", 1000) + b"\x80\x05partial",  # a body cut short
    b"\0\0\0",  # a length cut short
])
def test_a_message_cut_off_by_a_dying_process_is_an_end_of_stream(sent: bytes) -> None:
    sender, theirs = socket.socketpair()
    receiver = FrameSocket(theirs)
    try:
        sender.sendall(sent)
        sender.close()  # the sender dies
        with pytest.raises(EOFError):
            receiver.receive()
    finally:
        receiver.close()


def test_bytes_of_the_next_message_read_early_are_kept_for_it(pair):
    a, b = pair
    a.send("first")
    a.send({"second": [1, 2]})
    assert b.receive() == "first"
    assert b.buffered()  # both frames came in one read
    assert b.receive() == {"second": [1, 2]}


def test_a_channel_dropped_unclosed_in_a_cycle_closes_without_a_warning() -> None:
    """Backends nobody closes (apps in tests) drop their workers' channels in reference
    cycles; collecting them must give the descriptor back, with no ResourceWarning."""
    ours, theirs = socket.socketpair()
    channel = FrameSocket(ours)
    channel.cycle = channel  # type: ignore[attr-defined]
    fd = channel.fileno()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del channel
        gc.collect()
    with pytest.raises(OSError):
        os.fstat(fd)
    theirs.close()
