"""The worker side of ``labels.engine.render_files``: one process per file, forked from a
forkserver that has imported this module (and so the engine and the CJK font) once."""

import os
import threading
import time
from contextlib import suppress

from labels import engine
from labels.fonts import FontError, text_font

# Parsed once in the forkserver and shared by every worker it forks; a missing font is
# reported by the render itself, translated, to the caller.
with suppress(FontError):
    text_font()

_queue = None


def start(queue, caller: int) -> None:
    """Pool initializer: where to report progress, and whom to outlive no longer than 1 s."""
    global _queue
    _queue = queue
    threading.Thread(target=_exit_with, args=(caller,), daemon=True).start()


def _exit_with(caller: int) -> None:
    """Pool workers outlive a killed caller (they block on a queue nobody writes to): once
    the caller is gone, drop the half-written file and exit."""
    while True:
        time.sleep(1)
        try:
            os.kill(caller, 0)
        except ProcessLookupError:
            if engine._writing is not None:
                engine._writing.unlink(missing_ok=True)
            os._exit(1)


def render_file(job) -> engine.FileInfo:
    last = [0]

    def report(done: int) -> None:
        _queue.put(done - last[0])
        last[0] = done

    return engine._render_file(*job, report=report)
