"""Background jobs of notifications: the emails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.utils import timezone, translation
from django_tasks import task

from dualpower.notifications.models import Notification


@task()
def send_notification_emails(ids: list[int]) -> int:
    """Email each notification not yet emailed, once (a retried job sends nothing twice)."""
    pending = Notification.objects.filter(pk__in=ids, emailed_at=None).select_related("user")
    base = settings.SITE_URL
    languages = {code for code, _name in settings.LANGUAGES}
    messages = []
    sent_ids = []
    for note in pending:
        if not note.user.is_active or not note.user.email:
            continue
        link = f"\n\n{base}{note.url}" if note.url else ""
        # In the reader's language, not the one the sending request or job ran in.
        language = note.user.preferred_language
        with translation.override(language if language in languages else settings.LANGUAGE_CODE):
            title, body = note.title_text, note.body_text
        messages.append(
            EmailMessage(
                subject=f"[dualpower] {' '.join(title.split())}",
                body=f"{body}{link}".strip() or title,
                to=[note.user.email],
            )
        )
        sent_ids.append(note.pk)
    if messages:
        get_connection().send_messages(messages)
        Notification.objects.filter(pk__in=sent_ids).update(emailed_at=timezone.now())
    return len(messages)
