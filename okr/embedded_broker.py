"""The embedded default's queue: kombu's file-system transport, made to stop promptly.

The file-system transport has no asynchronous I/O, so a Celery worker reads it in a
blocking loop that waits up to 2 s per round for a message, and after a stop signal
runs one more round (celery.worker.loops.synloop calls it in a ``finally``): Ctrl-C on
`make run` took 4-7 s and honcho killed the worker mid-shutdown. This transport polls
every 0.1 s and gives up waiting as soon as the worker has been told to stop, so the
warm shutdown (unacknowledged messages back into the queue) ends within a second.
"""

from __future__ import annotations

import time
from queue import Empty

from kombu.transport import filesystem


def _worker_is_stopping() -> bool:
    # Set to an exit code (0 too) by the worker's SIGTERM/SIGINT/SIGQUIT handlers; None in
    # any other process. The same test as celery.worker.state.maybe_shutdown.
    from celery.worker import state

    return any(
        flag is not None and flag is not False
        for flag in (state.should_stop, state.should_terminate)
    )


class Transport(filesystem.Transport):
    polling_interval = 0.1

    def drain_events(self, connection, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if _worker_is_stopping():
                raise TimeoutError()
            try:
                self.cycle.get(self._deliver, timeout=timeout)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError() from None
                time.sleep(self.polling_interval)
            else:
                return
