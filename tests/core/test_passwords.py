"""Passwords hashed with Argon2id in memory kept between sign-ins (core.passwords): Django's own stored strings,
at Django's strength, without asking the kernel for 100 MiB of fresh memory at every sign-in."""

import resource
import threading

from argon2 import Type
from argon2.low_level import hash_secret
from django.contrib.auth.hashers import Argon2PasswordHasher

from core.passwords import KeptMemoryArgon2PasswordHasher, working_memory

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


def test_a_password_stored_as_argon2i_by_an_older_django_still_signs_in():
    older = (
        "argon2"
        + hash_secret(
            PASSWORD.encode(),
            b"0123456789abcdef",
            time_cost=2,
            memory_cost=512,
            parallelism=2,
            hash_len=16,
            type=Type.I,
        ).decode()
    )
    hasher = KeptMemoryArgon2PasswordHasher()

    assert hasher.verify(PASSWORD, older)
    assert not hasher.verify("not the password", older)
    assert hasher.must_update(older)


def page_faults_of(work: object) -> int:
    """The pages this process faulted in while `work` ran, in a thread of its own as a gunicorn request runs."""
    counted: list[int] = []

    def run() -> None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        work()  # type: ignore[operator]
        counted.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return counted[0]


def test_the_next_sign_in_hashes_in_the_memory_the_last_one_used():
    hasher = KeptMemoryArgon2PasswordHasher()
    salt = hasher.salt()
    hasher.encode(PASSWORD, salt)

    faults = page_faults_of(lambda: hasher.encode(PASSWORD, salt))

    # A hash in fresh memory faults in every one of its 25,600 pages.
    assert faults < FRESH_100_MIB_IN_PAGES // 10
    assert page_faults_of(lambda: Argon2PasswordHasher().encode(PASSWORD, salt)) > FRESH_100_MIB_IN_PAGES


def test_sign_ins_hashed_at_once_each_get_their_own_memory():
    hasher = KeptMemoryArgon2PasswordHasher()
    salt = hasher.salt()
    passwords = [f"{PASSWORD} {n}" for n in range(3)]
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

    assert stored == {p: Argon2PasswordHasher().encode(p, salt) for p in passwords}
    assert working_memory.lent == {}
    assert len(working_memory.free) == working_memory.kept == 1
