"""Knowledge-base commands for staff and `make`:

    python -m knowledge build          migrate, ingest the documents, load the entries
    python -m knowledge migrate        bring the database schema up to date
    python -m knowledge ingest         (re-)ingest the source documents
    python -m knowledge load           load knowledge/entries/*.yml as new revisions
    python -m knowledge passages 001   show one document's passages and their labels
    python -m knowledge unanswered     the latest questions nobody answered

The database is ASSISTANT_DATABASE_URL (default: a SQLite file under var/)."""

import argparse
import sys
from typing import List, Optional, Text

from sqlalchemy import select

from knowledge import ingest
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.entries import EntryFileError
from knowledge.models import UnansweredQuestion
from knowledge.settings import load_settings
from knowledge.store import IngestError, ingest_documents, load_entries


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "migrate", "ingest", "load"):
        commands.add_parser(name)
    passages = commands.add_parser("passages")
    passages.add_argument("code", help="document code, e.g. 001")
    unanswered = commands.add_parser("unanswered")
    unanswered.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)

    settings = load_settings()
    if args.command == "passages":
        if args.code not in ingest.DOCUMENTS:
            print(f"No document {args.code!r}; known: {', '.join(ingest.DOCUMENTS)}",
                  file=sys.stderr)
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
            print(f"Documents ingested: {', '.join(report.ingested) or 'none'} "
                  f"({report.passages} passages); unchanged: "
                  f"{', '.join(report.unchanged) or 'none'}.")
        if args.command in ("build", "load"):
            loaded = load_entries(factory, settings.entries_dir, settings.references_file)
            print(f"Entries: {len(loaded.created)} new, {len(loaded.updated)} changed, "
                  f"{len(loaded.unchanged)} unchanged.")
        if args.command == "unanswered":
            with factory() as session:
                rows = session.execute(
                    select(UnansweredQuestion)
                    .order_by(UnansweredQuestion.asked_at.desc())
                    .limit(args.limit)
                ).scalars()
                for row in rows:
                    print(f"{row.asked_at:%Y-%m-%d %H:%M}  {row.language}  {row.text}")
    except (IngestError, EntryFileError) as error:
        print(f"{args.command} failed, the knowledge base is unchanged:\n{error}",
              file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
