"""Cases, their reference numbers, and the routing of their tasks to department queues.

A process's case model (``Tender``, ``IncubationApplication`` …) subclasses ``Case``; its human
steps become viewflow tasks, and each task gets a ``TaskRoute``: the department and role whose
queue it waits in, its due time on the working-day calendar (D2) and its escalation state.
Queue reads use the route table alone, so they stay indexed and cheap at any size (D1).
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Case as SqlCase
from django.db.models import When
from django.db.models.functions import Cast, Concat, LPad, Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin
from viewflow.workflow.models import Process, Task

from engine.directory.models import Department, Role
from engine.processes import process_label, step_title

from .context import pending_cases


class ReferenceSequence(models.Model):
    """The last number handed out per prefix and year; rows are locked to stay gap-free."""

    prefix = models.CharField(_("prefix"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("reference number sequence")
        verbose_name_plural = _("reference number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")]

    def __str__(self):
        return gettext("%(prefix)s numbers of %(year)s") % {"prefix": self.prefix, "year": self.year}


def take_numbers(prefix: str, year: int, count: int = 1) -> int:
    """Add ``count`` to the counter of ``prefix``/``year`` and return the first number of the
    block (``first .. first + count - 1``): one ``UPDATE … RETURNING`` (an upsert for the
    year's first number). The statement locks the counter row until the caller's transaction
    ends, so blocks are unique and gap-free and a rollback gives its block back; call it as
    late in the transaction as possible (``engine.cases.numbering`` calls it just before the
    end), since every other creator of the same prefix waits for that row."""
    if count < 1:
        raise ValueError("count must be at least 1")
    quote = connection.ops.quote_name
    table, last = quote(ReferenceSequence._meta.db_table), quote("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + %s WHERE prefix = %s AND year = %s RETURNING {last}",
            [count, prefix, year],
        )
        row = cursor.fetchone()
        if row is None:  # the year's first number; a concurrent first creator makes this an update
            cursor.execute(
                f"INSERT INTO {table} (prefix, year, {last}) VALUES (%s, %s, %s) ON CONFLICT (prefix, year) "
                f"DO UPDATE SET {last} = {table}.{last} + EXCLUDED.{last} RETURNING {last}",
                [prefix, year, count],
            )
            row = cursor.fetchone()
    return row[0] - count + 1


def next_number(prefix: str, year: int) -> int:
    """Take the next number of ``prefix``/``year`` now, inside the caller's transaction; the
    counter row stays locked until that transaction ends (see :func:`take_numbers`)."""
    return take_numbers(prefix, year, 1)


def next_numbers(prefix: str, year: int, count: int) -> int:
    """Take ``count`` consecutive numbers of ``prefix``/``year`` in one locked update and return
    the first. Used by imports, which number a whole batch of new rows at once."""
    return take_numbers(prefix, year, count)


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def provisional_reference(prefix: str, year: int, batch: str, offset: int) -> str:
    """A placeholder for row ``offset`` (from 0) of ``batch`` until ``number_batch`` numbers it."""
    return f"{provisional_prefix(prefix, year, batch)}{offset:07d}"


def provisional_prefix(prefix: str, year: int, batch: str) -> str:
    return f"{prefix}-{year}-~{batch}-"


def number_batch(queryset, field: str, prefix: str, year: int, batch: str, count: int) -> int:
    """Number the ``count`` rows of ``queryset`` that hold ``batch``'s placeholders in ``field``,
    in the placeholders' order, from one block taken now; one UPDATE. An import calls it last,
    so the counter row is held from here to the commit, not for the whole import."""
    if not count:
        return 0
    first = next_numbers(prefix, year, count)
    start = len(provisional_prefix(prefix, year, batch)) + 1
    number = models.Value(first) + Cast(Substr(field, start), models.BigIntegerField())
    text = Cast(number, models.CharField())
    updated = queryset.filter(**{f"{field}__startswith": provisional_prefix(prefix, year, batch)}).update(**{
        field: Concat(models.Value(f"{prefix}-{year}-"), SqlCase(
            When(GreaterThanOrEqual(number, 1_000_000), then=text), default=LPad(text, 6, models.Value("0")),
        ), output_field=models.CharField()),
    })
    if updated != count:
        raise RuntimeError(f"numbered {updated} of {count} rows of batch {batch}")
    return first


class CaseQuerySet(models.QuerySet):
    def by_reference(self, reference: str):
        return self.get(reference=reference)


class Case(FSMModelMixin, models.Model):
    """Base of every process's case: a reference number, an owning department, a flow process.

    Subclasses set ``REFERENCE_PREFIX`` (e.g. ``"FH"``), declare ``status = FSMField(
    protected=True)`` with their transitions, and list their ``FINAL_STATES``.
    """

    REFERENCE_PREFIX: str = ""
    FINAL_STATES: tuple = ()
    PROCESS_NAME: str = ""
    # D7: the one-line title, composed in the reader's language whenever it is shown (never
    # stored composed): ``TITLE_FORMAT``, a format marked for translation with ``%(reference)s``
    # and the arguments named in ``TITLE_FIELDS`` ({argument: field path, "a__b" across a
    # relation}), whose values are data and stay as typed. Task routes store the arguments
    # (``TaskRoute.case_title_args``) and compose the title for each reader without a query.
    TITLE_FORMAT = "%(reference)s"
    TITLE_FIELDS: dict = {}

    reference = models.CharField(pgettext_lazy("case", "reference number"), max_length=32, unique=True, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=pgettext_lazy("case", "handling department"), on_delete=models.PROTECT, related_name="+",
    )
    flow_process = models.OneToOneField(
        Process, verbose_name=pgettext_lazy("case", "process instance"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("case", "created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("case", "created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(pgettext_lazy("case", "updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.reference or _("%(case)s (no reference number yet)") % {"case": self._meta.verbose_name}

    def save(self, *args, **kwargs):
        """A new case inside ``numbering.case_creation`` gets a provisional reference, replaced
        by its final number just before that block ends; elsewhere it takes its number now."""
        new_cases = None
        if not self.reference:
            year = timezone.localdate(self.created_at).year
            new_cases = pending_cases.get()
            if new_cases is not None:
                self.reference = new_cases.provisional(self.REFERENCE_PREFIX, year)
            else:
                self.reference = format_reference(
                    self.REFERENCE_PREFIX, year, next_number(self.REFERENCE_PREFIX, year)
                )
        super().save(*args, **kwargs)
        if new_cases is not None:
            new_cases.register(self, year)

    def clean_fields(self, exclude=None):
        """The status is protected and moves only by transitions: validation leaves it alone
        (assigning a protected FSM field, as ``clean_fields`` does, would raise)."""
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATES

    def title_args(self) -> dict:
        """The values of ``TITLE_FIELDS`` (the data the title names besides the reference)."""
        args = {}
        for name, path in self.TITLE_FIELDS.items():
            value = self
            for part in path.split("__"):
                value = getattr(value, part, None) if value is not None else None
            args[name] = "" if value is None else str(value)
        return args

    def case_title(self) -> str:
        """One line for queues and notifications in the active language (D7); subclasses say
        what the case is about with ``TITLE_FORMAT`` and ``TITLE_FIELDS``, not by overriding."""
        if not self.reference:
            return str(self)
        return compose_case_title(type(self), self.reference, self.title_args())

    def search_words(self) -> list[str]:
        """Names the case is found by besides its reference and title (the organization, the
        volunteer), written onto its task routes' search key when they are created."""
        return []

    def visible_to(self, user) -> bool:
        """Who may see this case beyond the departments that worked on it (applicants …)."""
        return False

    def conflicts_with(self, user) -> bool:
        """D3: ``user`` may not work any task of this case (a member of the applicant, a
        declared conflict). The engine checks it on claim, reassign, delegate and completion."""
        return False

    def parties_among(self, user_ids) -> set[int]:
        """D3 for many people at once (the reassign and delegate pickers): the ids among
        ``user_ids`` that ``conflicts_with`` refuses. A process that declares conflicts answers
        in one query; this default asks ``conflicts_with`` person by person."""
        user_model = self._meta.get_field("created_by").related_model
        return {pk for pk in user_ids if self.conflicts_with(user_model(pk=pk))}

    def get_absolute_url(self):
        """The engine's case page (history and flow chart); a process with its own file of the
        case links there instead."""
        return reverse("tasks:case", args=[self.reference])


def compose_case_title(model, reference: str, args, stored: str = "") -> str:
    """D7: the title of a case of ``model`` in the active language, from its reference and its
    title arguments (``Case.title_args``); ``stored``, the title composed when the task was made,
    when the arguments are unknown (``None``: a row older than them) or no longer fit the format."""
    if args is None or model is None:
        return stored or reference
    try:
        return str(getattr(model, "TITLE_FORMAT", "%(reference)s")) % {**args, "reference": reference}
    except (KeyError, TypeError, ValueError):
        return stored or reference


def route_case_title(case_type_id, reference: str, args, stored: str = "") -> str:
    """``compose_case_title`` for a task route's columns; the case's model from the content-type
    cache (no query once it is warm, as in a running server)."""
    model = ContentType.objects.get_for_id(case_type_id).model_class() if args is not None else None
    return compose_case_title(model, reference, args, stored)


class TaskRouteQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED])


