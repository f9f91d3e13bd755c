"""Pinyin -> hanzi candidates for the on-screen keyboard, from the table in resources/pinyin/kitchen.tsv."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from posapp.resources import resource


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word to offer and how many typed letters it stands for (the rest stay to be typed on)."""

    text: str
    letters: int


class PinyinTable:
    """Whole pinyin first ("niurou" -> 牛肉), the characters of a whole syllable ("ma" -> 麻), words the letters
    begin ("niur" -> 牛肉) and initials ("nr" -> 牛肉) by rank, then the characters of the first syllable
    ("niurou" -> 牛, with "rou" left to type)."""

    def __init__(self, lines: list[str]) -> None:
        self.words: dict[str, list[str]] = {}
        self.rank: dict[str, int] = {}
        for line in lines:
            if not line or line.startswith("#"):
                continue
            reading, rank, listed = line.split("\t")
            self.words[reading] = listed.split()
            self.rank[reading] = int(rank)
        self.keys = sorted(self.words)
        self.syllables = {k for k, ws in self.words.items() if any(len(w) == 1 for w in ws)}
        self.longest = max(map(len, self.syllables), default=0)
        initials: dict[str, list[tuple[int, str]]] = {}
        for reading, words in self.words.items():
            for word in words:
                parts = self.split(reading) if len(word) > 1 else []
                if len(parts) == len(word):
                    initials.setdefault("".join(p[0] for p in parts), []).append((self.rank[reading], word))
        self.initials = {k: [w for _, w in sorted(v)] for k, v in initials.items()}

    def split(self, letters: str) -> list[str]:
        """The reading cut into syllables, longest first ("xianggu" -> xiang gu); [] when it does not cut."""
        for n in range(min(self.longest, len(letters)), 0, -1):
            head = letters[:n]
            if head in self.syllables:
                if n == len(letters):
                    return [head]
                rest = self.split(letters[n:])
                if rest:
                    return [head, *rest]
        return []

    def candidates(self, letters: str, limit: int = 24) -> list[Candidate]:
        letters = letters.lower()
        found: list[Candidate] = []
        seen: set[str] = set()

        def offer(words: list[str], count: int) -> None:
            for word in words:
                if word not in seen and len(found) < limit:
                    seen.add(word)
                    found.append(Candidate(word, count))

        if not letters:
            return found
        whole = self.words.get(letters, [])
        offer([w for w in whole if len(w) > 1], len(letters))
        offer([w for w in whole if len(w) == 1][:8], len(letters))
        start = bisect.bisect_left(self.keys, letters)
        longer = []
        for reading in self.keys[start:]:
            if not reading.startswith(letters):
                break
            if reading != letters:
                longer.append(reading)
        longer.sort(key=self.rank.__getitem__)
        offer([w for r in longer[:8] for w in self.words[r][:2] if len(w) > 1], len(letters))
        if len(letters) >= 2:
            offer(self.initials.get(letters, [])[:6], len(letters))
        for n in range(min(self.longest, len(letters) - 1), 0, -1):
            if letters[:n] in self.syllables:
                offer([w for w in self.words[letters[:n]] if len(w) == 1], n)
                break
        return found


@lru_cache(maxsize=1)
def kitchen_table() -> PinyinTable:
    """The bundled table, read once (about 220 kB; the keyboard loads it the first time 中 is on)."""
    return PinyinTable(resource("pinyin", "kitchen.tsv").read_text(encoding="utf-8").splitlines())
