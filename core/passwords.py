"""Argon2id exactly as Django's Argon2PasswordHasher computes it, with its working memory kept between sign-ins.

Each hash fills 100 MiB (Django's memory cost). Through argon2-cffi's own functions the C library asks the kernel for
that memory at every hash (malloc hands out a block that large with mmap) and gives it back at the end, so every
sign-in faulted in 25,600 fresh pages that the kernel first zeroed: about a third of the hash's CPU on the bench
machine (docs/adr/0013-serving-deadline-day.md). Here the library is given its memory by `WorkingMemory`, which keeps
blocks for the next hashes; each gunicorn worker fills two before its first request. The algorithm, its parameters
and the stored string are Django's: a password stored by either hasher is verified by the other, and the strength is
unchanged.
"""

import base64
import contextlib
import dataclasses
import hmac
import mmap
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

from argon2 import Parameters, Type
from argon2.exceptions import HashingError
from argon2.low_level import error_to_str, ffi, lib
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ImproperlyConfigured


class WorkingMemory:
    """Blocks of memory lent to the Argon2 library, the last `kept` of them kept for the next hash.

    A block is lent to one hash at a time; sign-ins hashed at once in one process each get their own. Argon2 wipes
    a block before giving it back (the library's default), so no hash sees another's memory.
    """

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self.free: list[Any] = []
        self.lent: dict[int, Any] = {}
        self.lock = threading.Lock()

    def lend(self, size: int) -> Any:
        with self.lock:
            block = next((b for b in self.free if len(b) == size), None)
            if block is not None:
                self.free.remove(block)
        if block is None:
            block = ffi.new("uint8_t[]", size)
        with self.lock:
            self.lent[int(ffi.cast("uintptr_t", block))] = block
        return block

    def take_back(self, address: int) -> None:
        with self.lock:
            block = self.lent.pop(address)
            if len(self.free) < self.kept:
                self.free.append(block)

    def fill(self, size: int) -> None:
        """Keep `kept` blocks of `size` bytes in 2 MiB pages where the kernel has them, each page already handed
        over, so that no hash waits for it: a new block's pages are only faulted in when first written.

        Argon2 reads its memory at places it cannot predict, and with 4 KiB pages most reads first miss the
        processor's cache of page addresses: a hash in 2 MiB pages took 7-16 % less CPU, measured alone. Asking
        for them can make the kernel compact memory first, which is why it is done here, before any request.
        """
        with self.lock:
            for _ in range(self.kept - len(self.free)):
                memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
                memory.madvise(mmap.MADV_HUGEPAGE)
                block = ffi.from_buffer("uint8_t[]", memory)  # which keeps the mapping alive
                pages = memoryview(ffi.buffer(block))[:: mmap.PAGESIZE]
                pages[:] = bytes(len(pages))  # a byte written in each page faults it in
                self.free.append(block)


# Two blocks per process, 100 MiB each for good. At 2 to 3 sign-ins a second one process often hashes two at once
# (15 of 101 sign-ins in a load run): with one block kept, the second took 170-390 ms in fresh memory against
# 90-220 ms for the first (docs/adr/0013-serving-deadline-day.md).
working_memory = WorkingMemory(kept=2)


@ffi.callback("int(uint8_t **, size_t)", error=lib.ARGON2_MEMORY_ALLOCATION_ERROR)
def _lend(memory: Any, size: int) -> int:
    memory[0] = working_memory.lend(size)
    return int(lib.ARGON2_OK)


@ffi.callback("void(uint8_t *, size_t)")
def _take_back(memory: Any, size: int) -> None:
    working_memory.take_back(int(ffi.cast("uintptr_t", memory)))


# A sign-in's hash is 150 ms of CPU at Django's strength; on a busy server it shared the cores with every page being
# drawn, and several arriving together took 400-550 ms each (docs/adr/0013-serving-deadline-day.md). Hashed at a
# higher priority than pages it gets the cores first, for its short moment; pages wait at most that long.
HASHING_NICENESS = -10


@contextlib.contextmanager
def hashing_priority() -> Iterator[None]:
    """Run the block, and the threads Argon2 starts in it (which inherit it), at `HASHING_NICENESS`.

    Raising a priority needs a nice limit (RLIMIT_NICE) of at least 20 - HASHING_NICENESS, as docker-compose gives the
    web, or CAP_SYS_NICE; without either the hash runs at the thread's own priority.
    """
    thread = threading.get_native_id()
    own = os.getpriority(os.PRIO_PROCESS, thread)
    try:
        os.setpriority(os.PRIO_PROCESS, thread, HASHING_NICENESS)
    except PermissionError:
        yield
        return
    try:
        yield
    finally:
        os.setpriority(os.PRIO_PROCESS, thread, own)


