"""Notify users: an in-app message now, in each recipient's language; mail and text messages
through Celery once the transaction commits, on the channels the recipient chose."""
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from engine.queueing import enqueue_or_leave

from . import tasks  # as a module: the periodic tasks import this one
from .kinds import CATEGORIES, CHANNELS, EMAIL, SMS, channels_for
from .models import Notification, Preferences


class Text:
    """A text rendered when it is read, in the reader's language: a ``gettext_lazy`` message
    and its parameters (which may be lazy too). ``notify`` renders the title and body of a
    notification once per recipient language, so pass these rather than ``gettext`` results."""

    def __init__(self, message, **params):
        self.message, self.params = message, params

    def __str__(self):
        text = str(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


def _language(preferences) -> str:
    return (preferences.language if preferences else "") or settings.LANGUAGE_CODE


def notify(users, *, title, body="", link: str = "", kind: str = "", reference: str = ""):
    """Create one notification per user (duplicates in ``users`` collapse), its title and body
    rendered in the user's language, and queue its mail and text message after the commit as
    the user's preferences for ``kind`` say (and the user has an address for them)."""
    recipients = {}
    for user in users:
        if user is not None:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return []
    preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=list(recipients))}
    created, rendered = [], {}
    for user in recipients.values():
        chosen = preferences.get(user.pk)
        language = _language(chosen)
        if language not in rendered:
            with translation.override(language):
                rendered[language] = (str(title)[:200], str(body))
        channels = channels_for(chosen.channels if chosen else None, kind)
        created.append(Notification(
            user=user, title=rendered[language][0], body=rendered[language][1], link=link, kind=kind,
            reference=reference, by_email=EMAIL in channels and bool(user.email),
            by_sms=SMS in channels and bool(user.phone),
        ))
    Notification.objects.bulk_create(created)
    # now for this transaction's own pages, and again at the commit for the others' (a count
    # read in between would be cached without the new rows)
    forget_unread(list(recipients))
    transaction.on_commit(lambda: forget_unread(list(recipients)))
    mails = [n.pk for n in created if n.pk and n.by_email]
    texts = [n.pk for n in created if n.pk and n.by_sms]
    if mails:
        transaction.on_commit(lambda: _queue(tasks.send_notification_emails, mails), robust=True)
    if texts:
        transaction.on_commit(lambda: _queue(tasks.send_notification_texts, texts), robust=True)
    return created


def _queue(task, ids):
    """With the broker down the page still answers; the outbox sweep sends the messages later."""
    enqueue_or_leave(task, ids, left_to="the notification outbox sweep")


def mark_read(*, user, notification_ids) -> int:
    """Mark the user's own notifications among ``notification_ids`` read (another user's are
    left alone); returns how many."""
    count = Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([user.pk])
    return count


def mark_all_read(*, user) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread([user.pk])
    return count


UNREAD_SECONDS = 60


def _unread_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """The header's count: cached for a minute and dropped whenever the user's notifications
    change, else one COUNT served by the (user, read_at, created_at) index."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_ids) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def preferences_of(user) -> Preferences:
    """The user's preferences, unsaved defaults when they have chosen nothing."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def preferences_save(*, user, channels: dict[str, set[str]]) -> Preferences:
    """Keep the channels the user chose for each category. Unknown categories or channels are
    refused (``ValueError``) and nothing changes."""
    unknown = set(channels) - set(CATEGORIES)
    unknown |= {channel for chosen in channels.values() for channel in chosen} - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown categories or channels: {sorted(unknown)}")
    with transaction.atomic():
        preferences, _ = Preferences.objects.select_for_update().get_or_create(user=user)
        preferences.channels = {name: sorted(chosen) for name, chosen in channels.items()}
        preferences.save(update_fields=["channels", "updated_at"])
    return preferences


def remember_language(*, user, language: str) -> None:
    """Record the language a signed-in user chose with the language switch: what is sent to
    them later (mail, text messages, in-app notifications) is written in it."""
    if language not in dict(settings.LANGUAGES):
        return
    with transaction.atomic():
        preferences, _ = Preferences.objects.select_for_update().get_or_create(user=user)
        if preferences.language != language:
            preferences.language = language
            preferences.save(update_fields=["language", "updated_at"])
