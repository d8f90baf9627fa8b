"""Open an export file safely: plain files and zip archives, with size and path checks."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kohesi.errors import InputError

__all__ = ["SourceFile", "open_files", "open_zip", "read_bytes", "MAX_BYTES"]

MAX_BYTES = 2 * 1024**3
"""Largest export member kohesi reads (2 GiB); larger files are refused, never truncated."""

MAX_RATIO = 200
"""Largest compression ratio accepted for a zip member: more is treated as a zip bomb."""


@dataclass(frozen=True)
class SourceFile:
    """Bytes of one export file, and where they came from (a plain file, or a member of a zip)."""

    path: str
    """What error messages name: ``chat.zip`` or ``chat.zip!_chat.txt``."""
    name: str
    """File name of the export inside its container (used to guess the group name)."""
    data: bytes
    container: str | None = None

    def take(self) -> bytes:
        """The bytes, handed over to a reader: this file holds them no more, so the reader can
        free them as soon as it no longer needs them (a reader of a large export peaks lower)."""
        data = self.data
        object.__setattr__(self, "data", b"")
        return data


def _check_member_path(path: str, name: str) -> None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":"):
        raise InputError(path, f"unsafe path {name!r} inside the zip archive; refusing to read it")


def _read_member(path: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    where = f"{path}!{info.filename}"
    if info.file_size > max_bytes:
        raise InputError(where, f"member is {info.file_size:,} bytes, over the {max_bytes:,}-byte limit")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
        raise InputError(where, f"compression ratio {info.file_size / info.compress_size:.0f}:1 looks like a zip bomb")
    chunks, total = [], 0
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            total += len(chunk)
            if total > max_bytes:
                raise InputError(where, f"member expands past the {max_bytes:,}-byte limit (zip bomb?)")
            chunks.append(chunk)
    return b"".join(chunks)


def open_zip(path: Path, pick, max_bytes: int = MAX_BYTES) -> list[SourceFile]:
    """Members of a zip chosen by ``pick(names) -> list[name]``, read with size and path checks."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"not a readable zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        if not any(not i.is_dir() for i in infos):
            raise InputError(path, "the zip archive is empty")
        for info in infos:
            _check_member_path(str(path), info.filename)
        chosen = pick([i.filename for i in infos if not i.is_dir()])
        by_name = {i.filename: i for i in infos}
        out = []
        for name in chosen:
            info = by_name[name]
            if info.flag_bits & 0x1:
                raise InputError(f"{path}!{name}", "the zip member is encrypted (password-protected); "
                                                   "export the chat again without a password")
            try:
                data = _read_member(str(path), zf, info, max_bytes)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error, RuntimeError,
                    ValueError) as exc:
                raise InputError(f"{path}!{name}", f"damaged zip member ({exc})") from None
            out.append(SourceFile(f"{path}!{name}", PurePosixPath(name).name, data, container=str(path)))
        return out


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Bytes of a plain file, with the same limit as zip members."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(path, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not an export file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None


def open_files(path: str | Path, pick=None, max_bytes: int = MAX_BYTES) -> list[SourceFile]:
    """The export file(s) at ``path``: the file itself, or the members of a zip chosen by ``pick``."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if zipfile.is_zipfile(path) and path.is_file():
        return open_zip(path, pick or (lambda names: names), max_bytes)
    return [SourceFile(str(path), path.name, read_bytes(path, max_bytes))]
