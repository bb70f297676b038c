"""Keys of nested items (provisions, participants, signatories, relations, disagreement versions) that do
not depend on their position in a list, so that inserting an item changes no other item's key.

A provision or a disagreement version may carry an explicit short ``key``; otherwise its key is a
content key: the slug of its first words and six hex digits of the SHA-256 of its text (white space
runs folded), so fixing a typo changes the key but moving or inserting items does not. Items that
are identified by what they refer to use those ids (a participant: role and entity).
"""

from __future__ import annotations

import hashlib
import re

#: An explicit key: a short lower-case slug.
KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_MAX_LENGTH = 60

_WORD = re.compile(r"[a-z0-9]+")
_SLUG_WORDS = 6
_SLUG_CHARS = 40


def content_key(text: str) -> str:
    """'us-to-help-ukraine-build-a-3f9a1c' for 'U.S. to help Ukraine build a ...' (stable, deterministic)."""
    folded = " ".join(text.split())
    words = _WORD.findall(folded.lower())[:_SLUG_WORDS]
    slug = "-".join(words)[:_SLUG_CHARS].strip("-")
    digest = hashlib.sha256(folded.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else digest


def repeated_key(items, what: str) -> str | None:
    """The message for the first key two items share (their rows would collide in the release), else None."""
    seen: set[str] = set()
    for item in items:
        key = item.item_key
        if key in seen:
            return (
                f"two {what} have the key '{key}' (each row of the release needs its own: merge them, "
                "or give one an explicit 'key')"
                if hasattr(item, "key")
                else f"two {what} are both '{key}' (merge them: the release holds one row per {what[:-1]})"
            )
        seen.add(key)
    return None
