"""The Polish tax id (NIP): ten digits, the last a checksum of the first nine."""

from __future__ import annotations

WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def normalize_nip(text: str) -> str:
    """Drop spaces, dashes and a leading ``PL`` prefix."""
    cleaned = text.strip().upper().removeprefix("PL")
    return "".join(ch for ch in cleaned if ch not in " -")


def is_valid_nip(text: str) -> bool:
    """Whether the text is a NIP whose check digit matches."""
    nip = normalize_nip(text)
    if len(nip) != 10 or not nip.isdigit():
        return False
    checksum = sum(int(d) * w for d, w in zip(nip, WEIGHTS, strict=False)) % 11
    return checksum != 10 and checksum == int(nip[9])


def format_nip(nip: str) -> str:
    """The NIP as usually printed: 123-456-78-90."""
    return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
