"""The releases this package knows were published: version → sha256 of that release's manifest.json.

The file ``release-registry.txt`` beside this module is a pooch-style registry (one
``<version>/manifest.json <sha256>`` a line, ``#`` comments), written by the build. A downloaded
manifest of a listed version must have that hash; the manifest in turn pins every file's hash, so a
server (or a mirror in USUA_BASE_URL) cannot pass off other data under a published version number.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UsuaError
from .release_folder import version_key

REGISTRY_FILE = Path(__file__).resolve().with_name("release-registry.txt")

_HEADER = (
    "# Published usua releases: <version>/manifest.json <sha256 of that manifest> (pooch registry format).\n"
    "# Written by `usua build`; `usua build --check` fails when it is stale. A published line never changes.\n"
)
_LINE_RE = re.compile(r"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/manifest\.json\s+(?:sha256:)?([0-9a-f]{64})\Z")


def read_registry(path: Path | None = None) -> dict[str, str]:
    """Version → manifest sha256; an absent file is an empty registry, a damaged line an error."""
    path = path or REGISTRY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE_RE.match(line)
        if m is None:
            raise UsuaError(
                f"{path}:{n}: not a registry line (<version>/manifest.json <sha256>): {raw[:80]!r}; "
                "the installed package is damaged: reinstall usua"
            )
        out[m.group(1)] = m.group(2)
    return out


def format_registry(entries: dict[str, str]) -> str:
    """The registry file's text for these versions and manifest hashes, in version order."""

    return _HEADER + "".join(
        f"{v}/manifest.json {entries[v]}\n" for v in sorted(entries, key=lambda v: (version_key(v) or (), v))
    )


def pinned_hash(version: str) -> str | None:
    """The published manifest hash of ``version``, or None if this package does not know it."""
    return read_registry().get(version)
