"""Whether what the cache holds may be trusted: the one place that decides it.

Threat model. Only this user's runs write the cache. Its checksums
(complete.json) detect damage, not forgery: anyone who can write an entry can
recompute them. So every entry, and the validated-data snapshot, is trusted
only with an HMAC-SHA256 made with a per-user secret kept outside the cache
(`$XDG_CONFIG_HOME/ecrights/cache.key`, default `~/.config/ecrights/cache.key`,
created with mode 0600 on first use; refused if others can read it); an entry
that does not verify is treated as absent and re-executed. A cache directory that another user can write
(world-writable, or owned by someone else) is refused outright, as ssh
refuses a key file others can read. Nothing read from the cache is ever
unpickled or evaluated (notebooks, JSON, CSV, PNG/SVG only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path

from ..errors import InputError

KEY_ENV = "ECRIGHTS_CACHE_KEY_FILE"  # tests and unusual setups: where the secret lives


def key_file() -> Path:
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "ecrights" / "cache.key"


def _secret() -> bytes:
    """The per-user secret, created (0600, in a 0700 directory) on first use."""
    path = key_file()
    try:
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise InputError(f"{path}: the cache key must be yours and readable by you only (mode "
                             f"{stat.S_IMODE(info.st_mode):04o}); chmod 600 it, or remove it to have a new one made")
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{path}: not a cache key (64 hexadecimal digits); remove it to have a new one made "
                         "(the cache is then re-executed)") from None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)  # never over a key another process made meanwhile
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def sign(label: str, files: dict[str, str]) -> str:
    """HMAC over a label (what the entry is for, e.g. section/key) and its files' sha256 digests."""
    message = json.dumps({"label": label, "files": files}, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def verifies(label: str, files: dict[str, str], signature) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(sign(label, files), signature)


def check_directory(directory: Path) -> None:
    """Refuse (InputError, exit 2) a cache directory another user can write."""
    directory = Path(directory)
    try:
        info = directory.stat()
    except FileNotFoundError:
        return  # made by this run, as this user
    problems = []
    if info.st_uid != os.geteuid():  # the user this run writes as
        problems.append(f"owned by uid {info.st_uid}, not by you (uid {os.geteuid()})")
    if info.st_mode & stat.S_IWOTH:
        problems.append(f"writable by every user (mode {stat.S_IMODE(info.st_mode):04o})")
    if problems:
        raise InputError(f"cache directory {directory} is {' and '.join(problems)}: another user could plant "
                         f"entries; refused (fix with chmod o-w, or remove it to start a new cache)")
