"""The framing between the query pool and its processes (graph/query/frames.py)."""

from __future__ import annotations

import socket
import struct
import threading

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


def test_a_message_cut_off_by_a_dying_process_is_an_end_of_stream(pair):
    a, b = pair
    a.sock.sendall(struct.pack("!Q", 1000) + b"\x80\x05partial")  # then the sender dies
    a.sock.shutdown(socket.SHUT_WR)
    with pytest.raises(EOFError):
        b.receive()


def test_a_cut_in_the_length_is_an_end_of_stream_too(pair):
    a, b = pair
    a.sock.sendall(b"\0\0\0")
    a.sock.shutdown(socket.SHUT_WR)
    with pytest.raises(EOFError):
        b.receive()


def test_bytes_of_the_next_message_read_early_are_kept_for_it(pair):
    a, b = pair
    a.send("first")
    a.send({"second": [1, 2]})
    assert b.receive() == "first"
    assert b.buffered()  # both frames came in one read
    assert b.receive() == {"second": [1, 2]}