def argon2id(password: bytes, salt: bytes, parameters: Parameters) -> bytes:
    """The raw Argon2id hash, computed in memory lent by `working_memory`, at the hashing priority."""
    out = ffi.new("uint8_t[]", parameters.hash_len)
    password_buffer = ffi.new("uint8_t[]", password)
    salt_buffer = ffi.new("uint8_t[]", salt)
    context = ffi.new(
        "argon2_context *",
        {
            "out": out,
            "outlen": parameters.hash_len,
            "pwd": password_buffer,
            "pwdlen": len(password),
            "salt": salt_buffer,
            "saltlen": len(salt),
            "secret": ffi.NULL,
            "secretlen": 0,
            "ad": ffi.NULL,
            "adlen": 0,
            "t_cost": parameters.time_cost,
            "m_cost": parameters.memory_cost,
            "lanes": parameters.parallelism,
            "threads": parameters.parallelism,
            "version": parameters.version,
            "allocate_cbk": _lend,
            "free_cbk": _take_back,
            "flags": lib.ARGON2_DEFAULT_FLAGS,
        },
    )
    with hashing_priority():
        error = lib.argon2_ctx(context, Type.ID.value)
    if error != lib.ARGON2_OK:
        raise HashingError(error_to_str(error))
    return bytes(ffi.buffer(out, parameters.hash_len))


def unpadded_base64(data: bytes) -> str:
    """Base64 as Argon2's stored strings write it: without the trailing '='."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


MINIMUM_SALT_BYTES = 8  # Argon2's own minimum


def stored_digest(text: str) -> bytes | None:
    """The digest of a stored string, if it is written exactly as this hasher writes one: one string per digest."""
    try:
        digest = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        return None
    return digest if unpadded_base64(digest) == text else None


# Argon2's memory cost counts blocks of 1 KiB. Django's (102,400) is a multiple of 4 x its 8 lanes, so Argon2 asks for
# exactly that many.
ARGON2_BLOCK_BYTES = 1024


def fill_working_memory() -> None:
    """Fill the kept memory at Django's strength now, in a gunicorn worker before its first request: otherwise each
    worker's first sign-ins (and the first two at once) waited for the kernel to hand over 100 MiB."""
    working_memory.fill(KeptMemoryArgon2PasswordHasher.memory_cost * ARGON2_BLOCK_BYTES)


# The smallest hash Argon2 allows, which runs its compiled vector code, and its result as PyPI's wheel computes it.
HASH_ONCE = (
    "from argon2.low_level import Type, hash_secret; "
    "print(hash_secret(b'', b'saltsalt', 1, 8, 1, 4, Type.ID).decode())"
)
HASHED_ONCE = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$R3u9vA"


def check_hashing_runs_on_this_processor() -> None:
    """Hash once in a child process, and stop with the reason unless it gives Argon2's own result.

    scripts/install-locked.sh compiles the Argon2 binding for the processor it is installed on (for x86-64-v3, where
    it runs that). Started on a processor without those instructions, a copy (an image built elsewhere, say) would
    take a worker down at every sign-in: the kernel kills a process that runs an instruction its processor lacks.
    """
    child = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "-c", HASH_ONCE], capture_output=True, text=True, timeout=60
    )
    if child.returncode == -signal.SIGILL:
        raise ImproperlyConfigured(
            "Passwords cannot be hashed on this processor: the Argon2 binding was compiled for instructions (AVX2) "
            "that it lacks, and hashing stopped on an illegal instruction. Install the Python packages on this "
            "machine (remove .venv and run make setup), or build the image on it."
        )
    if child.returncode != 0 or child.stdout.strip() != HASHED_ONCE:
        raise ImproperlyConfigured(
            f"Passwords cannot be hashed on this processor: Argon2 gave {child.stdout.strip()!r}, not "
            f"{HASHED_ONCE!r}. {child.stderr.strip()}"
        )


class KeptMemoryArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2PasswordHasher (same algorithm name, parameters and stored string), hashing in kept memory.

    Only a password stored with this hasher's own parameters is checked here; any other (an older Django's argon2i,
    other costs, a string this hasher would not have written) goes to Django's own check, which also decides what a
    malformed string gives. Those are few and end up stored again at their next sign-in (`must_update`).
    """

    def encode(self, password: str, salt: str) -> str:
        parameters = self.params()
        digest = argon2id(password.encode(), salt.encode(), parameters)
        return (
            f"{self.algorithm}$argon2id$v={parameters.version}$m={parameters.memory_cost},"
            f"t={parameters.time_cost},p={parameters.parallelism}"
            f"${unpadded_base64(salt.encode())}${unpadded_base64(digest)}"
        )

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        parameters = decoded["params"]
        salt = decoded["salt"].encode("latin1")
        stored = stored_digest(decoded["hash"])
        if (
            parameters != dataclasses.replace(self.params(), salt_len=parameters.salt_len)
            or len(salt) < MINIMUM_SALT_BYTES
            or stored is None
        ):
            return bool(super().verify(password, encoded))
        try:
            computed = argon2id(password.encode(), salt, parameters)
        except HashingError:  # as Django's check answers a failure of the library
            return False
        return hmac.compare_digest(computed, stored)
