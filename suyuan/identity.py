"""Identity codes (身份码): 20 printed digits that encode a global code index.

Layout, left to right::

    V  SSSSSSSSSSSS  TTTTTT  C
    |  |             |       `- Damm check digit over the 19 digits before it
    |  |             `--------- tag: HMAC-SHA256(key, V + serial) truncated to 6 digits
    |  `----------------------- serial: keyed Feistel permutation of the index over 10^12
    `-------------------------- format/key version

* The Damm check catches every single mistyped digit and every swap of two adjacent
  digits before anything else is looked at.
* The serial is a keyed bijection of the index, so consecutive labels are not consecutive
  numbers and decoding needs no database.
* The tag rejects a guessed or neighbouring code without a database lookup: a random
  well-formed code passes with probability 10^-6, and must then still fall in an allocated,
  bound range.

Losing ``SUYUAN_CODE_KEY`` means printed codes can no longer be decoded: every label in
the field becomes unreadable. Leaking it lets anyone mint valid-looking codes (they still
resolve only inside bound ranges). Keep it in a secret store and back it up with the
database; a new key gets a new version digit so old labels keep working.
"""

import hashlib
import hmac
from dataclasses import dataclass

VERSION = 1
SERIAL_SPACE = 10**12
HALF = 10**6
ROUNDS = 8
CODE_LENGTH = 20

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


class CodeError(ValueError):
    """A string that is not a usable identity code; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "format" | "checksum" | "version" | "forged"


def damm_digit(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


def normalize(text: str) -> str:
    """Drop the spaces and dashes people type between digit groups."""
    return "".join(ch for ch in text if ch not in " -\u3000\t")


def group(code: str, size: int = 4) -> str:
    """``12345678...`` → ``1234 5678 ...`` for printing and display."""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


@dataclass(frozen=True)
class CodeKey:
    """The keys derived from ``SUYUAN_CODE_KEY`` for one code version."""

    permutation: bytes
    tag: bytes

    @classmethod
    def from_secret(cls, secret: str) -> "CodeKey":
        root = secret.encode()
        return cls(
            permutation=hmac.new(root, b"suyuan-code-permutation-v1", hashlib.sha256).digest(),
            tag=hmac.new(root, b"suyuan-code-tag-v1", hashlib.sha256).digest(),
        )

    def _round(self, i: int, value: int) -> int:
        msg = bytes((i,)) + value.to_bytes(4, "big")
        digest = hmac.new(self.permutation, msg, hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") % HALF

    def permute(self, index: int) -> int:
        left, right = divmod(index, HALF)
        for i in range(ROUNDS):
            left, right = right, (left + self._round(i, right)) % HALF
        return left * HALF + right

    def unpermute(self, serial: int) -> int:
        left, right = divmod(serial, HALF)
        for i in reversed(range(ROUNDS)):
            left, right = (right - self._round(i, left)) % HALF, left
        return left * HALF + right

    def tag_for(self, body: str) -> str:
        digest = hmac.new(self.tag, body.encode(), hashlib.sha256).digest()
        return f"{int.from_bytes(digest[:8], 'big') % HALF:06d}"

    def encode(self, index: int) -> str:
        if not 0 <= index < SERIAL_SPACE:
            raise ValueError(f"code index out of range: {index}")
        body = f"{VERSION}{self.permute(index):012d}"
        body += self.tag_for(body)
        return body + str(damm_digit(body))

    def decode(self, text: str) -> int:
        """Return the index of a printed code, or raise ``CodeError`` saying what is wrong."""
        code = normalize(text)
        if len(code) != CODE_LENGTH or not code.isascii() or not code.isdigit():
            raise CodeError("format")
        if damm_digit(code) != 0:
            raise CodeError("checksum")
        if int(code[0]) != VERSION:
            raise CodeError("version")
        body = code[:13]
        if not hmac.compare_digest(self.tag_for(body), code[13:19]):
            raise CodeError("forged")
        return self.unpermute(int(code[1:13]))


def code_key(app=None) -> CodeKey:
    """The ``CodeKey`` of the current app, derived once and cached on it."""
    from flask import current_app

    app = app or current_app
    key = app.extensions.get("suyuan_code_key")
    if key is None:
        key = app.extensions["suyuan_code_key"] = CodeKey.from_secret(app.config["CODE_KEY"])
    return key
