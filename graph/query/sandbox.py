"""Operating-system limits on query processes: no network while federation is off.

The guard (:mod:`graph.query.guard`) refuses ``SERVICE`` off the allow-list; this is the second
wall behind it. With an empty allow-list a query process has no reason to open a network
connection, so the store process forbids IP sockets for itself and every process it forks,
with a seccomp filter (through libseccomp, :mod:`pyseccomp`): ``socket(AF_INET, ...)`` and
``socket(AF_INET6, ...)`` fail with ``EACCES``. Unix sockets (the workers' pipes) still work.
io_uring is forbidden too, since its operations do not pass through the ``socket`` system call.
"""

from __future__ import annotations

import errno
import socket
import sys


class SandboxUnavailable(OSError):
    """The network ban could not be set up (no libseccomp, or not Linux)."""


def forbid_network() -> None:
    """Forbid this process and its future children to open IP sockets. Irreversible.

    :raises SandboxUnavailable: not on Linux, or libseccomp cannot be loaded.
    """
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"the network ban needs Linux's seccomp, not {sys.platform}")
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as error:
        raise SandboxUnavailable(f"libseccomp is not available: {error}") from error
    refuse = seccomp.ERRNO(errno.EACCES)
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            rules.add_rule(refuse, call)
        rules.load()
    except (OSError, RuntimeError, ValueError) as error:
        raise SandboxUnavailable(f"the seccomp filter could not be loaded: {error}") from error
