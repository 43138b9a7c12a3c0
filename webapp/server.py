"""`mecp serve`: waitress in one or more processes that share one listening socket.

Waitress runs the app in threads of one process, and searching is Python work that holds the
interpreter lock, so one process uses one core however many threads it has. With several
processes the parent binds the socket and forks the children, each running waitress on the
inherited socket; the kernel hands every new connection to one of them. The parent only watches:
it replaces a child that dies, and stops them all on SIGTERM or Ctrl-C. Each child opens the
index itself, on its first request. May import: waitress, flask.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

import waitress

RESTART_PAUSE = 1.0  # seconds between replacing children that die at once (a crash loop)
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for the child when its parent dies
M_ARENA_MAX = -8  # glibc mallopt option: how many malloc arenas threads may spread over
MALLOC_ARENAS = 1


def serve(
    make_app: Callable[[], Any],
    host: str,
    port: int,
    processes: int,
    threads: int,
    announce: Callable[[str], None] | None = None,
    client_timeout: int = 20,
) -> None:
    """Serve until stopped; processes > 1 forks that many waitress processes.

    announce is called with the base URL once the port is bound (connections made from then on
    wait in the socket's queue until a process takes them), never before.
    """
    try:
        listener = socket.create_server((host, port), backlog=1024)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None
    app = make_app()  # built before forking: imports and templates are loaded once
    if announce:
        bound_host, bound_port = listener.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        announce(f"http://{shown}:{bound_port}/")
    options = {"threads": threads, "channel_timeout": client_timeout}
    if processes <= 1:
        _run_waitress(app, listener, options)
        return
    _Supervisor(app, listener, processes, options).run()


def _run_waitress(app: Any, listener: socket.socket, options: dict[str, Any]) -> None:
    """One waitress server on an already bound socket.

    channel_timeout closes a connection idle that long (waitress checks every
    cleanup_interval seconds), so a slow or silent client cannot hold a thread's connection.
    """
    _limit_malloc_arenas()
    interval = max(1, min(30, options["channel_timeout"] // 2))
    waitress.serve(app, sockets=[listener], ident="mecp", cleanup_interval=interval, **options)


def _limit_malloc_arenas() -> None:
    """Keep glibc from giving each serving thread its own malloc arena.

    Every arena keeps the memory freed in it (evicted cache entries, finished responses): at
    10,000 documents a process with 8 threads held 188-192 MB after a query set with 2 or the
    default number of arenas, 164 MB with one. Python's allocations are made under the
    interpreter lock anyway, so one arena costs no speed. (No effect outside glibc.)
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, MALLOC_ARENAS)


class _Supervisor:
    """The parent of the serving processes."""

    def __init__(
        self, app: Any, listener: socket.socket, processes: int, options: dict[str, Any]
    ) -> None:
        """Remember what each child needs; nothing starts yet."""
        self.app, self.listener = app, listener
        self.processes, self.options = processes, options
        self.children: dict[int, float] = {}  # pid -> start time
        self.stopping = False

    def run(self) -> None:
        """Start the children, replace any that die, stop them all when told to."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.processes):
            self._start()
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            print(f"serving process {pid} ended ({code}); starting another", file=sys.stderr)
            if time.monotonic() - started < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)
            if not self.stopping:
                self._start()
        self.listener.close()

    def _start(self) -> None:
        """Fork one serving process."""
        pid = os.fork()
        if pid:
            self.children[pid] = time.monotonic()
            return
        code = 0
        try:  # the child: never returns into the parent's code
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _die_with_parent()
            _run_waitress(self.app, self.listener, self.options)
        except BaseException:  # noqa: BLE001 (report anything, then leave the child)
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)

    def _stop(self, signum: int, frame: Any) -> None:
        """Pass SIGTERM on to every child; run() returns once they have all gone."""
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM if the parent is killed (no orphans on the port)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(0)
