"""Reading the mail folder: the messages Django's file email backend wrote, newest first.

The backend writes one file per connection (``YYYYmmdd-HHMMSS-<n>.log``), each message as its
raw bytes followed by a line of 79 dashes. Only the newest files are opened, so a folder that grew
over months costs no more than one that holds a day's mail.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.utils.html import strip_tags

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
# A file bigger than this was not written by the node's mail: it is skipped, not read.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SentMail:
    key: str
    subject: str
    sender: str
    recipients: tuple[str, ...]
    sent_at: datetime | None
    body: str


def mail_folder() -> Path | None:
    """The folder the node writes its mail into, or None when it sends mail (a mail server)."""
    if settings.EMAIL_BACKEND != FILE_BACKEND:
        return None
    path = getattr(settings, "EMAIL_FILE_PATH", None)
    return Path(path) if path else None


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):  # an unknown charset: show what can be shown
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return str(text).strip()


def _parse(raw: bytes, key: str) -> SentMail | None:
    if not raw.strip():
        return None
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        return None
    try:
        sent_at: datetime | None = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:  # "-0000": Django writes UTC that way
        sent_at = sent_at.replace(tzinfo=UTC)
    addresses = getaddresses([str(v) for v in (message.get_all("To", []) + message.get_all("Cc", []))])
    return SentMail(
        key=key,
        subject=str(message["Subject"] or ""),
        sender=str(message["From"] or ""),
        recipients=tuple(address for _name, address in addresses if address),
        sent_at=sent_at,
        body=_body(message),
    )


def _messages_in(path: Path) -> list[SentMail]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return []
        content = path.read_bytes()
    except OSError:  # removed meanwhile, or not readable: not the node's mail
        return []
    found = []
    for index, raw in enumerate(content.split(SEPARATOR)):
        parsed = _parse(raw, f"{path.stem}-{index}")
        if parsed is not None:
            found.append(parsed)
    return found


def mail_sent(*, limit: int = 50) -> tuple[list[SentMail], bool]:
    """The ``limit`` newest messages in the mail folder, newest first, and whether there are more."""
    folder = mail_folder()
    if folder is None or not folder.is_dir():
        return [], False
    files = sorted((p for p in folder.iterdir() if p.suffix == ".log" and p.is_file()), reverse=True)
    found: list[SentMail] = []
    read = 0
    last_second = ""
    for path in files:
        # Files are named to the second ("20261206-163500-<n>.log"): once there are enough, the
        # other files of the same second are read too, and the Date headers order them all.
        if len(found) >= limit and path.name[:15] != last_second:
            break
        found.extend(reversed(_messages_in(path)))  # within a file, the last written is the newest
        last_second = path.name[:15]
        read += 1
    found.sort(key=lambda mail: mail.sent_at.timestamp() if mail.sent_at else 0.0, reverse=True)
    return found[:limit], len(found) > limit or read < len(files)
