"""One clock: stored moments are UTC, shown and dated in Helsinki time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Integer, Table, create_engine, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from evaus.i18n import clock, moment, number, today_in_helsinki
from project_db.base import UtcDateTime

LATE_EVENING_UTC = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)


def test_a_late_utc_moment_is_the_next_day_in_helsinki() -> None:
    assert moment(LATE_EVENING_UTC, "fi") == "7.12.2026 klo 1.30"
    assert moment(LATE_EVENING_UTC, "sv") == "7.12.2026 kl. 1.30"
    assert moment(LATE_EVENING_UTC, "en") == "7 Dec 2026, 01:30"
    assert clock(LATE_EVENING_UTC, "fi") == "1.30"


def test_summer_time_is_three_hours_ahead() -> None:
    assert moment(datetime(2026, 7, 1, 9, 5, tzinfo=UTC), "fi") == "1.7.2026 klo 12.05"


def test_a_naive_moment_is_taken_as_utc() -> None:
    assert moment(LATE_EVENING_UTC.replace(tzinfo=None), "fi") == "7.12.2026 klo 1.30"


def test_today_is_helsinki_today_after_midnight() -> None:
    # 00:30 in Helsinki is still yesterday in UTC.
    assert today_in_helsinki(datetime(2026, 12, 6, 22, 30, tzinfo=UTC)) == date(2026, 12, 7)
    assert today_in_helsinki(datetime(2026, 12, 6, 21, 59, tzinfo=UTC)) == date(2026, 12, 6)


def test_decimals_have_a_comma_in_finnish() -> None:
    from decimal import Decimal

    assert number(Decimal("21.5"), "fi") == "21,5"
    assert number(Decimal("21.5"), "en") == "21.5"


class _Base(DeclarativeBase):
    pass


class _Moment(_Base):
    __tablename__ = "moments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


def test_sqlite_gives_back_aware_utc() -> None:
    engine = create_engine("sqlite://")
    table = Table("moments", _Base.metadata)  # the mapped table, for Core statements
    _Base.metadata.create_all(engine)
    with engine.begin() as connection:  # Core: the column type does the work, not the ORM
        at = datetime.fromisoformat("2026-12-07T01:30:00+02:00")
        connection.execute(table.insert().values(id=1, at=at))
        raw = connection.execute(text("select at from moments")).scalar_one()
        loaded = connection.execute(select(table.c.at)).scalar_one()
    assert raw.startswith("2026-12-06 23:30")  # stored in UTC, without a zone
    assert loaded == LATE_EVENING_UTC
    assert loaded.tzinfo == UTC
