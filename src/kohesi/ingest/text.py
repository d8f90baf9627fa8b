"""Bytes of a text export, checked for encoding and binary content."""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa

from kohesi.errors import InputError

__all__ = ["decode_check", "utf8_lines"]


def decode_check(data: bytes, path: str) -> bytes:
    """UTF-8 bytes without BOM, or an :class:`InputError` saying why the file is not text.

    UTF-16 files (with BOM) are converted; NUL bytes mean a binary file. Invalid UTF-8 is found
    by :func:`utf8_lines`, which names the line of the first bad byte.
    """
    if not data or data.isspace():
        raise InputError(path, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"damaged UTF-16 text ({exc.reason})") from None
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not a chat export")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data


def _utf8_error(data: bytes, path: str) -> InputError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); exports are UTF-8, was the file re-saved in another encoding?",
            line=line,
        )
    return InputError(path, "cannot be split into lines")


def utf8_lines(data: bytes, path: str) -> bytes:
    """``data`` checked to be UTF-8, with CRLF line ends as LF (a final CR dropped).

    The check runs in Arrow (no Python string is built); a failure names the line of the first
    bad byte."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").removesuffix(b"\r")
    whole = pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, len(data)], dtype=np.int64)),
                                             pa.py_buffer(data))
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        raise _utf8_error(data, path) from None
    return data
