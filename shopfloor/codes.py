"""Codes people read, type and scan (DESIGN rule 6).

A code is a kind letter, six random characters and a check character, all from an
alphabet without look-alikes (no 0/O, 1/I/L). The check character is a weighted sum
modulo 31, a prime, so any single mistyped character and any swap of two characters is
refused instead of being matched to another record. Shown grouped as ``B-7KQ4-M2X``.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
BODY_LENGTH = 6
CODE_LENGTH = 1 + BODY_LENGTH + 1

KIND_BATCH = "B"
KIND_ORDER = "Z"  # zamówienie
KIND_LOT = "M"  # materiał
KIND_SHIPMENT = "W"  # wydanie
KIND_ITEM = "R"  # a returned item (garments line)
KIND_WORKER = "P"  # pracownik: a worker's badge
KINDS = (KIND_BATCH, KIND_ORDER, KIND_LOT, KIND_SHIPMENT, KIND_ITEM, KIND_WORKER)
assert all(kind in ALPHABET for kind in KINDS)  # the kind letter is part of the checksum


class InvalidCode(ValueError):
    """The text is not a well-formed code, or its check character does not match."""


def check_character(payload: str) -> str:
    """The check character for ``payload`` (kind letter plus body)."""
    total = sum((position + 1) * _VALUE[ch] for position, ch in enumerate(payload))
    return ALPHABET[total % len(ALPHABET)]


def new_code(kind: str) -> str:
    """A fresh random code of the given kind (uniqueness is the caller's to check)."""
    if kind not in KINDS:
        raise ValueError(f"unknown code kind {kind!r}")
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    payload = kind + body
    return payload + check_character(payload)


def normalize_code(text: str) -> str:
    """Upper-case the text and drop spaces and dashes, as people type and scanners send it."""
    return "".join(ch for ch in text.strip().upper() if ch not in " -_\t")


def parse_code(text: str) -> str:
    """The canonical code in ``text``; raise InvalidCode if it is malformed or mistyped."""
    code = normalize_code(text)
    if len(code) != CODE_LENGTH:
        raise InvalidCode(f"a code has {CODE_LENGTH} characters")
    if code[0] not in KINDS:
        raise InvalidCode("unknown kind letter")
    if any(ch not in _VALUE for ch in code):
        raise InvalidCode("character outside the code alphabet")
    if check_character(code[:-1]) != code[-1]:
        raise InvalidCode("check character does not match")
    return code


def format_code(code: str) -> str:
    """The code grouped for reading aloud and printing: ``B-7KQ4-M2X``."""
    return f"{code[0]}-{code[1:5]}-{code[5:]}"
