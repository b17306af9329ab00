"""A process that cannot open a network connection: the second barrier against SERVICE and LOAD.

The first barrier (publik_kg.outbound) refuses requests from their parse; this one makes a
parser gap harmless. A process calls ``enter()`` once, and from then on it and every thread
and child it has cannot create an Internet socket:

- a **seccomp filter** (any user: it needs only ``no_new_privs``) makes ``socket()`` fail
  with EACCES for every address family (a UNIX socket too: it could reach a local name
  service, which resolves names, and so sends queries, for it), ``socketpair()`` for all but
  AF_UNIX (pipes between processes keep working), and ``io_uring_setup()`` too (io_uring can create sockets
  without the ``socket`` system call). It is installed with TSYNC, so threads that already
  run (granian's, RocksDB's) are covered as well. Accepted connections are unaffected:
  ``accept()`` makes no new socket through ``socket()``.
- when the process runs as root and is still single-threaded, it also moves
  into a **new network namespace**, which has no interface but a loopback that is down:
  even a socket created some other way would have no route anywhere.

Linux only (x86-64 and aarch64). Elsewhere, or when the kernel refuses, ``enter()`` raises
``SandboxError``; callers decide whether to go on (``PUBLIK_KG_NETWORK_SANDBOX=off``).
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import threading


class SandboxError(OSError):
    """The network barrier could not be installed."""


# syscall numbers and audit architecture per machine
_ARCH = {
    "x86_64": {"audit": 0xC000003E, "socket": 41, "socketpair": 53, "seccomp": 317, "io_uring_setup": 425,
               "x32": True},
    "aarch64": {"audit": 0xC00000B7, "socket": 198, "socketpair": 199, "seccomp": 277, "io_uring_setup": 425,
                "x32": False},
}
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_CLONE_NEWNET = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000 | errno.EACCES
# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


def _program(arch: dict) -> bytes:
    """The BPF filter: deny socket() (every family: even a UNIX socket can reach a name
    service that resolves names for it), deny socketpair() unless AF_UNIX (pipes between
    processes), deny io_uring_setup, allow the rest."""
    ins: list[tuple[int, int, int, int]] = []

    def op(code, k, jt=0, jf=0):
        ins.append((code, jt, jf, k))

    op(_LD_W_ABS, 4)                                  # seccomp_data.arch
    op(_JEQ_K, arch["audit"], 1, 0)
    op(_RET_K, _RET_ERRNO)                            # another ABI: nothing allowed
    op(_LD_W_ABS, 0)                                  # seccomp_data.nr
    if arch["x32"]:
        op(_JGE_K, 0x40000000, 0, 1)                  # x32 system calls
        op(_RET_K, _RET_ERRNO)
    op(_JEQ_K, arch["io_uring_setup"], 0, 1)
    op(_RET_K, _RET_ERRNO)
    op(_JEQ_K, arch["socket"], 0, 1)
    op(_RET_K, _RET_ERRNO)
    op(_JEQ_K, arch["socketpair"], 0, 4)              # not socketpair: to the last ALLOW
    op(_LD_W_ABS, 16)                                 # args[0] (low 32 bits): the address family
    op(_JEQ_K, socket.AF_UNIX, 0, 1)
    op(_RET_K, _RET_ALLOW)
    op(_RET_K, _RET_ERRNO)
    op(_RET_K, _RET_ALLOW)
    return b"".join(struct.pack("HBBI", *i) for i in ins)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_lock = threading.Lock()
_entered: dict[str, bool] = {}


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _seccomp(arch: dict) -> None:
    libc = _libc()
    if libc.prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0),
                  ctypes.c_ulong(0)) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    prog = _program(arch)
    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = _SockFprog(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc.syscall.restype = ctypes.c_long
    rc = libc.syscall(ctypes.c_long(arch["seccomp"]), ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
                      ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    if rc != 0:
        err = ctypes.get_errno()
        raise SandboxError(err, f"seccomp filter refused: {os.strerror(err) if err > 0 else rc}")


def _threads() -> int:
    """Threads of this process, native ones included (Python counts only its own)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Threads:"))
    except (OSError, StopIteration, ValueError):
        return 2


def _new_netns() -> bool:
    """Move into an empty network namespace when allowed: a namespace is a thread's, so only
    a single-threaded process (a fresh worker) can move whole."""
    if _threads() > 1 or os.geteuid() != 0:
        return False
    return _libc().unshare(_CLONE_NEWNET) == 0


def enter() -> dict[str, bool]:
    """Install the barrier in this process (idempotent); returns which layers are on."""
    with _lock:
        if _entered:
            return dict(_entered)
        arch = _ARCH.get(platform.machine())
        if os.name != "posix" or platform.system() != "Linux" or arch is None:
            raise SandboxError(errno.ENOSYS, f"no network sandbox on {platform.system()} {platform.machine()}")
        netns = _new_netns()
        _seccomp(arch)
        for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
            try:
                socket.socket(family, socket.SOCK_STREAM).close()
            except OSError:
                continue
            raise SandboxError(errno.EPERM, f"the seccomp filter was installed but a {family.name} socket still opens")
        _entered.update(seccomp=True, netns=netns)
        return dict(_entered)


def layers() -> dict[str, bool]:
    """What ``enter()`` installed in this process (empty: nothing)."""
    return dict(_entered)