class TaskRoute(models.Model):
    """Where one human task waits: department and role, who holds it, when it is due (D1, D2)."""

    class State(models.TextChoices):
        OPEN = "open", _("Unclaimed")
        CLAIMED = "claimed", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    task = models.OneToOneField(Task, on_delete=models.CASCADE, primary_key=True, related_name="route")
    process_name = models.CharField(_("process"), max_length=32)
    node = models.CharField(_("step"), max_length=64)
    step_title = models.CharField(_("step title"), max_length=64)
    case_type = models.ForeignKey(ContentType, verbose_name=_("kind of case"), on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField(_("case number in its table"))
    reference = models.CharField(_("case reference"), max_length=32, db_index=True)
    # the title composed in the language active when the task was made (found by admin search;
    # shown only when ``case_title_args`` is unknown): pages show ``display_case_title`` (D7)
    case_title = models.CharField(_("case"), max_length=200)
    case_title_args = models.JSONField(_("case title arguments"), null=True, blank=True, editable=False)
    # engine.cases.search: reference, title and names, lower-cased and each character doubled,
    # under a trigram index on PostgreSQL (migration 0007_route_search)
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="task_routes"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegate"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Works the task while it is delegated, then hands it back to the owner (the owner does not change)."),
    )
    personal = models.BooleanField(
        _("assigned in person"), default=False,
        help_text=_("Assigned to a named person when the process created it (e.g. a review expert): not in a department queue and cannot be returned to one."),
    )
    priority = models.SmallIntegerField(_("priority"), default=0)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    due_provisional = models.BooleanField(
        _("due date provisional"), default=False, help_text=_("The due date falls in a year whose official holiday schedule is not yet published.")
    )
    sla_working_days = models.PositiveSmallIntegerField(_("time allowed (working days)"))
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    escalate_after = models.DateTimeField(_("escalate after"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    escalated_from = models.ForeignKey(
        Department, verbose_name=_("escalated from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=32, blank=True)

    objects = TaskRouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("task")
        indexes = [
            # department queue page: open tasks of (department, role) by due time
            models.Index(fields=["department", "role", "state", "due_at"], name="route_queue_idx"),
            # the queue page's exact order over open tasks only (a twentieth of the table): a
            # page is the first rows of one department's range, not a sort of its whole queue
            # (role last: the role filter is read from the index, no table row per skipped task)
            models.Index(
                fields=["department", "-priority", "due_at", "task", "role"],
                condition=models.Q(state="open"), name="route_queue_page_idx",
            ),
            # inbox: what a user holds
            models.Index(fields=["owner", "state", "due_at"], name="route_inbox_idx"),
            models.Index(fields=["delegate", "state", "due_at"], name="route_delegate_idx"),
            # archive: what a user finished
            models.Index(fields=["completed_by", "completed_at"], name="route_archive_idx"),
            # SLA sweep
            models.Index(fields=["state", "due_at"], name="route_sweep_idx"),
            models.Index(fields=["case_type", "case_id"], name="route_case_idx"),
            # D3 in the queue: the open routes of a step on the few cases a user may not work
            # (selectors.refused_route_ids), found without reading the step's whole queue
            models.Index(fields=["case_type", "node", "case_id"], condition=models.Q(state="open"),
                         name="route_refusal_idx"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.display_step_title}"

    @property
    def display_step_title(self) -> str:
        """D7: the step's title in the reader's language (``step_title`` keeps the language of
        the moment the task was made), from the flow definition."""
        return step_title(self.process_name, self.node, self.step_title)

    @property
    def display_case_title(self) -> str:
        """D7: the case's title in the reader's language, composed from the stored arguments
        (``Case.TITLE_FORMAT``); ``case_title`` keeps the language of the moment the task was made."""
        return route_case_title(self.case_type_id, self.reference, self.case_title_args, self.case_title)

    @property
    def process_label(self) -> str:
        """D7: the process's name in the reader's language."""
        return process_label(self.process_name)

    @property
    def is_open(self):
        return self.state in (self.State.OPEN, self.State.CLAIMED)

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def is_overdue(self):
        return self.is_open and self.due_at < timezone.now()

    @property
    def holder_id(self):
        """Who works on it now: the delegate while delegated, else the owner."""
        return self.delegate_id or self.owner_id

    def get_absolute_url(self):
        return reverse("tasks:task", args=[self.pk])
