"""Remittance prices: importing the World Bank files (the shipped corridor averages and
provider-level files with the real file's mess), the corridor figures computed from them,
refusals that change nothing, and refreshing from a real HTTP server on loopback."""

import http.server
import string
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge import remittances
from knowledge.models import CORRIDOR_AVERAGES, PROVIDER_PRICES, CorridorCost, RemittanceDataset
from knowledge.remittances import FetchLimits, RemittanceDataError
from knowledge.settings import load_settings

SHIPPED = load_settings({}).remittances_file
HEADER = (
    "period,source_code,source_name,destination_code,destination_name,firm,firm_type,"
    "payment instrument,speed actual,cc1 lcu amount,cc1 denomination amount,cc1 lcu code,"
    "cc1 lcu fee,cc1 lcu fx rate,cc1 fx margin,cc1 total cost %,cc2 lcu amount,"
    "cc2 denomination amount,cc2 lcu code,cc2 lcu fee,cc2 lcu fx rate,cc2 fx margin,"
    "cc2 total cost %,inter lcu bank fx,transparent,note2,pick-up method,date,corridor"
)


def row(
    period,
    source,
    destination,
    firm,
    firm_type,
    cost,
    margin="1.0",
    transparent="yes",
    product="Cash",
):
    return (
        f"{period},{source},Name,{destination},Name,{firm},{firm_type},{product},Same day,"
        f"200,200,USD,3,1.1,{margin},{cost},500,500,USD,5,1.1,{margin},{cost},1.11,"
        f"{transparent},,Cash,01/08/2023,{source}_{destination}"
    )


# The mess of a real export: a blank separator row, a duplicated row, "yes"/"Yes"/"YES",
# a promotion with a negative margin, a provider that does not disclose its rate (margin
# 0, left out), a service without a price.
PROVIDER_FILE = "\n".join(
    [
        HEADER,
        row("2023_3Q", "ARE", "NPL", "Alpha Bank", "Bank", "6.0"),
        row("2023_3Q", "ARE", "NPL", "Alpha Bank", "Bank", "6.0"),  # duplicated
        ",,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        row(
            "2023_3Q",
            "ARE",
            "NPL",
            "Beta Exchange",
            "Money Transfer Operator",
            "3.0",
            transparent="Yes",
        ),
        row(
            "2023_3Q",
            "ARE",
            "NPL",
            "Beta Exchange",
            "Money Transfer Operator",
            "2.5",
            transparent="YES",
            product="Account",
        ),
        row("2023_3Q", "ARE", "NPL", "Gamma Wallet", "Mobile Operator", "1.5", margin="-0.3"),
        row(
            "2023_3Q",
            "ARE",
            "NPL",
            "Delta Remit",
            "Money Transfer Operator",
            "1.0",
            margin="0",
            transparent="no",
        ),
        row("2023_3Q", "ARE", "NPL", "Epsilon", "Bank", ""),
        "",
        row("2023_3Q", "QAT", "PHL", "Alpha Bank", "Bank", "8.25"),
        row("2023_3Q", "QAT", "PHL", "Post", "Post office", "4.75"),
        "",
    ]
).encode("utf-8")


def datasets(factory):
    with factory() as session:
        return [
            (d.id, d.kind, d.active)
            for d in session.execute(
                select(RemittanceDataset).order_by(RemittanceDataset.id)
            ).scalars()
        ]


def test_the_shipped_corridor_averages_give_the_latest_quarter(sessions):
    result = remittances.import_file(sessions, SHIPPED)
    assert result.changed and result.report.kind == CORRIDOR_AVERAGES
    assert result.report.periods[0] == "2011-Q1" and result.report.periods[-1] == "2020-Q3"
    assert result.report.rows_used == 377
    with sessions() as session:
        qatar_nepal = remittances.corridor_cost(session, "QAT", "NPL")
        saudi_philippines = remittances.corridor_cost(session, "SAU", "PHL")
        assert remittances.corridor_cost(session, "NPL", "QAT") is None
    # Hand-read from the CSV's 2020Q3 column: 4.64249992370605 and 3.58999991416931.
    assert qatar_nepal.summary.period == "2020-Q3"
    assert qatar_nepal.summary.average_cost == pytest.approx(4.6425)
    assert saudi_philippines.summary.average_cost == pytest.approx(3.59)
    assert qatar_nepal.kind == CORRIDOR_AVERAGES


def test_importing_the_same_file_again_changes_nothing(sessions):
    first = remittances.import_file(sessions, SHIPPED)
    again = remittances.import_file(sessions, SHIPPED)
    assert not again.changed and again.dataset_id == first.dataset_id
    assert len(datasets(sessions)) == 1


