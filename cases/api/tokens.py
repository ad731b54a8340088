"""API tokens that expire: the authentication class lives apart so DRF's settings can import it early."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token: Token, *, now: datetime.datetime | None = None) -> bool:
    """Return whether a token is older than ``KINSHIP_TOKEN_LIFETIME_HOURS``."""
    lifetime = datetime.timedelta(hours=settings.KINSHIP_TOKEN_LIFETIME_HOURS)
    return (now or timezone.now()) - token.created >= lifetime


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses (and deletes) tokens past their lifetime."""

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed("The token has expired; ask /api/auth/token/ for a new one.")
        return user, token
