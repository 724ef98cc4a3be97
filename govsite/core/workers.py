"""Forked worker processes, and Python's garbage collector around a build.

A build holds a large graph of objects (the resolved site: pages, columns and their relations
point at each other) and allocates millions more while it runs. Python's cyclic collector then
walks the whole heap again and again — 0.2–0.5 s per build at 5,000 pages, more in ``govsite
serve``, which holds the previous build as well — and in forked workers each walk also writes to
every inherited object, which copies the memory the workers should share with the parent.

So a build pauses automatic collection in its own process (:func:`collector_paused`; reference
counting frees almost everything anyway, and what is left is collected once afterwards), and a
worker pool is forked with the parent's objects frozen (:func:`fork_pool`, as the :mod:`gc`
documentation recommends): the workers collect their own garbage but never walk what they
inherited.

A stage that needs nothing from the stages after it can also run in one forked child while the
parent goes on (:class:`Background`): the search index is joined and written there while the
parent writes the feeds and the export, and the parent never holds the index.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import os


def die_with_parent() -> None:
    """Workers end when the build process ends, even by SIGKILL (Linux), so no orphan keeps
    writing into a temporary folder that the next build is removing."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_worker(initializer) -> None:
    gc.enable()   # the parent may have paused collection: a worker collects its own garbage
    if initializer is not None:
        initializer()


@contextlib.contextmanager
def _frozen():
    """Processes forked in the block put the inherited objects in their permanent generation."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def fork_pool(jobs: int, initializer=die_with_parent) -> multiprocessing.pool.Pool:
    """A pool of ``jobs`` forked workers that share the parent's objects without walking them."""
    with _frozen():
        return multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(initializer,))


@contextlib.contextmanager
def collector_paused():
    """No automatic cyclic collection while the block runs (as it was before, afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Background:
    """``fn()`` in a forked child while this process goes on. The child shares this process's
    objects (nothing is pickled on the way in) and hands back only what ``fn`` returns, which
    must pickle; an exception in the child is raised by :meth:`result`."""

    def __init__(self, fn):
        context = multiprocessing.get_context("fork")
        self._results, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_in_child, args=(fn, send), daemon=True)
        with _frozen():
            self._process.start()
        send.close()

    def result(self):
        """Wait for the child; its return value, or its exception raised here."""
        try:
            ok, value = self._results.recv()
        except EOFError:  # killed, or died without a word
            ok, value = False, RuntimeError(f"background process ended with code {self._process.exitcode}")
        finally:
            self._results.close()
            self._process.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (the parent failed and will not ask for the result)."""
        self._process.kill()
        self._process.join()
        self._results.close()


def _run_in_child(fn, send) -> None:
    die_with_parent()
    gc.enable()
    try:
        outcome = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # noqa: BLE001 - a value or exception that does not pickle
        send.send((False, RuntimeError(f"background process failed: {outcome[1]!r} ({exc})")))
    send.close()


PARALLEL_MIN_PAGES = 200   # fewer pages than this are done in the build process: forking costs more


def can_fork(jobs: int | None, pages: int) -> bool:
    """Worth forking processes for (and possible): several jobs (default: one per CPU), pages
    enough, fork available. The page loop and the stages beside it both ask this."""
    return (jobs or os.cpu_count() or 1) > 1 and pages >= PARALLEL_MIN_PAGES \
        and "fork" in multiprocessing.get_all_start_methods()
