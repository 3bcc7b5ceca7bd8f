"""Reference numbers taken at the end of the transaction that creates the case.

The counter of a prefix and year is one row; whoever takes a number holds its lock until
commit. Taken when the case is first saved, that lock covered the whole creation (flow start,
routing, notifications), so concurrent creations queued one behind the other. Instead, a
service that creates cases runs in ``case_creation()``:

    @case_creation()
    def request_create(*, actor, ...):
        case = CertificateRequest.objects.create(...)      # provisional reference
        audit_record(...)                                   # kept in memory
        CertificateFlow.start.run(case=case)                # routes copy the reference

A new case is saved with a provisional, unique reference (``FH-2026-~<batch>-0000000``) and
registered here; audit events are buffered. Just before the block's atomic section ends:
one ``UPDATE … RETURNING`` per prefix and year takes the whole block of numbers (the only
statement on the counter row, so it is locked only for the last few statements before COMMIT),
one UPDATE renumbers the cases, one each rewrites the rows that copied the reference in the
meantime (task routes, in-app notifications), and one INSERT writes the audit events, hashed
over the final numbers. Numbers stay unique and gap-free per process and year (a rollback
gives the block back); nothing outside the transaction ever sees a provisional reference.

Nested blocks join the outermost one (which numbers everything); a nested block that fails
forgets the cases and events it added, as its savepoint forgets their rows.
"""
import secrets
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, transaction
from django.db.models import Case as SqlCase
from django.db.models import When
from django.db.models.functions import Replace
from django.utils import timezone

from engine.audit.services import buffered_events, write_events
from engine.notifications.models import Notification

from .context import pending_cases
from .models import TaskRoute, format_reference, provisional_reference, take_numbers
from .search import search_key


@dataclass
class NewCases:
    """The cases created and the audit events recorded in one ``case_creation`` block."""

    started: datetime
    batch: str = field(default_factory=lambda: secrets.token_hex(6))
    cases: list = field(default_factory=list)
    events: list = field(default_factory=list)
    issued: int = 0

    def provisional(self, prefix: str, year: int) -> str:
        """A placeholder no other transaction can hold (the batch is random)."""
        reference = provisional_reference(prefix, year, self.batch, self.issued)
        self.issued += 1
        return reference

    @property
    def new_cases(self):
        return [case for case, _prefix, _year in self.cases]

    def register(self, case, year: int) -> None:
        """``case`` was saved with a provisional reference of its prefix and ``year``."""
        self.cases.append((case, case.REFERENCE_PREFIX, year))


@contextmanager
def case_creation():
    """An atomic block whose new cases get their final numbers, and whose audit events are
    written, just before it ends (see the module docstring). Usable as a decorator."""
    outer = pending_cases.get()
    if outer is not None:
        cases, events = len(outer.cases), len(outer.events)
        try:
            with transaction.atomic():
                yield outer
        except BaseException:
            del outer.cases[cases:], outer.events[events:]
            raise
        return
    work = NewCases(started=timezone.now())
    token = pending_cases.set(work)
    try:
        with transaction.atomic(), buffered_events(work.events):
            yield work
            finals = _number(work.cases, work.started)
            write_events(work.events, rewrite=_rewriter(finals))
    finally:
        pending_cases.reset(token)


def _number(registered, started) -> dict:
    """Give the registered cases their final numbers; returns {provisional: final}."""
    if not registered:
        return {}
    groups = defaultdict(list)
    for case, prefix, year in registered:
        groups[(type(case), prefix, year)].append(case)
    finals = {}
    # counters in one order everywhere, so two blocks creating cases of two processes never deadlock
    for (model, prefix, year), cases in sorted(groups.items(), key=lambda item: item[0][1:]):
        first = take_numbers(prefix, year, len(cases))
        for offset, case in enumerate(cases):
            finals[case.reference] = format_reference(prefix, year, first + offset)
        updated = model._base_manager.filter(pk__in=[c.pk for c in cases]).update(
            reference=SqlCase(*[When(pk=c.pk, then=models.Value(finals[c.reference])) for c in cases]),
        )
        if updated != len(cases):  # a case rolled back by an inner savepoint would leave a gap
            raise RuntimeError(f"numbered {updated} of {len(cases)} new {model._meta.label} cases")
    _rewrite_copies(finals, started)
    for case, _prefix, _year in registered:
        case.reference = finals[case.reference]
    return finals


def _rewrite_copies(finals: dict, started) -> None:
    """Rows written during the creation that copied a provisional reference: the routes of
    the first tasks (reference, and the case title that starts with it) and the in-app
    notifications about them (the mail is sent from these rows after the commit)."""
    provisional = list(finals)
    TaskRoute.objects.filter(reference__in=provisional).update(
        **{name: _renumbered(TaskRoute, name, finals) for name in ("reference", "case_title")},
        search_key=_renumbered(TaskRoute, "search_key", finals, search_key),
    )
    # not mailed yet and written since the block began: read through the partial index on created_at
    Notification.objects.filter(emailed_at__isnull=True, created_at__gte=started, reference__in=provisional).update(
        **{name: _renumbered(Notification, name, finals) for name in ("reference", "title", "body")},
    )


def _renumbered(model, name, finals, written=str):
    """``name`` with the row's provisional reference replaced by the final one, in SQL; both
    as ``name`` holds them (``written``: the search key's form, for instance)."""
    return SqlCase(
        *[When(reference=p, then=Replace(name, models.Value(written(p)), models.Value(written(f))))
          for p, f in finals.items()],
        default=models.F(name), output_field=model._meta.get_field(name),
    )


def _rewriter(finals: dict):
    def rewrite(text: str) -> str:
        if "~" in text:  # every provisional reference has one; final ones never do
            for provisional, final in finals.items():
                text = text.replace(provisional, final)
        return text

    return rewrite
