"""Terminal chat with the running assistant over its REST channel (`make chat`).

Buttons are numbered: type the number to press one. /lang xx forces a language."""

import argparse
import sys
import uuid
from typing import Any, Dict, List, Optional, Text

import requests


def send(url: Text, sender: Text, text: Text, language: Optional[Text]) -> List[Dict[Text, Any]]:
    body: Dict[Text, Any] = {"sender": sender, "message": text}
    if language:
        body["metadata"] = {"language": language}
    response = requests.post(f"{url}/webhooks/rest/webhook", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    buttons: List[Dict[Text, Any]] = []
    language: Optional[Text] = None
    print("Type a message (Ctrl-D to quit). Numbers press buttons; /lang xx forces a language.")
    for line in sys.stdin if not sys.stdin.isatty() else iter(lambda: input("you> "), None):
        text = line.strip()
        if text.startswith("/lang "):
            language = text.split(maxsplit=1)[1]
            continue
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = send(args.url, sender, text, language)
        except requests.RequestException as error:
            print(f"[cannot reach the assistant at {args.url}: {error}]")
            continue
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"bot> {reply['text']}")
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, KeyboardInterrupt):
        print()
