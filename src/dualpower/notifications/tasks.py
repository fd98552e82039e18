"""Background jobs of notifications: the fan-outs to whole audiences, and the emails."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from dualpower.notifications import audiences
from dualpower.notifications.models import Fanout, Notification

# People told per transaction by a fan-out: short enough that the write lock (SQLite's is the
# whole database) is held for a few milliseconds at a time.
FANOUT_CHUNK = 500


@task()
def fanout_run(fanout_id: int) -> int:
    """Write every notification of a fan-out (``services.notification_fanout``), chunk by chunk;
    returns how many were written. Run again, it carries on where it stopped: nobody twice."""
    told = 0
    while written := fanout_step(fanout_id):
        told += written
    return told


def fanout_step(fanout_id: int) -> int:
    """Tell the next chunk of a fan-out's audience, in one short transaction; 0 when it is done.

    The fan-out's row is locked while its chunk is written and its place moved on in the same
    transaction, so two jobs running the same fan-out take turns and never write a chunk twice.
    """
    with transaction.atomic():
        fanout = Fanout.objects.select_for_update().filter(pk=fanout_id, done_at=None).first()
        if fanout is None:
            return 0
        users = (
            audiences.user_ids(
                fanout.audience, fanout.audience_ref, after=fanout.last_user_id, limit=FANOUT_CHUNK
            )
            if audiences.is_known(fanout.audience)
            else []
        )
        if not users:
            fanout.done_at = timezone.now()
            fanout.save(update_fields=["done_at"])
            return 0
        rows = Notification.objects.bulk_create([fanout.notification_for(uid) for uid in users])
        fanout.last_user_id = users[-1]
        fanout.save(update_fields=["last_user_id"])
        if fanout.email:
            ids = [row.pk for row in rows if row.pk is not None]
            if not ids:  # databases that do not return ids from bulk_create
                ids = list(
                    Notification.objects.filter(
                        user_id__in=users, kind=fanout.kind, url=fanout.url, emailed_at=None
                    ).values_list("pk", flat=True)
                )
            transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return len(users)


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


# A fan-out is queued after its commit; if queueing failed (the process died between the commit and
# the queue) or its job died half-way, the clock finishes it. The wait keeps the clock from racing a
# job that is merely queued (the row lock would keep them from telling anyone twice anyway).
STRANDED_AFTER = timedelta(minutes=5)


def fanouts_finish(now: datetime) -> str:
    """The clock job: finish every fan-out left unfinished for a while. Idempotent."""
    stranded = Fanout.objects.filter(done_at=None, created_at__lte=now - STRANDED_AFTER)
    told = 0
    ids = list(stranded.order_by("id").values_list("id", flat=True)[:20])
    for fanout_id in ids:
        while written := fanout_step(fanout_id):
            told += written
    return f"fan-outs finished {len(ids)}, told {told}"
