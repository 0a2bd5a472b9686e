"""The ``scaleup`` command: thin commands over the library, rendered with rich.

Each topic lives in its own module with a ``register(app)`` function; :mod:`.commands` lists
every command with its module, and a command's module is imported only when it runs
(:mod:`.lazy`), so ``scaleup --help`` and light commands start without loading the store,
analytics or the explorer. Exit codes: 0 ok, 1 the command ran but found problems (rejected
rows), 2 usage, and one code per kind of refusal (3 NotFound ... 9 Timeout):
:data:`scaleup_graph.cli.common.EXIT_CODES`.
"""

from __future__ import annotations

from scaleup_graph.cli.common import app, main

__all__ = ["app", "main"]
