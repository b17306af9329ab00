"""Read report files safely: size, encoding and content checks before any parsing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .text import slug

MAX_BYTES = 5 * 1024 * 1024        # a club report is a few tens of kilobytes
SUFFIXES = {".md", ".markdown", ".txt", ".text", ".textile", ".html", ".htm", ""}


class ReadError(Exception):
    """A file cannot be read as a report."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ReportInput:
    label: str          # how to name it to people (the path given)
    name: str           # file name
    text: str
    sha256: str

    @property
    def report_id(self) -> str:
        return slug(Path(self.name).stem, 80)


def read_report(path: Path, max_bytes: int = MAX_BYTES) -> ReportInput:
    """Read one report file, or raise ReadError with a reason for people."""
    label = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(label, "no such file") from None
    except OSError as e:
        raise ReadError(label, f"cannot read ({e.strerror})") from None
    if size > max_bytes:
        raise ReadError(label, f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(label, f"cannot read ({e.strerror})") from None
    return decode_report(label, path.name, data)


def decode_report(label: str, name: str, data: bytes) -> ReportInput:
    if not data.strip():
        raise ReadError(label, "empty file")
    if b"\x00" in data[:8192]:
        raise ReadError(label, "binary file (contains NUL bytes), not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(label, f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(10, len(text) // 100):
        raise ReadError(label, "binary content (too many control characters), not a text report")
    return ReportInput(label, name, text, hashlib.sha256(data).hexdigest())


def collect(paths: list[Path]) -> tuple[list[Path], list[ReadError]]:
    """Expand folders into their report files (sorted); report unusable paths."""
    files: list[Path] = []
    errors: list[ReadError] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                           and not f.name.startswith(".") and f.name != "__init__.py")
            if not found:
                errors.append(ReadError(str(p), "folder holds no report (.md, .txt, .textile or .html)"))
            files += found
        elif p.exists() or p.is_symlink():
            files.append(p)
        else:
            errors.append(ReadError(str(p), "no such file or folder"))
    return files, errors
