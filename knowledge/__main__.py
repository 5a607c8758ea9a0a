"""Knowledge-base commands for staff and `make`:

    python -m knowledge build          migrate, ingest the documents, load the entries
    python -m knowledge migrate        bring the database schema up to date
    python -m knowledge ingest         (re-)ingest the source documents
    python -m knowledge load           load knowledge/entries/*.yml as new revisions
    python -m knowledge passages 001   show one document's passages and their labels
    python -m knowledge unanswered     the latest questions nobody answered
    python -m knowledge fees           load knowledge/fee_rules.yml (and list the live rules)
    python -m knowledge remittances import FILE     load a World Bank RPW CSV file
    python -m knowledge remittances refresh [--url URL] [--every SECONDS]
                                       fetch the file at URL (ASSISTANT_REMITTANCES_URL)
                                       and swap it in; with --every, keep doing it
    python -m knowledge remittances list            the datasets, which are live
    python -m knowledge remittances cost QAT NPL    a corridor's latest figure

The database is ASSISTANT_DATABASE_URL (default: a SQLite file under var/)."""

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional, Text

from sqlalchemy import select

from knowledge import ingest, remittances
from knowledge.calculator_data import load_fee_rules, load_shipped_prices
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.entries import EntryFileError
from knowledge.fees import FeeRuleError, live_rules
from knowledge.models import UnansweredQuestion
from knowledge.settings import load_settings
from knowledge.store import IngestError, ingest_documents, load_entries


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "migrate", "ingest", "load"):
        commands.add_parser(name)
    passages = commands.add_parser("passages")
    passages.add_argument("code", help="document code, e.g. 001")
    unanswered = commands.add_parser("unanswered")
    unanswered.add_argument("--limit", type=int, default=50)
    commands.add_parser("fees")
    prices = commands.add_parser("remittances")
    actions = prices.add_subparsers(dest="action", required=True)
    imported = actions.add_parser("import")
    imported.add_argument("file", type=Path)
    refresh = actions.add_parser("refresh")
    refresh.add_argument("--url", help="default: ASSISTANT_REMITTANCES_URL")
    refresh.add_argument(
        "--every",
        type=float,
        metavar="SECONDS",
        help="keep refreshing at this interval (a failed try is retried then)",
    )
    actions.add_parser("list")
    cost = actions.add_parser("cost")
    cost.add_argument("sending")
    cost.add_argument("receiving")
    args = parser.parse_args(argv)

    settings = load_settings()
    if args.command == "passages":
        if args.code not in ingest.DOCUMENTS:
            print(
                f"No document {args.code!r}; known: {', '.join(ingest.DOCUMENTS)}", file=sys.stderr
            )
            return 2
        print(ingest.dump(args.code))
        return 0
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    try:
        if args.command in ("build", "migrate"):
            upgrade(engine)
            print(f"Schema up to date ({engine.url.render_as_string(hide_password=True)}).")
        if args.command in ("build", "ingest"):
            report = ingest_documents(factory, settings.documents_dir)
            print(
                f"Documents ingested: {', '.join(report.ingested) or 'none'} "
                f"({report.passages} passages); unchanged: "
                f"{', '.join(report.unchanged) or 'none'}."
            )
        if args.command in ("build", "load"):
            loaded = load_entries(factory, settings.entries_dir, settings.references_file)
            print(
                f"Entries: {len(loaded.created)} new, {len(loaded.updated)} changed, "
                f"{len(loaded.unchanged)} unchanged"
                + (
                    f", {len(loaded.kept)} kept as staff changed them in the web app "
                    f"({', '.join(loaded.kept)})."
                    if loaded.kept
                    else "."
                )
            )
        if args.command in ("build", "fees"):
            print(load_fee_rules(factory, settings))
        if args.command == "build":
            print(load_shipped_prices(factory, settings))
        if args.command == "fees":
            with factory() as session:
                for rule in live_rules(session):
                    print(f"{rule.key:32} {rule.jurisdiction} {rule.kind:10} {rule.review_status}")
        if args.command == "remittances":
            return remittance_command(args, factory, settings)
        if args.command == "unanswered":
            with factory() as session:
                rows = session.execute(
                    select(UnansweredQuestion)
                    .order_by(UnansweredQuestion.asked_at.desc())
                    .limit(args.limit)
                ).scalars()
                for row in rows:
                    print(f"{row.asked_at:%Y-%m-%d %H:%M}  {row.language}  {row.text}")
    except (IngestError, EntryFileError, FeeRuleError, remittances.RemittanceDataError) as error:
        print(f"{args.command} failed, the knowledge base is unchanged:\n{error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def remittance_command(args, factory, settings) -> int:
    if args.action == "import":
        show(remittances.import_file(factory, args.file, "command line"))
    elif args.action == "list":
        with factory() as session:
            print("\n".join(remittances.describe_datasets(session)) or "No datasets.")
    elif args.action == "cost":
        with factory() as session:
            figure = remittances.corridor_cost(
                session, args.sending.upper(), args.receiving.upper()
            )
        if figure is None:
            print("No figure for this corridor in the live data.")
            return 1
        print(figure)
    elif args.action == "refresh":
        url = args.url or settings.remittances_url
        if not url:
            print("No URL: pass --url or set ASSISTANT_REMITTANCES_URL.", file=sys.stderr)
            return 2
        while True:
            try:
                show(remittances.refresh(factory, url))
                failed = False
            except remittances.RemittanceDataError as error:
                print(f"Refresh failed, the data in place is unchanged:\n{error}", file=sys.stderr)
                failed = True
            if not args.every:
                return 1 if failed else 0
            time.sleep(args.every)
    return 0


def show(result: "remittances.ImportResult") -> None:
    if not result.changed:
        print(f"Unchanged: this file is already live (dataset #{result.dataset_id}).")
        return
    replaced = ", ".join(f"#{n}" for n in result.replaced) or "none"
    print(f"Dataset #{result.dataset_id} is live; replaced: {replaced}. {result.report.summary()}")


if __name__ == "__main__":
    sys.exit(main())
