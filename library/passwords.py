"""Staff passwords: the rules they must meet, and Argon2id hashes of them (argon2-cffi).

Hashes use RFC 9106's second recommended Argon2id option (64 MiB, 3 passes, argon2-cffi's
default), about a fifth of a second here: slow enough to make guessing costly, fast enough for
a sign-in. Tests switch to argon2-cffi's CHEAPEST profile with use_parameters(), as its
documentation advises. May import: argon2.
"""

from __future__ import annotations

import functools

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" would be a cheap way to keep a server busy

PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PARAMETERS)


class WeakPassword(ValueError):
    """A password that does not meet the rules; the message says which."""


def check_password(password: str, account: str = "") -> None:
    """Raise WeakPassword unless password is 12 to 1024 characters and not the account name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"the password must be at least {MIN_LENGTH} characters (it has {len(password)}); "
            "a few unrelated words make a long one that is easy to remember"
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password must be at most {MAX_LENGTH} characters")
    if not password.strip():
        raise WeakPassword("the password must not be only spaces")
    if account and password.strip().lower() == account.lower():
        raise WeakPassword("the password must not be the account name")


def hash_password(password: str) -> str:
    """An Argon2id hash of password (with its own random salt)."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when password matches the stored hash; False for a wrong one or a damaged hash."""
    try:
        return _hasher.verify(stored, password[: MAX_LENGTH + 1])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash at sign-in)."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def use_parameters(parameters: Parameters) -> None:
    """Hash new passwords with other Argon2 parameters (existing hashes still verify)."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(parameters)
    _dummy_hash.cache_clear()


def waste_time(password: str) -> None:
    """Spend what a verification costs, so an unknown account answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


@functools.cache
def _dummy_hash() -> str:
    """A hash of nothing anyone would type, made once."""
    return hash_password("\0 not a password \0")
