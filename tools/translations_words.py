"""Chinese for the status strip, service sentences and on-screen keyboard: merged into posapp_zh_CN.ts, then compiled.

Run: python tools/translations_words.py   (tests/unit/test_i18n.py and tests/ui/test_untranslated.py check them)
Entries already in the .ts with the same source keep their place; a changed translation here replaces theirs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

ZH_WORDS = {
    # status strip (setup/screens.py: the backup line; "⚠" is not in the bundled font)
    "! Backup failed: {reason}": "! 备份失败:{reason}",
    "! Last backup {days} days ago": "! 上次备份在 {days} 天前",
    "! No backup yet: choose a backup folder in Shop setup": "! 尚未备份:请在店铺设置中选择备份文件夹",
    # on-screen keyboard: the candidate bar before a letter is typed
    "Pinyin": "拼音",
}

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def merge(entries: dict[str, str], ts: Path = TS) -> int:
    """Add or update ``entries`` (no disambiguation) in ``ts``; returns how many changed."""
    text = ts.read_text(encoding="utf-8")
    root = ET.fromstring(text.encode())
    have = {
        m.findtext("source"): m.findtext("translation") or ""
        for m in root.iter("message")
        if not m.findtext("comment")
    }
    changed = 0
    added: list[str] = []
    for source, zh in entries.items():
        if source not in have:
            added.append(
                f"    <message>\n        <source>{escape(source)}</source>\n"
                f"        <translation>{escape(zh)}</translation>\n    </message>\n"
            )
        elif have[source] != zh:
            old = f"<source>{escape(source)}</source>\n        <translation>{escape(have[source])}</translation>"
            new = f"<source>{escape(source)}</source>\n        <translation>{escape(zh)}</translation>"
            if old not in text:
                raise SystemExit(f"cannot find the entry for {source!r} in {ts.name}")
            text = text.replace(old, new)
        else:
            continue
        changed += 1
    if added:
        text = text.replace("</context>\n</TS>", "".join(added) + "</context>\n</TS>")
    if changed:
        ts.write_text(text, encoding="utf-8")
    return changed


def compile_qm(ts: Path = TS) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    print(f"{merge(ZH_WORDS)} entries added or changed")
    compile_qm()
