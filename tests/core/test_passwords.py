"""Passwords hashed with Argon2id in memory kept between sign-ins (core.passwords): Django's own stored strings,
at Django's strength, without asking the kernel for 100 MiB of fresh memory at every sign-in."""

import os
import re
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import _argon2_cffi_bindings._ffi
import pytest
from argon2 import Type
from argon2.low_level import hash_secret
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ImproperlyConfigured

from core import passwords
from core.passwords import KeptMemoryArgon2PasswordHasher, WorkingMemory, working_memory

PASSWORD = "a long pass phrase for the board"
FRESH_100_MIB_IN_PAGES = 100 * 1024 * 1024 // resource.getpagesize()


def test_a_password_is_stored_as_the_same_string_djangos_own_argon2_hasher_stores():
    salt = Argon2PasswordHasher().salt()

    stored = KeptMemoryArgon2PasswordHasher().encode(PASSWORD, salt)

    assert stored == Argon2PasswordHasher().encode(PASSWORD, salt)
    assert stored.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")


def test_each_hasher_accepts_what_the_other_stored_and_refuses_a_wrong_password():
    ours, djangos = KeptMemoryArgon2PasswordHasher(), Argon2PasswordHasher()
    stored_by_django = djangos.encode(PASSWORD, djangos.salt())
    stored_here = ours.encode(PASSWORD, ours.salt())

    assert ours.verify(PASSWORD, stored_by_django)
    assert djangos.verify(PASSWORD, stored_here)
    assert not ours.verify(PASSWORD + "x", stored_by_django)
    assert not ours.verify(PASSWORD.upper(), stored_here)


def stored_by_argon2_cffi(variety: Type, *, time_cost: int, parallelism: int, hash_len: int) -> str:
    """A stored string of Django's, hashed by the library itself at small costs this portal never uses."""
    digest = hash_secret(
        PASSWORD.encode(),
        b"0123456789abcdef",
        time_cost=time_cost,
        memory_cost=512,
        parallelism=parallelism,
        hash_len=hash_len,
        type=variety,
    )
    return "argon2" + digest.decode()


def stored_with_other_costs() -> str:
    return stored_by_argon2_cffi(Type.ID, time_cost=1, parallelism=1, hash_len=32)


