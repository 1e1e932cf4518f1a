"""Messages between a caller and its query process: pickled objects in length-prefixed frames
over a stream socket, read with as few system calls as the data allows.

``multiprocessing.connection.Connection`` does the same job, but reads every message in two
blocking reads (its length, then its body) and wraps both in Python loops. A cheap query is one
message each way, and that framing cost each side about 50 µs of CPU more than one read of the
whole message (``benchmarks/query_ipc.py``): as much as a third of the engine's own time.
Here a :class:`FrameSocket` reads whatever has arrived, usually the whole message in one call,
and keeps any bytes past the end of a frame for the next one.

Only processes of our own exchange these frames (a worker and the pool that forked it), so
unpickling them is as safe as the rest of the process.
"""

from __future__ import annotations

import os
import pickle
import socket
import struct
from typing import Any

_LENGTH = struct.Struct("!Q")
_READ_BYTES = 64 * 1024
"""The most one read asks for: a cheap answer arrives whole in one read."""
_SEPARATE_WRITE_BYTES = 64 * 1024
"""Past this size a message is written after its length instead of copied behind it."""


class FrameSocket:
    """One end of a stream socket carrying pickled messages.

    >>> import threading
    >>> ours, theirs = socket.socketpair()
    >>> a, b = FrameSocket(ours), FrameSocket(theirs)
    >>> a.send("small"); a.send("next")  # two frames, most likely read at once
    >>> b.receive(), b.buffered(), b.receive(), b.buffered()
    ('small', True, 'next', False)
    >>> large = threading.Thread(target=a.send, args=(("ok", b"x" * 300_000),))
    >>> large.start(); b.receive()[1] == b"x" * 300_000
    True
    >>> large.join(); a.close()
    >>> try:
    ...     b.receive()
    ... except EOFError:
    ...     print("the other end closed")
    ... finally:
    ...     b.close()
    the other end closed
    """

    def __init__(self, sock: socket.socket) -> None:
        # The descriptor itself, as multiprocessing's Connection keeps it: a socket object
        # that a garbage collection of a dropped channel finalizes first would warn instead
        # of being closed here.
        self._fd = sock.detach()
        self._pending = b""  # bytes read past the end of the last frame

    def fileno(self) -> int:
        return self._fd

    def buffered(self) -> bool:
        """Whether bytes of a next message were read already (a poll of the socket would not
        see them)."""
        return bool(self._pending)

    def send(self, message: Any) -> None:
        """Send ``message``, pickled, as one frame.

        :raises OSError: the other end is gone.
        """
        body = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        length = _LENGTH.pack(len(body))
        if len(body) > _SEPARATE_WRITE_BYTES:
            self._write_all(length)
            self._write_all(body)
        else:
            self._write_all(length + body)

    def receive(self) -> Any:
        """The next message, waiting for it as long as it takes.

        :raises EOFError: the other end closed the socket (a killed process) before a whole
            message arrived.
        :raises OSError: the socket failed.
        """
        data = self._pending
        while len(data) < _LENGTH.size:
            data += self._read()
        (size,) = _LENGTH.unpack_from(data)
        end = _LENGTH.size + size
        frame: bytes | bytearray = data
        if len(data) < end:  # a large message: the rest is read straight into its buffer
            frame = self._read_rest(data, end)
        self._pending = data[end:]
        # Only our own processes write to this socket (see the module docstring).
        return pickle.loads(memoryview(frame)[_LENGTH.size:end])  # noqa: S301

    def _read(self) -> bytes:
        chunk = os.read(self._fd, _READ_BYTES)
        if not chunk:
            raise EOFError
        return chunk

    def _read_rest(self, start: bytes, end: int) -> bytearray:
        """The frame that ``start`` begins, read into one buffer up to byte ``end`` and no
        further (nothing of the next frame)."""
        whole = bytearray(end)
        whole[:len(start)] = start
        view = memoryview(whole)
        filled = len(start)
        while filled < end:
            got = os.readv(self._fd, [view[filled:end]])
            if not got:
                raise EOFError
            filled += got
        return whole

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]

    def close(self) -> None:
        fd, self._fd = getattr(self, "_fd", -1), -1
        if fd >= 0:
            os.close(fd)

    def __del__(self) -> None:
        # As multiprocessing's Connection does: a channel dropped unclosed (the workers of a
        # backend nobody closed, such as an app's in a test) gives its descriptor back when
        # it is collected.
        self.close()


__all__ = ["FrameSocket"]
