"""Remittance prices from the World Bank's Remittance Prices Worldwide (RPW): importing its
files, keeping each import as a dataset, and answering "what does it cost to send money
from A to B?".

Two file formats are understood, told apart by their header:
- corridor averages, the DataBank export (series ATCR.CORR, one row per corridor, one
  column per quarter, ".." when missing), as shipped in knowledge/sources/remittances/;
- provider-level prices, the CSV export of the quarterly RPW dataset (one row per
  service surveyed: period, source/destination codes, firm, firm type, cc1/cc2 costs,
  transparent…), from which corridor summaries are computed: the average, the three
  cheapest services and the average by type of provider.

An import is all or nothing: the file is read and checked in full first, then its rows
and the switch to it are written in one transaction. A file that cannot be read, has no
usable rows or has costs out of range changes nothing, and the error says why."""

import csv
import hashlib
import io
import logging
import math
import re
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Text, Tuple

import requests
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import transaction
from knowledge.models import (
    CORRIDOR_AVERAGES,
    PROVIDER_PRICES,
    CorridorCost,
    RemittanceDataset,
)
from knowledge.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

REGIONS_FILE = PROJECT_ROOT / "knowledge" / "sources" / "remittances" / "regions.yml"
# Total cost outside this range (percent of the amount sent) is not a price: the file is
# refused. Promotions can make a cost slightly negative.
COST_RANGE = (-20.0, 100.0)
MAX_ERRORS_SHOWN = 10
CHEAPEST_SHOWN = 3
PROVIDER_TYPES = ("bank", "mto", "mobile", "post", "other")
_PERIOD_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})\s*[_\- ]?\s*(?P<quarter>[1-4])\s*Q$", re.I),  # 2020_3Q
    re.compile(r"^(?P<year>\d{4})\s*[_\- ]?\s*Q\s*(?P<quarter>[1-4])$", re.I),  # 2020Q3
    re.compile(r"^Q\s*(?P<quarter>[1-4])\s*[_\- ]?\s*(?P<year>\d{4})$", re.I),  # Q3 2020
)
_DATABANK_PERIOD = re.compile(r"^(\d{4})Q([1-4])\s*\[YR\d{4}Q[1-4]\]$")
_TRUE = {"yes", "y", "true", "1", "transparent"}
_FALSE = {"no", "n", "false", "0", "non-transparent", "not transparent"}


class RemittanceDataError(ValueError):
    """A file that cannot be imported; the message lists what is wrong."""


@dataclass
class ImportReport:
    kind: Text
    rows_read: int = 0
    rows_used: int = 0
    blank_rows: int = 0
    duplicate_rows: int = 0
    missing_cost_rows: int = 0
    not_transparent_rows: int = 0
    negative_margin_rows: int = 0
    corridors: int = 0
    periods: List[Text] = field(default_factory=list)

    def as_dict(self) -> Dict:
        return dict(self.__dict__)

    def summary(self) -> Text:
        parts = [
            f"{self.rows_read} rows read, {self.rows_used} used",
            f"{self.corridors} corridor-quarters",
            f"periods {self.periods[0]} to {self.periods[-1]}" if self.periods else "",
        ]
        skipped = {
            "blank": self.blank_rows,
            "duplicated": self.duplicate_rows,
            "without a cost": self.missing_cost_rows,
            "from services that do not disclose their exchange rate": self.not_transparent_rows,
        }
        parts += [f"left out: {n} rows {what}" for what, n in skipped.items() if n]
        if self.negative_margin_rows:
            parts.append(
                f"{self.negative_margin_rows} rows with a negative margin (promotions) kept"
            )
        return "; ".join(p for p in parts if p) + "."


@dataclass(frozen=True)
class Summary:
    period: Text
    sending: Text
    receiving: Text
    average_cost: float
    providers: Optional[int] = None
    cheapest: Optional[List[Dict]] = None
    by_type: Optional[Dict[Text, float]] = None


@dataclass
class ParsedFile:
    kind: Text
    summaries: List[Summary]
    report: ImportReport


# --- reading ---------------------------------------------------------------------------
def normalise_period(text: Text) -> Optional[Text]:
    text = (text or "").strip()
    for pattern in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            return f"{match['year']}-Q{match['quarter']}"
    return None


def _header_key(name: Text) -> Text:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").replace("_", " ")).strip().lower()


