"""Database refusals that are races, not bugs: two people acting at once on related cases.

A deadlock the database broke, a serialization failure, a lock wait that timed out, or a
unique/check constraint that fired because someone else got there first: the whole step has
been rolled back (nothing is half-done), and the person is told so with a 409 and a code.
"""
from django.db import IntegrityError, OperationalError
from django.utils.translation import gettext_lazy as _

from .errors import StateConflict

# PostgreSQL SQLSTATE → the API's code
RETRYABLE = {"40P01": "deadlock", "40001": "serialization_failure", "55P03": "lock_timeout"}
CONSTRAINTS = {"23505": "duplicate", "23514": "constraint_violated", "23P01": "duplicate"}


def _sqlstate(exc):
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)


def as_conflict(exc) -> StateConflict | None:
    """The 409 that ``exc`` stands for, or None when it is not a race."""
    state = _sqlstate(exc)
    if isinstance(exc, OperationalError):
        code = RETRYABLE.get(state)
        if code is None and "database is locked" in str(exc):  # SQLite's busy timeout
            code = "lock_timeout"
        if code:
            return StateConflict(_("Someone else is working on a related matter at the same time; nothing was changed. Please try again shortly."), code=code)
        return None
    if isinstance(exc, IntegrityError):
        code = CONSTRAINTS.get(state)
        if code is None and "UNIQUE constraint failed" in str(exc):
            code = "duplicate"
        if code is None and "CHECK constraint failed" in str(exc):
            code = "constraint_violated"
        if code == "duplicate":
            return StateConflict(_("The same record already exists (perhaps someone else just created it); nothing was changed."), code=code)
        if code:
            return StateConflict(_("This would break a data constraint (for example an amount above the available funds); nothing was changed."), code=code)
    return None
