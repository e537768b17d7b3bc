"""How fast this machine runs Python when a measurement is taken, so that figures of different days compare.

The same code on the same data has cost twice the CPU on one day as on another here
(docs/adr/0013-serving-deadline-day.md): a fixed workload of plain Python, timed in CPU seconds, says which kind
of day a figure was measured on.
"""

import time

ADDITIONS = 5_000_000


def python_speed_ms() -> float:
    """CPU milliseconds this process takes for ADDITIONS additions in a Python loop, best of three: lower is faster."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(ADDITIONS):
            total += number
        best = min(best, time.process_time() - started)
    return round(best * 1000, 1)