def test_provider_file_summaries_match_hand_computed_values(sessions):
    remittances.import_file(sessions, SHIPPED)
    result = remittances.import_bytes(sessions, PROVIDER_FILE, "rpw_2023q3.csv")
    report = result.report
    assert report.kind == PROVIDER_PRICES
    assert (report.blank_rows, report.duplicate_rows) == (2, 1)
    assert report.not_transparent_rows == 1 and report.missing_cost_rows == 1
    assert report.negative_margin_rows == 1
    assert report.rows_used == 6 and report.corridors == 2
    with sessions() as session:
        figure = remittances.corridor_cost(session, "ARE", "NPL")
    # Newer than the corridor averages' 2020-Q3, so it is the figure given.
    assert figure.kind == PROVIDER_PRICES and figure.summary.period == "2023-Q3"
    # (6.0 + 3.0 + 2.5 + 1.5) / 4: the undisclosed-rate service is left out.
    assert figure.summary.average_cost == pytest.approx(3.25)
    assert figure.summary.providers == 4
    assert [c["firm"] for c in figure.summary.cheapest] == [
        "Gamma Wallet",
        "Beta Exchange",
        "Alpha Bank",
    ]
    assert [c["cost"] for c in figure.summary.cheapest] == [1.5, 2.5, 6.0]
    assert figure.summary.by_type == {"bank": 6.0, "mobile": 1.5, "mto": 2.75}
    # Both kinds stay live: the averages still answer corridors the new file lacks.
    assert {(kind, active) for _, kind, active in datasets(sessions)} == {
        (CORRIDOR_AVERAGES, True),
        (PROVIDER_PRICES, True),
    }


def test_a_corrected_file_for_the_same_quarter_replaces_the_old_one(sessions):
    first = remittances.import_bytes(sessions, PROVIDER_FILE, "a.csv")
    corrected = PROVIDER_FILE.replace(b"8.25", b"7.25")
    second = remittances.import_bytes(sessions, corrected, "b.csv")
    assert second.replaced == (first.dataset_id,)
    with sessions() as session:
        figure = remittances.corridor_cost(session, "QAT", "PHL")
    assert figure.summary.average_cost == pytest.approx((7.25 + 4.75) / 2)


def test_thousands_of_rows(sessions):
    lines = [HEADER]
    letters = string.ascii_uppercase
    for corridor in range(60):
        source, destination = "A" + letters[corridor // 26] + letters[corridor % 26], "NPL"
        for firm in range(50):
            lines.append(
                row("2024_1Q", source, destination, f"Firm {firm}", "Bank", f"{2 + firm * 0.1:.2f}")
            )
    result = remittances.import_bytes(sessions, "\n".join(lines).encode(), "big.csv")
    assert result.report.rows_used == 3000 and result.report.corridors == 60
    with sessions() as session:
        figure = remittances.corridor_cost(session, lines[1].split(",")[1], "NPL")
    assert figure.summary.average_cost == pytest.approx(2 + 0.1 * 49 / 2)
    assert [c["cost"] for c in figure.summary.cheapest] == [2.0, 2.1, 2.2]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"PK\x03\x04\x00\x00binary xlsx", "binary"),
        (b"name,value\nfoo,1\n", "header"),
        (HEADER.encode() + b"\n\n\n", "no usable prices"),
        (
            HEADER.encode() + b"\n" + row("2023_3Q", "ARE", "NPL", "A", "Bank", "250").encode(),
            "line 2: total cost 250.0% is out of range",
        ),
        (
            HEADER.encode() + b"\n" + row("2023_3Q", "ARE", "NPL", "A", "Bank", "abc").encode(),
            "line 2: the cost or margin is not a number",
        ),
        (
            HEADER.encode()
            + b"\n"
            + row("2023_3Q", "ARE", "NPL", "A", "Bank", "3", transparent="maybe").encode(),
            "line 2: 'transparent'",
        ),
        (
            HEADER.encode() + b"\n" + row("sometime", "ARE", "NPL", "A", "Bank", "3").encode(),
            "line 2: period",
        ),
        (
            HEADER.encode() + b"\n" + row("2023_3Q", "UAE1", "NPL", "A", "Bank", "3").encode(),
            "three-letter country codes",
        ),
    ],
    ids=[
        "empty",
        "binary",
        "header",
        "no-rows",
        "out-of-range",
        "not-a-number",
        "transparent",
        "period",
        "country",
    ],
)
def test_a_bad_file_is_refused_and_the_live_data_stays(sessions, data, reason):
    remittances.import_file(sessions, SHIPPED)
    before = datasets(sessions)
    with pytest.raises(RemittanceDataError) as refused:
        remittances.import_bytes(sessions, data, "bad.csv")
    assert reason in str(refused.value)
    assert datasets(sessions) == before
    with sessions() as session:
        assert session.execute(select(func.count(CorridorCost.id))).scalar() == 10417


