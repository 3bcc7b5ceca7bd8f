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
            return StateConflict(_("其他人正在同时办理相关事项，本次操作未生效，请稍后重试。"), code=code)
        return None
    if isinstance(exc, IntegrityError):
        code = CONSTRAINTS.get(state)
        if code is None and "UNIQUE constraint failed" in str(exc):
            code = "duplicate"
        if code is None and "CHECK constraint failed" in str(exc):
            code = "constraint_violated"
        if code == "duplicate":
            return StateConflict(_("相同的记录已经存在（可能刚由他人创建），本次操作未生效。"), code=code)
        if code:
            return StateConflict(_("这项操作会违反数据约束（例如金额超出可用额度），未生效。"), code=code)
    return None
