"""Errors a service raises; the API and the UI turn each into its status and message."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class DomainError(Exception):
    """Base: a rule refused the action. Nothing was changed."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"
    default_message = _("The action did not pass the business rules.")

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields
        super().__init__(str(self.message))

    def as_api_exception(self):
        if self.status_code == 400:
            exc = exceptions.ValidationError(self.fields or {"non_field_errors": [str(self.message)]})
        else:
            exc = exceptions.APIException(str(self.message))
            exc.status_code = self.status_code
        exc.code_override = self.code
        return exc


class RuleViolation(DomainError):
    """400: the input breaks a domain rule."""


class NotAllowed(DomainError):
    """403: the actor lacks the right for this action."""

    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    """404: nothing there, or nothing the actor may know of."""

    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = _("Not found.")


class StateConflict(DomainError):
    """409: not possible in the current state (transition, claim, deadline)."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = _("This cannot be done in the current state.")
