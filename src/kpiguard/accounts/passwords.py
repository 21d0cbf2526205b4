"""Passwords: Argon2id hashes (argon2-cffi's defaults), and the rule a new password must meet.

Only the hash is stored; a verification against a fixed dummy hash runs when the e-mail is unknown,
so an attacker cannot tell unknown e-mails from wrong passwords by the time an answer takes.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kpiguard.errors import Finding

MIN_LENGTH = 10
# the handful everyone tries first; length alone lets "1234567890" through
COMMON = frozenset({"1234567890", "12345678910", "0123456789", "qwertyuiop", "password12", "password123",
                    "password1234", "iloveyou12", "abcdefghij", "1111111111", "aaaaaaaaaa", "qwerty1234",
                    "admin12345", "letmein123", "welcome123", "changeme12"})

_HASHER = PasswordHasher()
# PasswordHasher().hash("kpiguard: no such user") with today's default parameters, written out so that
# importing this module does not spend an Argon2 run; checked against the hasher in the tests
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$V8JQ/eIfytPsNRs3miewbA$nfHFOG/B4jlDy1tMBeqgRkyOaJgcAjAmoY1YPwTkzlg"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (None) costs the same time and is False."""
    try:
        return _HASHER.verify(stored_hash or DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's; re-hash at the next sign-in."""
    return _HASHER.check_needs_rehash(stored_hash)


def weakness(password: str, email: str = "", column: str = "--password") -> Finding | None:
    """Why ``password`` may not be used, or None. At least 10 characters, not a common one, not the e-mail."""
    hint = f"use at least {MIN_LENGTH} characters, e.g. a few unrelated words / 至少{MIN_LENGTH}个字符"
    if len(password) < MIN_LENGTH:
        return Finding("password.short", f"the password has {len(password)} characters; at least {MIN_LENGTH} "
                       f"are needed / 密码太短", column=column, hint=hint)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return Finding("password.common", "the password is one that is guessed first / 密码过于常见",
                       column=column, hint=hint)
    local = email.split("@")[0].lower()
    if email and (lowered == email.lower() or (len(local) >= 4 and lowered == local)):
        return Finding("password.email", "the password is the e-mail address / 密码不能与邮箱相同",
                       column=column, hint=hint)
    return None