def decode(data: bytes) -> Text:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which Excel writes."""
    if not data.strip():
        raise RemittanceDataError("The file is empty.")
    if b"\x00" in data[:4096]:
        raise RemittanceDataError(
            "The file is not a CSV text file: it looks binary (save an .xlsx as CSV first)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_file(data: bytes) -> ParsedFile:
    text = decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise RemittanceDataError(f"The file is not valid CSV: {error}") from None
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise RemittanceDataError("The file has no header row.")
    header = [_header_key(c) for c in rows[header_index]]
    body = rows[header_index + 1 :]
    first_line = header_index + 2
    if "sending countries code" in header and "receiving countries code" in header:
        parsed = _parse_corridor_averages(header, body, first_line)
    elif {"source code", "destination code", "cc1 total cost %"} <= set(header):
        parsed = _parse_provider_prices(header, body, first_line)
    else:
        raise RemittanceDataError(
            "The header is not one of a World Bank RPW file: expected either the DataBank "
            "corridor averages ('Sending Countries Code', 'Receiving Countries Code', quarters) "
            "or the provider-level dataset ('source_code', 'destination_code', "
            "'cc1 total cost %', …)."
        )
    if not parsed.summaries:
        raise RemittanceDataError(
            f"The file has no usable prices ({parsed.report.summary()}); nothing was changed."
        )
    return parsed


def _cost(value: Text) -> Optional[float]:
    value = (value or "").strip().replace("%", "")
    if value in ("", "..", "NA", "N/A", "n/a", "-", "#N/A"):
        return None
    number = (
        float(value.replace(",", "."))
        if value.count(",") == 1 and "." not in value
        else float(value)
    )
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


def _check_range(cost: float, line: int, errors: List[Text]) -> None:
    if not COST_RANGE[0] <= cost <= COST_RANGE[1]:
        errors.append(
            f"line {line}: total cost {cost}% is out of range {COST_RANGE[0]}..{COST_RANGE[1]}%"
        )


def _country_code(value: Text) -> Optional[Text]:
    value = (value or "").strip().upper()
    return value if re.fullmatch(r"[A-Z]{3}", value) else None


def _raise_if(errors: List[Text]) -> None:
    if errors:
        shown = "\n".join(errors[:MAX_ERRORS_SHOWN])
        more = len(errors) - MAX_ERRORS_SHOWN
        raise RemittanceDataError(
            f"The file was refused, nothing was changed:\n{shown}"
            + (f"\n… and {more} more problems" if more > 0 else "")
        )


def _parse_corridor_averages(header: List[Text], body, first_line: int) -> ParsedFile:
    report = ImportReport(CORRIDOR_AVERAGES)
    sending_at = header.index("sending countries code")
    receiving_at = header.index("receiving countries code")
    series_at = header.index("series code") if "series code" in header else None
    periods = {}
    for index, name in enumerate(header):
        match = _DATABANK_PERIOD.match(name.upper())
        if match:
            periods[index] = f"{match[1]}-Q{match[2]}"
    if not periods:
        raise RemittanceDataError("No quarter columns such as '2020Q3 [YR2020Q3]' in the header.")
    errors: List[Text] = []
    summaries: Dict[Tuple[Text, Text, Text], Summary] = {}
    for offset, row in enumerate(body):
        line = first_line + offset
        if not any(cell.strip() for cell in row):
            report.blank_rows += 1
            continue
        report.rows_read += 1
        sending = _country_code(row[sending_at] if sending_at < len(row) else "")
        receiving = _country_code(row[receiving_at] if receiving_at < len(row) else "")
        if sending is None or receiving is None:
            # DataBank's footer ("Data from database: …", "Last Updated: …")
            if len([c for c in row if c.strip()]) <= 1:
                report.blank_rows += 1
                report.rows_read -= 1
                continue
            errors.append(f"line {line}: no three-letter country codes")
            continue
        if series_at is not None and row[series_at].strip() not in ("ATCR.CORR", ""):
            errors.append(f"line {line}: series {row[series_at].strip()!r} is not ATCR.CORR")
            continue
        used = False
        for index, period in periods.items():
            try:
                cost = _cost(row[index] if index < len(row) else "")
            except ValueError:
                errors.append(f"line {line}: {row[index]!r} is not a number")
                continue
            if cost is None:
                continue
            _check_range(cost, line, errors)
            key = (period, sending, receiving)
            if key in summaries:
                report.duplicate_rows += 1
                continue
            summaries[key] = Summary(period, sending, receiving, round(cost, 4))
            used = True
        if used:
            report.rows_used += 1
        else:
            report.missing_cost_rows += 1
    _raise_if(errors)
    report.corridors = len(summaries)
    report.periods = sorted({s.period for s in summaries.values()})
    return ParsedFile(CORRIDOR_AVERAGES, list(summaries.values()), report)


def provider_type(firm_type: Text) -> Text:
    kind = (firm_type or "").strip().lower()
    if "mobile" in kind:
        return "mobile"
    if "post" in kind:
        return "post"
    if kind.startswith("bank") and "mto" not in kind and "money transfer" not in kind:
        return "bank"
    if "money transfer" in kind or "mto" in kind:
        return "mto"
    return "other"


def _parse_provider_prices(header: List[Text], body, first_line: int) -> ParsedFile:
    report = ImportReport(PROVIDER_PRICES)
    column = {name: index for index, name in enumerate(header)}
    required = (
        "period",
        "source code",
        "destination code",
        "firm",
        "firm type",
        "cc1 total cost %",
    )
    missing = [name for name in required if name not in column]
    if missing:
        raise RemittanceDataError(f"Columns missing from the header: {', '.join(missing)}.")

    def cell(row: Sequence[Text], name: Text) -> Text:
        index = column.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    errors: List[Text] = []
    seen = set()
    prices: Dict[Tuple[Text, Text, Text], List[Tuple[Text, Text, float]]] = defaultdict(list)
    for offset, row in enumerate(body):
        line = first_line + offset
        if not any(c.strip() for c in row):
            report.blank_rows += 1
            continue
        report.rows_read += 1
        signature = tuple(c.strip() for c in row)
        if signature in seen:
            report.duplicate_rows += 1
            continue
        seen.add(signature)
        period = normalise_period(cell(row, "period"))
        sending, receiving = (
            _country_code(cell(row, "source code")),
            _country_code(cell(row, "destination code")),
        )
        if period is None:
            errors.append(
                f"line {line}: period {cell(row, 'period')!r} is not a quarter such as 2020_3Q"
            )
            continue
        if sending is None or receiving is None:
            errors.append(f"line {line}: source and destination must be three-letter country codes")
            continue
        try:
            cost = _cost(cell(row, "cc1 total cost %"))
            margin = _cost(cell(row, "cc1 fx margin"))
        except ValueError:
            errors.append(f"line {line}: the cost or margin is not a number")
            continue
        transparent = cell(row, "transparent").lower()
        if transparent and transparent not in _TRUE | _FALSE:
            errors.append(
                f"line {line}: 'transparent' is {cell(row, 'transparent')!r}, expected yes or no"
            )
            continue
        if cost is None:
            report.missing_cost_rows += 1
            continue
        _check_range(cost, line, errors)
        if transparent in _FALSE:
            # The margin of a service that does not disclose its rate is reported as 0,
            # which does not mean it has no exchange cost: its total is understated.
            report.not_transparent_rows += 1
            continue
        if margin is not None and margin < 0:
            report.negative_margin_rows += 1
        firm = cell(row, "firm") or "?"
        prices[(period, sending, receiving)].append(
            (firm, provider_type(cell(row, "firm type")), cost)
        )
        report.rows_used += 1
    _raise_if(errors)
    summaries = [summarise(key, services) for key, services in sorted(prices.items())]
    report.corridors = len(summaries)
    report.periods = sorted({s.period for s in summaries})
    return ParsedFile(PROVIDER_PRICES, summaries, report)


def summarise(key: Tuple[Text, Text, Text], services: List[Tuple[Text, Text, float]]) -> Summary:
    """A corridor's quarter: the average over its services, the cheapest three (each firm
    once, at its cheapest service) and the average by type of provider."""
    period, sending, receiving = key
    best: Dict[Text, Tuple[float, Text]] = {}
    for firm, kind, cost in services:
        if firm not in best or cost < best[firm][0]:
            best[firm] = (cost, kind)
    cheapest = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:CHEAPEST_SHOWN]
    by_type: Dict[Text, List[float]] = defaultdict(list)
    for _, kind, cost in services:
        by_type[kind].append(cost)
    return Summary(
        period,
        sending,
        receiving,
        round(statistics.fmean(c for _, _, c in services), 4),
        providers=len(services),
        cheapest=[
            {"firm": firm, "type": kind, "cost": round(cost, 4)} for firm, (cost, kind) in cheapest
        ],
        by_type={
            kind: round(statistics.fmean(costs), 4) for kind, costs in sorted(by_type.items())
        },
    )


# --- storing ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    dataset_id: Optional[int]
    changed: bool
    report: ImportReport
    replaced: Tuple[int, ...] = ()


def import_bytes(
    factory: sessionmaker, data: bytes, source: Text, loaded_by: Text = "import"
) -> ImportResult:
    """Read and check `data` in full, then store it and make it live in one transaction.
    A file identical to a live dataset changes nothing."""
    parsed = parse_file(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction(factory) as session:
        same = session.execute(
            select(RemittanceDataset).where(
                RemittanceDataset.sha256 == digest, RemittanceDataset.active.is_(True)
            )
        ).scalar_one_or_none()
        if same is not None:
            return ImportResult(same.id, False, parsed.report)
        periods = set(parsed.report.periods)
        replaced = []
        for old in session.execute(
            select(RemittanceDataset).where(
                RemittanceDataset.kind == parsed.kind, RemittanceDataset.active.is_(True)
            )
        ).scalars():
            # Corridor averages are one series: a new file replaces the old one. Provider
            # files are one quarter each: a file replaces those whose quarters it covers.
            old_periods = set(
                session.execute(
                    select(CorridorCost.period).where(CorridorCost.dataset_id == old.id).distinct()
                ).scalars()
            )
            if parsed.kind == CORRIDOR_AVERAGES or old_periods <= periods:
                old.active = False
                replaced.append(old.id)
        dataset = RemittanceDataset(
            kind=parsed.kind,
            source=source[:1000],
            sha256=digest,
            rows_read=parsed.report.rows_read,
            rows_used=parsed.report.rows_used,
            first_period=parsed.report.periods[0],
            last_period=parsed.report.periods[-1],
            report=parsed.report.as_dict(),
            loaded_by=loaded_by,
            active=True,
        )
        session.add(dataset)
        session.flush()
        session.bulk_insert_mappings(
            CorridorCost,
            [
                {
                    "dataset_id": dataset.id,
                    "period": s.period,
                    "sending": s.sending,
                    "receiving": s.receiving,
                    "average_cost": s.average_cost,
                    "providers": s.providers,
                    "cheapest": s.cheapest,
                    "by_type": s.by_type,
                }
                for s in parsed.summaries
            ],
        )
        return ImportResult(dataset.id, True, parsed.report, tuple(replaced))


def import_file(factory: sessionmaker, path: Path, loaded_by: Text = "import") -> ImportResult:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RemittanceDataError(f"Cannot read {path}: {error.strerror}") from None
    return import_bytes(factory, data, path.name, loaded_by)


# --- refreshing from a URL -------------------------------------------------------------
@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_seconds: float = 300.0
    max_bytes: int = 200 * 1024 * 1024


def fetch(url: Text, limits: FetchLimits = FetchLimits()) -> bytes:
    """Download `url` in full, within the time and size limits, or raise
    RemittanceDataError saying what went wrong."""
    if not re.match(r"^https?://", url or ""):
        raise RemittanceDataError(f"Not an http(s) URL: {url!r}")
    started = time.monotonic()
    try:
        with requests.get(
            url, stream=True, timeout=(limits.connect_timeout, limits.read_timeout)
        ) as response:
            if response.status_code != 200:
                raise RemittanceDataError(
                    f"The server answered {response.status_code} {response.reason} for {url}."
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise RemittanceDataError(
                    f"The file is {int(declared)} bytes, more than the limit of {limits.max_bytes}."
                )
            with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
                size = 0
                for chunk in response.iter_content(chunk_size=64 * 1024):
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise RemittanceDataError(
                            f"The download passed the limit of {limits.max_bytes} bytes."
                        )
                    if time.monotonic() - started > limits.total_seconds:
                        raise RemittanceDataError(
                            f"The download took longer than {limits.total_seconds:.0f} s."
                        )
                    buffer.write(chunk)
                buffer.seek(0)
                return buffer.read()
    except requests.Timeout:
        raise RemittanceDataError(f"The server did not answer in time ({url}).") from None
    except requests.RequestException as error:
        raise RemittanceDataError(
            f"The download failed: {error.__class__.__name__} ({url})."
        ) from None


def refresh(
    factory: sessionmaker,
    url: Text,
    limits: FetchLimits = FetchLimits(),
    loaded_by: Text = "refresh",
) -> ImportResult:
    """Fetch, check and swap in the file at `url`; on any failure the data in place stays."""
    return import_bytes(factory, fetch(url, limits), url, loaded_by)


# --- answering -------------------------------------------------------------------------
@dataclass(frozen=True)
class CorridorFigure:
    summary: Summary
    kind: Text  # which kind of dataset it comes from


def corridor_cost(session: Session, sending: Text, receiving: Text) -> Optional[CorridorFigure]:
    """The latest quarter priced for this corridor in the live data (provider-level data
    first when both have the same quarter)."""
    row = session.execute(
        select(CorridorCost, RemittanceDataset.kind)
        .join(RemittanceDataset, CorridorCost.dataset_id == RemittanceDataset.id)
        .where(
            RemittanceDataset.active.is_(True),
            CorridorCost.sending == sending,
            CorridorCost.receiving == receiving,
        )
        .order_by(
            CorridorCost.period.desc(),
            (RemittanceDataset.kind == PROVIDER_PRICES).desc(),
            CorridorCost.id.desc(),
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    cost, kind = row
    return CorridorFigure(
        Summary(
            cost.period,
            cost.sending,
            cost.receiving,
            cost.average_cost,
            cost.providers,
            cost.cheapest,
            cost.by_type,
        ),
        kind,
    )


def has_data(session: Session) -> bool:
    return (
        session.execute(
            select(RemittanceDataset.id).where(RemittanceDataset.active.is_(True)).limit(1)
        ).first()
        is not None
    )


def corridor_roles(session: Session) -> Tuple[frozenset, frozenset]:
    """Countries that appear only as senders / only as receivers in the live data: a
    country named without "from" or "to" is most likely in that role."""
    pairs = session.execute(
        select(CorridorCost.sending, CorridorCost.receiving)
        .join(RemittanceDataset, CorridorCost.dataset_id == RemittanceDataset.id)
        .where(RemittanceDataset.active.is_(True))
        .distinct()
    ).all()
    senders = {s for s, _ in pairs}
    receivers = {r for _, r in pairs}
    return frozenset(senders - receivers), frozenset(receivers - senders)


@dataclass(frozen=True)
class RegionalFigure:
    key: Text  # region key ("south_asia") or "global"
    fact: Text  # name in knowledge/facts.yml


def read_regions(path: Path = REGIONS_FILE) -> Dict[Text, Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["regions"]


def regional_figure(receiving: Text, regions: Dict[Text, Dict]) -> RegionalFigure:
    for key, region in regions.items():
        if receiving in region["countries"]:
            return RegionalFigure(key, region["fact"])
    return RegionalFigure("global", "rpw_global_average")


def sdg_band(percent: float, target: float = 3.0, ceiling: float = 5.0) -> Text:
    if percent > ceiling:
        return "above_ceiling"
    if percent >= target:
        return "above_target"
    return "below_target"


def describe_datasets(session: Session) -> List[Text]:
    lines = []
    for dataset in session.execute(
        select(RemittanceDataset).order_by(RemittanceDataset.id)
    ).scalars():
        lines.append(
            f"#{dataset.id} {'LIVE' if dataset.active else 'old '} {dataset.kind:18} "
            f"{dataset.first_period}..{dataset.last_period} {dataset.rows_used:>6} rows "
            f"{dataset.loaded_at:%Y-%m-%d %H:%M} by {dataset.loaded_by} from {dataset.source}"
        )
    return lines


def preview(factory: sessionmaker, data: bytes, shown: int = 20) -> Dict:
    """What importing `data` would change, without changing anything: the file's report,
    how many corridors get a newer or a first figure, and the largest changes."""
    parsed = parse_file(data)
    latest: Dict[Tuple[Text, Text], Summary] = {}
    for summary in parsed.summaries:
        key = (summary.sending, summary.receiving)
        if key not in latest or summary.period > latest[key].period:
            latest[key] = summary
    first, newer, changes = 0, 0, []
    with factory() as session:
        for (sending, receiving), summary in latest.items():
            current = corridor_cost(session, sending, receiving)
            if current is None:
                first += 1
                continue
            if summary.period >= current.summary.period:
                newer += 1
                changes.append(
                    {
                        "corridor": f"{sending}-{receiving}",
                        "before": [current.summary.period, current.summary.average_cost],
                        "after": [summary.period, summary.average_cost],
                        "change": round(summary.average_cost - current.summary.average_cost, 4),
                    }
                )
    changes.sort(key=lambda c: -abs(c["change"]))
    return {
        "kind": parsed.kind,
        "summary": parsed.report.summary(),
        "report": parsed.report.as_dict(),
        "corridors_with_a_first_figure": first,
        "corridors_with_a_newer_figure": newer,
        "largest_changes": changes[:shown],
    }
