"""Signing in to the API and the pages: throttled log-in attempts and API tokens that expire."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from cases.api.tokens import token_expired


class LoginRateThrottle(SimpleRateThrottle):
    """Limit log-in attempts per client address (rate ``DEFAULT_THROTTLE_RATES["login"]``), in the cache."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ObtainExpiringToken(ObtainAuthToken):
    """Exchange a username and password for a token: throttled; an expired token is replaced."""

    throttle_classes = [LoginRateThrottle]

    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        expires = token.created + datetime.timedelta(hours=settings.KINSHIP_TOKEN_LIFETIME_HOURS)
        return Response({"token": token.key, "expires": expires.isoformat()})


class ThrottledLoginView(auth_views.LoginView):
    """Django's log-in page with the API's log-in throttle on form posts."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        throttle = LoginRateThrottle()
        if not throttle.allow_request(request, self):
            wait = int(throttle.wait() or 60)
            # An unbound form: a throttled attempt must not reach authenticate() at all.
            response = self.render_to_response(
                self.get_context_data(
                    form=self.get_form_class()(request=request),
                    throttled=f"Too many log-in attempts; try again in {wait} seconds.",
                )
            )
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
