"""API tokens that expire and die with the session or the password that made them.

A token older than ``API_TOKEN_TTL_HOURS`` is refused (the client asks for a new one with its
password); logging out and changing the password delete the user's tokens, so a token copied
before either is worthless afterwards.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("The credentials have expired; please obtain new ones.")
    default_code = "token_expired"


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_is_expired(token: Token) -> bool:
    return token.created < timezone.now() - token_lifetime()


def token_issue(*, user) -> Token:
    """The user's current token, or a fresh one when there is none or it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_is_expired(token):
        token.delete()
        token = None
    if token is None:
        token, _created = Token.objects.get_or_create(user=user)
    return token


def tokens_revoke(*, user) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token is older than its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise TokenExpired()
        return user, token


def revoke_on_logout(sender, request, user, **kwargs):
    if user is not None:
        tokens_revoke(user=user)


def revoke_on_password_change(sender, instance, created, **kwargs):
    # set_password() keeps the raw password in _password until save() has run its hooks:
    # a save that carries one is a password change (or the first password of a new user).
    if not created and getattr(instance, "_password", None) is not None:
        tokens_revoke(user=instance)


def connect_signals():
    user_logged_out.connect(revoke_on_logout, dispatch_uid="api_tokens_revoke_on_logout")
    post_save.connect(revoke_on_password_change, sender=get_user_model(),
                      dispatch_uid="api_tokens_revoke_on_password_change")