def test_a_windows_1252_export_is_read():
    data = (HEADER + "\n" + row("2023_3Q", "FRA", "SEN", "Société Générale", "Bank", "9.5")).encode(
        "cp1252"
    )
    parsed = remittances.parse_file(data)
    assert parsed.summaries[0].cheapest[0]["firm"] == "Société Générale"


def test_regions_and_sdg_bands():
    regions = remittances.read_regions()
    assert remittances.regional_figure("NPL", regions).key == "south_asia"
    assert remittances.regional_figure("SEN", regions).key == "sub_saharan_africa"
    assert remittances.regional_figure("PHL", regions).key == "global"
    assert remittances.sdg_band(6.2) == "above_ceiling"
    assert remittances.sdg_band(4.64) == "above_target"
    assert remittances.sdg_band(2.9) == "below_target"


# --- refreshing from a URL, against a real HTTP server on loopback ---------------------
class Files(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/good.csv":
            self._send(200, PROVIDER_FILE)
        elif self.path == "/broken.csv":
            self._send(200, b"<html>Service unavailable</html>")
        elif self.path == "/error":
            self._send(500, b"oops")
        elif self.path == "/slow-start.csv":
            time.sleep(1.5)
            self._send(200, PROVIDER_FILE)
        elif self.path == "/trickle.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PROVIDER_FILE)))
            self.end_headers()
            for index in range(0, len(PROVIDER_FILE), 40):
                try:
                    self.wfile.write(PROVIDER_FILE[index : index + 40])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return
                time.sleep(0.2)
        elif self.path == "/huge.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        else:
            self._send(404, b"not found")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def file_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


LIMITS = FetchLimits(connect_timeout=2, read_timeout=0.5, total_seconds=2.0, max_bytes=10**6)


def test_refresh_swaps_in_a_good_file(sessions):
    remittances.import_file(sessions, SHIPPED)
    with file_server() as base:
        result = remittances.refresh(sessions, f"{base}/good.csv", LIMITS)
    assert result.changed and result.report.kind == PROVIDER_PRICES
    with sessions() as session:
        assert remittances.corridor_cost(session, "ARE", "NPL").summary.period == "2023-Q3"
        source = session.get(RemittanceDataset, result.dataset_id).source
    assert source.endswith("/good.csv")


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/broken.csv", "header is not one of a World Bank RPW file"),
        ("/error", "answered 500"),
        ("/missing.csv", "answered 404"),
        ("/slow-start.csv", "did not answer in time"),
        ("/trickle.csv", "took longer than 2 s"),
        ("/huge.csv", "more than the limit"),
    ],
)
def test_a_failed_refresh_leaves_the_data_in_place(sessions, path, reason):
    remittances.import_file(sessions, SHIPPED)
    before = datasets(sessions)
    with file_server() as base, pytest.raises(RemittanceDataError) as failed:
        remittances.refresh(sessions, f"{base}{path}", LIMITS)
    assert reason in str(failed.value)
    assert datasets(sessions) == before


def test_refresh_refuses_what_is_not_a_web_address(sessions):
    with pytest.raises(RemittanceDataError, match="Not an http"):
        remittances.refresh(sessions, "file:///etc/passwd", LIMITS)


def test_nothing_listens_there(sessions):
    with file_server() as base:
        pass  # the server is stopped: its port refuses connections
    with pytest.raises(RemittanceDataError, match="download failed"):
        remittances.refresh(sessions, f"{base}/good.csv", LIMITS)


def test_the_command_reports_a_refused_file_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    from knowledge.__main__ import main

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    assert main(["migrate"]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"name,value\n")
    assert main(["remittances", "import", str(bad)]) == 1
    assert "the knowledge base is unchanged" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(PROVIDER_FILE)
    assert main(["remittances", "import", str(good)]) == 0
    assert "is live" in capsys.readouterr().out
    assert main(["remittances", "cost", "are", "npl"]) == 0
    assert Path(tmp_path / "kb.db").exists()


def test_the_refresh_command_once(tmp_path, monkeypatch, capsys):
    from knowledge.__main__ import main

    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'kb.db'}")
    assert main(["migrate"]) == 0
    monkeypatch.delenv("ASSISTANT_REMITTANCES_URL", raising=False)
    assert main(["remittances", "refresh"]) == 2
    assert "ASSISTANT_REMITTANCES_URL" in capsys.readouterr().err
    with file_server() as base:
        assert main(["remittances", "refresh", "--url", f"{base}/broken.csv"]) == 1
        assert "the data in place is unchanged" in capsys.readouterr().err
        monkeypatch.setenv("ASSISTANT_REMITTANCES_URL", f"{base}/good.csv")
        assert main(["remittances", "refresh"]) == 0
    assert "is live" in capsys.readouterr().out
