"""Pausing Python's cyclic garbage collector around work that makes many small objects.

A recomputation of a period makes some 300,000 tuples and ``Decimal`` values at 3,000 units,
none of them in a reference cycle. Each 700 allocations start a collection of the youngest
generation, and every tenth of those an older one, which walks every object the process holds:
measured on the benchmark's 3,000-unit period, a fifth of the recomputation's time, for nothing
to free. Reference counting still frees every object as usual while the collector waits; a cycle
made meanwhile is collected after the block.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_collection():
    """Run the block with the cyclic collector off, and turn it on again after it, error or not.

    The switch is the process's: another thread of a web worker runs the block's duration without
    collections too, which only delays them. A block inside another (or in another thread while
    one runs) leaves the switch to the outermost block, which found the collector on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
