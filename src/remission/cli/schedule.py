"""``remission schedule``: date a protocol's sessions on a clinic calendar, or list protocols."""

from __future__ import annotations

import argparse
import datetime as dt
import zoneinfo

from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    ChairBooking,
    ClinicCalendar,
    OpeningHours,
    Protocol,
    Schedule,
    all_protocols,
    generate_schedule,
    get_protocol,
    parse_weekdays,
)

HELP = "Date the sessions of a treatment protocol on the clinic calendar (or --list protocols)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--list", action="store_true", help="list the protocols and exit")
    parser.add_argument("--protocol", metavar="ID", help="protocol id, e.g. iv-induction-3x-weekly")
    parser.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help="earliest first session")
    parser.add_argument(
        "--clinic-days",
        default="mon,tue,wed,thu,fri",
        metavar="DAYS",
        help="open weekdays, e.g. mon,wed,fri (default: mon–fri)",
    )
    parser.add_argument(
        "--hours", default="08:00-18:00", metavar="HH:MM-HH:MM", help="opening hours"
    )
    parser.add_argument(
        "--holidays", default="", metavar="DATES", help="closed dates, e.g. 2026-12-25,2026-12-26"
    )
    parser.add_argument("--chairs", type=int, default=1, metavar="N", help="infusion chairs")
    parser.add_argument("--time", type=_time, metavar="HH:MM", help="preferred start time")
    parser.add_argument(
        "--booked",
        default="",
        metavar="BOOKINGS",
        help="chairs already taken: DATE@HH:MM-HH:MM[#CHAIR], comma-separated",
    )
    parser.add_argument("--sessions", type=int, metavar="N", help="number of dosing sessions")
    parser.add_argument(
        "--last-dose",
        type=_datetime,
        metavar="DATETIME",
        help="start of the previous dose, with time zone (e.g. 2026-11-30T09:10+00:00)",
    )
    parser.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="refuse a past start")
    parser.add_argument("--timezone", default="UTC", metavar="ZONE", help="clinic time zone")


def run(args: argparse.Namespace) -> object:
    if args.list:
        if args.protocol:
            raise ClinicalInputError("use --list or --protocol, not both")
        return {"protocols": [_describe(p) for p in all_protocols()]}
    if not args.protocol:
        raise ClinicalInputError("--protocol is required (or --list to see the protocols)")
    if args.start is None:
        raise ClinicalInputError("--start is required with --protocol")
    protocol = get_protocol(args.protocol)
    calendar = ClinicCalendar(
        open_weekdays=parse_weekdays(args.clinic_days),
        hours=_hours(args.hours),
        holidays=frozenset(_holiday(d) for d in _items(args.holidays)),
        chairs=args.chairs,
        tz=_zone(args.timezone),
    )
    schedule = generate_schedule(
        protocol,
        start=args.start,
        calendar=calendar,
        booked=[_booking(b) for b in _items(args.booked)],
        preferred_time=args.time,
        today=args.today,
        last_dose_at=args.last_dose,
        dosing_sessions=args.sessions,
    )
    return _schedule_json(protocol, schedule, args.timezone)


def _describe(protocol: Protocol) -> dict[str, object]:
    return {
        "id": protocol.id,
        "title": protocol.title,
        "phase": protocol.phase,
        # The route family code, as a course stores it ("none": no drug).
        "route": protocol.route.family if protocol.route else "none",
        "drug": protocol.drug,
        "dose": protocol.dose.text,
        "dosing_sessions": protocol.dosing_sessions,
        "session_count": protocol.session_count,
        "cadence": protocol.cadence.text,
        "open_ended": protocol.open_ended,
        "min_interval_hours": protocol.min_interval_hours(),
        "chair_occupancy_min": protocol.chair_occupancy_min(),
        "sources": [e.label() for e in protocol.evidence],
    }


def _schedule_json(protocol: Protocol, schedule: Schedule, timezone: str) -> dict[str, object]:
    return {
        "protocol": protocol.id,
        "title": protocol.title,
        "timezone": timezone,
        "min_interval_hours": schedule.min_interval_hours,
        "chair_occupancy_min": schedule.chair_occupancy_min,
        "sessions": [
            {
                "sequence": s.sequence,
                "kind": s.kind,
                "dose": s.dose_number,
                "date": s.on,
                "start": _hhmm(s.starts),
                "end": _hhmm(s.ends),
                "chair": s.chair,
            }
            for s in schedule.sessions
        ],
        "moves": [
            {
                "sequence": m.sequence,
                "kind": m.kind,
                "dose": m.dose_number,
                "intended_date": m.intended_on,
                "date": m.scheduled_on,
                "start": _hhmm(m.scheduled_time),
                "explanation": m.explanation,
            }
            for m in schedule.moves
        ],
        "notes": list(schedule.notes),
    }


class InvalidValue(argparse.ArgumentTypeError, ValueError):
    """A bad option value: argparse reports it as such, ``run`` lets it exit 2 as a ValueError."""


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _time(text: str) -> dt.time:
    try:
        parts = text.strip().split(":")
        if len(parts) != 2:
            raise ValueError
        return dt.time(int(parts[0]), int(parts[1]))
    except ValueError:
        raise InvalidValue(f"{text!r} is not a time (HH:MM)") from None


def _datetime(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{text!r} is not a date and time (ISO 8601)") from None
    if value.tzinfo is None:
        raise InvalidValue(f"{text!r} has no time zone; add one, e.g. {text.strip()}+00:00")
    return value


def _holiday(text: str) -> dt.date:
    try:
        return _date(text)
    except InvalidValue as exc:
        raise ClinicalInputError(f"--holidays: {exc}") from None


def _hours(text: str) -> OpeningHours:
    opens, sep, closes = text.partition("-")
    if not sep:
        raise ClinicalInputError(f"opening hours {text!r}: use HH:MM-HH:MM")
    return OpeningHours(_time(opens), _time(closes))


def _booking(text: str) -> ChairBooking:
    """``2026-12-04@09:00-11:00#2`` → chair 2 taken from 09:00 to 11:00 (chair 1 if no ``#``)."""
    day, at, rest = text.partition("@")
    span, hash_sign, chair = rest.partition("#")
    starts, dash, ends = span.partition("-")
    if not at or not dash:
        raise ClinicalInputError(f"booking {text!r}: use DATE@HH:MM-HH:MM[#CHAIR]")
    if hash_sign and not chair.strip().isdigit():
        raise ClinicalInputError(f"booking {text!r}: chair {chair!r} is not a chair number")
    try:
        return ChairBooking(
            on=_date(day),
            starts=_time(starts),
            ends=_time(ends),
            chair=int(chair) if hash_sign else 1,
        )
    except InvalidValue as exc:
        raise ClinicalInputError(f"booking {text!r}: {exc}") from None


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ClinicalInputError(f"unknown time zone {name!r}") from None


def _hhmm(value: dt.time) -> str:
    return f"{value:%H:%M}"
