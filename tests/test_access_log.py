"""The batched access log (``service/access_log.py``): Granian's line, for every way an answer
ends, escaped, and written by its thread. ``tests/test_serve_cli.py`` checks the line in a
real server's output, after its workers have ended."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from service.access_log import AccessLog, whole_line_chunks

# Granian's DEFAULT_ACCESSLOG_FMT:
# '[%(time)s] %(addr)s - "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).3f'
GRANIAN_LINE = re.compile(
    r'^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] (\S+) - "(\S+) (.*) (\S+)" (\d{3}) '
    r"(\d+\.\d{3})$")


def environ(path: str = "/sparql", method: str = "GET") -> dict[str, Any]:
    return {"REMOTE_ADDR": "192.0.2.7", "REQUEST_METHOD": method, "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "query=ASK%7B%7D"}


def answering(status: str, body: Iterable[bytes]) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response(status, [("Content-Type", "text/plain")])
        return body
    return app


def ignore(*_: Any) -> None:
    return None


def written_to_pipe(read_end: int, write_end: int) -> bytes:
    """Everything written to a pipe, once our write end is closed (no writer is left)."""
    os.close(write_end)
    data = b""
    while part := os.read(read_end, 65536):
        data += part
    return data


def lines_of(log: AccessLog, stream: io.StringIO) -> list[str]:
    log.flush()
    return stream.getvalue().splitlines()


def test_an_answer_gets_granians_line_without_the_query_string() -> None:
    stream = io.StringIO()
    log = AccessLog(answering("404 NOT FOUND", [b"no"]), stream, flush_seconds=3600)
    assert log(environ("/access-log-probe"), ignore) == [b"no"]
    [line] = lines_of(log, stream)
    match = GRANIAN_LINE.match(line)
    assert match, line
    assert match.groups()[:5] == ("192.0.2.7", "GET", "/access-log-probe", "HTTP/1.1", "404")
    assert "query=" not in line


def test_a_streamed_answer_is_logged_when_the_server_closes_it() -> None:
    closed: list[bool] = []

    class Streamed:
        def __iter__(self) -> Iterator[bytes]:
            yield b"a"
            yield b"b"

        def close(self) -> None:
            closed.append(True)

    stream = io.StringIO()
    log = AccessLog(answering("200 OK", Streamed()), stream, flush_seconds=3600)
    body = log(environ(), ignore)
    assert b"".join(body) == b"ab"
    assert lines_of(log, stream) == []  # not sent yet
    body.close()  # type: ignore[attr-defined]
    assert closed == [True]
    [line] = lines_of(log, stream)
    assert GRANIAN_LINE.match(line) and line.split('" ')[1].startswith("200 ")


def test_a_failing_app_is_logged_as_500_and_its_error_goes_on() -> None:
    def failing(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        raise RuntimeError("boom")

    stream = io.StringIO()
    log = AccessLog(failing, stream, flush_seconds=3600)
    with pytest.raises(RuntimeError, match="boom"):
        log(environ(), ignore)
    [line] = lines_of(log, stream)
    assert line.split('" ')[1].startswith("500 ")


@pytest.mark.parametrize("path", ['/a\n[2026-01-01 00:00:00 +0000] 10.0.0.1 - "GET /admin',
                                  '/a" 200 0.1\r\nx', "/a\x1b[31m", "/a\u2028b"])
def test_a_path_cannot_write_lines_or_fields_of_its_own(path: str) -> None:
    stream = io.StringIO()
    log = AccessLog(answering("200 OK", [b""]), stream, flush_seconds=3600)
    log(environ(path), ignore)
    [line] = lines_of(log, stream)
    match = GRANIAN_LINE.match(line)
    assert match, line
    assert match.group(5) == "200" and match.group(1) == "192.0.2.7"
    assert line.isprintable() and '"' not in match.group(3).replace('\\"', "")


def test_plain_paths_are_written_as_they_are() -> None:
    stream = io.StringIO()
    log = AccessLog(answering("303 SEE OTHER", [b""]), stream, flush_seconds=3600)
    log(environ("/id/authority/pl-swarzędz"), ignore)
    [line] = lines_of(log, stream)
    assert '"GET /id/authority/pl-swarzędz HTTP/1.1" 303 ' in line


def test_the_writer_thread_writes_the_lines_without_being_asked() -> None:
    stream = io.StringIO()
    log = AccessLog(answering("200 OK", [b""]), stream, flush_seconds=0.05)
    for n in range(3):
        log(environ(f"/page/{n}"), ignore)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and stream.getvalue().count("\n") < 3:
        time.sleep(0.01)
    assert [line.split()[6] for line in stream.getvalue().splitlines()] == \
        ["/page/0", "/page/1", "/page/2"]


def test_chunks_hold_whole_lines_within_the_limit() -> None:
    lines = [f"line {n} " + "x" * (n * 37 % 300) + "\n" for n in range(500)] + ["y" * 5000 + "\n"]
    chunks = list(whole_line_chunks(lines, 4096))
    assert b"".join(chunks) == "".join(lines).encode()
    assert all(chunk.endswith(b"\n") for chunk in chunks)
    assert all(len(chunk) <= 4096 for chunk in chunks[:-1]) and len(chunks[-1]) == 5001
    assert len(chunks) < len(lines) / 10  # batched, not a write per line


def test_lines_written_to_a_pipe_arrive_whole() -> None:
    read_end, write_end = os.pipe()
    try:
        log = AccessLog(answering("200 OK", [b""]), flush_seconds=3600, fd=write_end)
        for n in range(300):
            log(environ(f"/id/authority/{n}-" + "ą" * 40), ignore)
        log.flush()
        data = written_to_pipe(read_end, write_end)
    finally:
        os.close(read_end)
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == 300 and all(GRANIAN_LINE.match(line) for line in lines)
    assert [line.split()[6].split("-")[0] for line in lines] == \
        [f"/id/authority/{n}" for n in range(300)]


def _log_one_line_and_end(fd: int) -> None:
    log = AccessLog(answering("200 OK", [b""]), flush_seconds=3600, fd=fd)
    log(environ("/written-at-the-end"), ignore)  # no flush asked, the writer sleeps an hour


def test_a_worker_process_that_ends_writes_its_last_lines() -> None:
    """Granian's workers are multiprocessing children: their buffered lines are written by
    multiprocessing's finalizer when they end, not left in the buffer."""
    read_end, write_end = os.pipe()
    try:
        child = multiprocessing.get_context("fork").Process(
            target=_log_one_line_and_end, args=(write_end,))
        child.start()
        child.join(30)
        assert child.exitcode == 0
        data = written_to_pipe(read_end, write_end)
    finally:
        os.close(read_end)
    [line] = data.decode().splitlines()
    assert '"GET /written-at-the-end HTTP/1.1" 200 ' in line
