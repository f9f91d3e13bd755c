"""Business days in the store's time zone: a day that may end after midnight, turned into UTC spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from posapp.domain.reporting import OffsetSpan


@dataclass(frozen=True, slots=True)
class Period:
    """Business days ``first``..``last`` (inclusive) of a store whose day starts at ``cutoff`` local time."""

    first: date
    last: date
    tz: ZoneInfo
    cutoff: time = time(0, 0)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return datetime.combine(self.first, self.cutoff, tzinfo=self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), self.cutoff, tzinfo=self.tz).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, days: int) -> Period:
        """The same period ``days`` later (negative: earlier); used for "same weekday last week"."""
        return Period(
            self.first + timedelta(days=days), self.last + timedelta(days=days), self.tz, self.cutoff
        )

    def spans(self) -> list[OffsetSpan]:
        """The period cut where the store's UTC offset changes (DST), so local hours stay exact."""
        return offset_spans(self.start, self.end, self.tz)

    def label(self) -> str:
        return self.first.isoformat() if self.first == self.last else f"{self.first} – {self.last}"


def parse_cutoff(text: str) -> time:
    """``"04:00"`` -> 04:00; ``ValueError`` with a readable sentence otherwise."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"business-day cut-off must look like 04:00, not {text!r}") from None


def business_day_of(moment: datetime, tz: ZoneInfo, cutoff: time) -> date:
    """The business day an aware ``moment`` belongs to (02:30 with a 04:00 cut-off is the day before)."""
    local = moment.astimezone(tz)
    day = local.date()
    return day - timedelta(days=1) if local.time() < cutoff else day


def offset_spans(start: datetime, end: datetime, tz: ZoneInfo) -> list[OffsetSpan]:
    """Split [start, end) into stretches of constant UTC offset in ``tz``."""

    def offset(moment: datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    spans: list[OffsetSpan] = []
    span_start, current = start, offset(start)
    cursor = start
    while cursor < end:
        step = min(cursor + timedelta(days=1), end)
        last = step - timedelta(microseconds=1)
        if offset(last) == current:
            cursor = step
            continue
        # The offset changes inside this day: bisect to the minute (DST changes happen on whole minutes).
        lo, hi = cursor, last
        while hi - lo > timedelta(minutes=1):
            mid = lo + (hi - lo) / 2
            if offset(mid) == current:
                lo = mid
            else:
                hi = mid
        change = hi.replace(second=0, microsecond=0)
        if offset(change) == current:
            change += timedelta(minutes=1)
        spans.append(OffsetSpan(span_start, change, current))
        span_start, current, cursor = change, offset(change), change
    spans.append(OffsetSpan(span_start, end, current))
    return spans
