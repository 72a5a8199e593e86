"""Test helpers: a stand-in for a case, and a tiny .mo writer for a test-only Italian catalogue."""

from __future__ import annotations

import array
import struct
from dataclasses import dataclass
from pathlib import Path


@dataclass
class FakeCase:
    """Has what `tierdesk.notifications.protocols.CaseLike` asks of a case."""

    id: int
    subject: str
    severity: int
    account_id: int
    region_id: int
    assignee_id: int | None = None


def write_mo(locale_dir: Path, language: str, catalog: dict[str, str]) -> None:
    """Compile `catalog` (msgid -> msgstr) to <locale_dir>/<language>/LC_MESSAGES/django.mo."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", **catalog}
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        key_bytes, value_bytes = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    target = locale_dir / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    (target / "django.mo").write_bytes(
        header + array.array("i", key_offsets + value_offsets).tobytes() + ids + strs
    )