def a_second_spelling_of_the_last_character(stored: str) -> str:
    """The same digest to a lenient base64 decoder: the last character's two lowest bits are padding."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return stored[:-1] + alphabet[alphabet.index(stored[-1]) ^ 1]


def test_a_stored_string_this_hasher_would_not_write_is_judged_as_djangos_hasher_judges_it():
    ours, djangos = KeptMemoryArgon2PasswordHasher(), Argon2PasswordHasher()
    stored = djangos.encode(PASSWORD, djangos.salt())
    prefix, _, digest = stored.rpartition("$")
    other_costs = stored_with_other_costs()
    strings = [
        a_second_spelling_of_the_last_character(stored),
        f"{prefix}${digest[:20]}!{digest[21:]}",  # not base64
        prefix.rsplit("$", 1)[0] + "$c2FsdA$" + digest,  # a salt shorter than Argon2's 8 bytes
        other_costs,
    ]

    assert [ours.verify(PASSWORD, s) for s in strings] == [djangos.verify(PASSWORD, s) for s in strings]
    assert [ours.verify(PASSWORD, s) for s in strings] == [False, False, False, True]


def test_a_password_stored_with_other_costs_never_takes_the_kept_memory_for_itself(monkeypatch):
    pool = WorkingMemory(kept=1)
    monkeypatch.setattr(passwords, "working_memory", pool)
    hasher = KeptMemoryArgon2PasswordHasher()
    other_costs = stored_with_other_costs()

    assert hasher.verify(PASSWORD, other_costs)
    hasher.encode(PASSWORD, hasher.salt())

    assert [len(block) for block in pool.free] == [hasher.memory_cost * 1024]


def test_a_password_stored_as_argon2i_by_an_older_django_still_signs_in():
    older = stored_by_argon2_cffi(Type.I, time_cost=2, parallelism=2, hash_len=16)
    hasher = KeptMemoryArgon2PasswordHasher()

    assert hasher.verify(PASSWORD, older)
    assert not hasher.verify("not the password", older)
    assert hasher.must_update(older)


def page_faults_of(work: Callable[[], object]) -> int:
    """The pages this process faulted in while `work` ran, in a thread of its own as a gunicorn request runs."""
    counted: list[int] = []

    def run() -> None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        work()
        counted.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return counted[0]


def huge_pages_always() -> bool:
    setting = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    return setting.exists() and "[always]" in setting.read_text()


@pytest.mark.skipif(
    huge_pages_always(), reason="with huge pages always on, fresh memory faults in few pages too"
)
def test_the_next_sign_in_hashes_in_the_memory_the_last_one_used():
    hasher = KeptMemoryArgon2PasswordHasher()
    salt = hasher.salt()
    hasher.encode(PASSWORD, salt)

    faults = page_faults_of(lambda: hasher.encode(PASSWORD, salt))

    # A hash in fresh memory faults in every one of its 25,600 pages.
    assert faults < FRESH_100_MIB_IN_PAGES // 10
    assert page_faults_of(lambda: Argon2PasswordHasher().encode(PASSWORD, salt)) > FRESH_100_MIB_IN_PAGES


def hashed_at_once(hasher: KeptMemoryArgon2PasswordHasher, passwords: list[str], salt: str) -> dict[str, str]:
    """Each password hashed on a thread of its own, all starting together, as sign-ins at once in one process."""
    stored: dict[str, str] = {}
    start = threading.Barrier(len(passwords))

    def sign_in(password: str) -> None:
        start.wait()
        stored[password] = hasher.encode(password, salt)

    threads = [threading.Thread(target=sign_in, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stored


def test_sign_ins_hashed_at_once_each_get_their_own_memory():
    hasher = KeptMemoryArgon2PasswordHasher()
    salt = hasher.salt()
    passwords = [f"{PASSWORD} {n}" for n in range(3)]

    stored = hashed_at_once(hasher, passwords, salt)

    assert stored == {p: Argon2PasswordHasher().encode(p, salt) for p in passwords}
    assert working_memory.lent == {}
    assert len(working_memory.free) == working_memory.kept == 2


def two_sign_ins_at_once(hasher: KeptMemoryArgon2PasswordHasher) -> None:
    hashed_at_once(hasher, [PASSWORD, f"{PASSWORD} 2"], hasher.salt())


@pytest.mark.skipif(
    huge_pages_always(), reason="with huge pages always on, fresh memory faults in few pages too"
)
def test_filled_memory_lets_two_sign_ins_at_once_hash_without_waiting_for_fresh_pages(monkeypatch):
    hasher = KeptMemoryArgon2PasswordHasher()
    unfilled, filled = WorkingMemory(kept=2), WorkingMemory(kept=2)
    monkeypatch.setattr(passwords, "working_memory", filled)
    passwords.fill_working_memory()

    faults_filled = page_faults_of(lambda: two_sign_ins_at_once(hasher))
    monkeypatch.setattr(passwords, "working_memory", unfilled)
    faults_unfilled = page_faults_of(lambda: two_sign_ins_at_once(hasher))

    assert faults_filled < FRESH_100_MIB_IN_PAGES // 10
    assert faults_unfilled > 2 * FRESH_100_MIB_IN_PAGES  # each hash faulted in its own 100 MiB
    assert len(filled.free) == len(unfilled.free) == 2


def kib_advised_for_huge_pages() -> int:
    """How much of this process's memory the kernel was asked to back with 2 MiB pages."""
    smaps = Path("/proc/self/smaps").read_text()
    sizes = re.findall(r"^Size:\s+(\d+) kB$", smaps, re.MULTILINE)
    flags = re.findall(r"^VmFlags:(.*)$", smaps, re.MULTILINE)
    return sum(int(size) for size, flag in zip(sizes, flags, strict=True) if "hg" in flag.split())


def test_filled_memory_asks_the_kernel_for_2_mib_pages():
    memory = WorkingMemory(kept=2)
    before = kib_advised_for_huge_pages()

    memory.fill(4 * 1024 * 1024)

    assert kib_advised_for_huge_pages() - before == 2 * 4096


def test_filling_the_memory_again_keeps_no_more_blocks_than_it_keeps():
    memory = WorkingMemory(kept=2)

    memory.fill(4096)
    memory.fill(4096)

    assert [len(block) for block in memory.free] == [4096, 4096]


class PriorityRecordingMemory(WorkingMemory):
    """Kept memory that notes the niceness of the thread Argon2 asks it for memory from, which is inside the hash."""

    def __init__(self) -> None:
        super().__init__(kept=1)
        self.niceness_while_hashing: list[int] = []

    def lend(self, size: int) -> object:
        self.niceness_while_hashing.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return super().lend(size)


