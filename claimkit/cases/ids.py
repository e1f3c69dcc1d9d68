"""Case ids: 8 characters of Crockford's base32 in two groups, ``K7M4-Q9PX``.

Random (40 bits from the system's generator), so agents writing one log at once need no
counter between them; the log's primary key catches the rare collision and the
store draws again. Crockford's alphabet has no I, L, O or U, so an id read out
on the phone cannot be misheard as another: what a person types back is read
case-insensitively, with or without the dash, O as 0 and I or L as 1.
"""

from __future__ import annotations

import os

from claimkit.errors import InputError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, "_": None})


def new_case_id() -> str:
    # os.urandom is what secrets uses; importing secrets brings base64, hmac and
    # hashlib (about 5 ms) into every command that opens the log.
    n = int.from_bytes(os.urandom(5), "big")
    text = "".join(ALPHABET[(n >> shift) & 31] for shift in range(35, -1, -5))
    return f"{text[:4]}-{text[4:]}"


def normalize_case_id(typed: str) -> str:
    """The id as stored, from what a person typed; InputError when it cannot be one."""
    text = typed.strip().upper().translate(_TYPED)
    if len(text) != 8 or any(c not in ALPHABET for c in text):
        raise InputError(
            f"'{typed.strip()}' is not a case id (8 letters and digits like K7M4-Q9PX); "
            "see 'claimkit case list'"
        )
    return f"{text[:4]}-{text[4:]}"