@pytest.mark.skipif(os.geteuid() != 0, reason="raising a priority needs root or CAP_SYS_NICE")
def test_a_sign_ins_hash_runs_above_the_priority_of_pages_and_the_thread_gets_its_own_back(monkeypatch):
    memory = PriorityRecordingMemory()
    monkeypatch.setattr(passwords, "working_memory", memory)
    hasher = KeptMemoryArgon2PasswordHasher()
    thread = threading.get_native_id()
    own = os.getpriority(os.PRIO_PROCESS, thread)

    assert hasher.verify(PASSWORD, hasher.encode(PASSWORD, hasher.salt()))

    assert memory.niceness_while_hashing == [passwords.HASHING_NICENESS] * 2
    assert own > passwords.HASHING_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, thread) == own


HASH_WITHOUT_THE_RIGHT_TO_RAISE_PRIORITY = """
import os, threading
import django
django.setup()
from core.passwords import KeptMemoryArgon2PasswordHasher
hasher = KeptMemoryArgon2PasswordHasher()
stored = hasher.encode("a pass phrase", hasher.salt())
print(hasher.verify("a pass phrase", stored), hasher.verify("another", stored),
      os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
"""


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="util-linux's setpriv drops the capability")
def test_a_server_without_the_right_to_raise_priority_still_hashes_and_checks_passwords():
    # setpriv takes CAP_SYS_NICE away even from root: the hash must then run at the thread's own priority.
    result = subprocess.run(  # noqa: S603 - our own arguments
        [
            "setpriv",
            "--bounding-set=-sys_nice",
            sys.executable,
            "-c",
            HASH_WITHOUT_THE_RIGHT_TO_RAISE_PRIORITY,
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "send_portal.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "0"]


def argon2_binding_uses_256_bit_registers() -> bool:
    """Whether the compiled Argon2 binding's code names AVX2's 256-bit registers (ymm), read with objdump."""
    binding = Path(_argon2_cffi_bindings._ffi.__file__)
    disassembly = subprocess.run(  # noqa: S603 - our own arguments
        ["objdump", "-d", str(binding)], capture_output=True, text=True, check=True
    ).stdout
    return "%ymm" in disassembly


def processor_runs_x86_64_v3() -> bool:
    """As scripts/install-locked.sh asks: glibc's loader for x86-64 says which levels of the instruction set run here."""
    loader = Path("/lib64/ld-linux-x86-64.so.2")
    if not loader.exists():
        return False
    levels = subprocess.run([loader, "--help"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return "x86-64-v3 (supported" in levels


def test_on_a_processor_that_runs_x86_64_v3_the_argon2_binding_is_compiled_for_it():
    # PyPI's wheel is compiled for SSE2 and never names a ymm register; compiled here for x86-64-v3 (make setup,
    # scripts/install-locked.sh) a sign-in's hash takes about a third less CPU.
    assert argon2_binding_uses_256_bit_registers() == processor_runs_x86_64_v3()


def test_the_check_at_start_passes_where_the_binding_gives_argon2s_own_result():
    passwords.check_hashing_runs_on_this_processor()


# What a binary compiled for instructions its processor lacks meets: the kernel kills it with SIGILL.
KILLED_BY_AN_ILLEGAL_INSTRUCTION = "import os, signal; os.kill(os.getpid(), signal.SIGILL)"


def test_a_binding_that_stops_on_an_illegal_instruction_stops_the_server_at_start_with_the_reason(
    monkeypatch,
):
    monkeypatch.setattr(passwords, "HASH_ONCE", KILLED_BY_AN_ILLEGAL_INSTRUCTION)

    with pytest.raises(
        ImproperlyConfigured, match=r"compiled for instructions \(AVX2\).*illegal instruction"
    ):
        passwords.check_hashing_runs_on_this_processor()


def test_a_binding_that_gives_another_result_stops_the_server_at_start(monkeypatch):
    monkeypatch.setattr(passwords, "HASH_ONCE", "print('$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$AAAAAA')")

    with pytest.raises(ImproperlyConfigured, match=r"Argon2 gave '\$argon2id.*\$AAAAAA', not '.*\$R3u9vA'"):
        passwords.check_hashing_runs_on_this_processor()
