"""Signing in and leaving forms safely (issue 13, item 7).

Reproduced before the fix: 50 wrong passwords in a row on /api/auth/token/ all got 400 (no
throttle); a token issued long ago still worked; the consent form redirected to
``next=https://evil.example/``; a GET of the case release page wrote a ``case.released`` audit row.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.api.auth import LoginRateThrottle
from cases.models import AuditEvent, Role
from cases.services.photos import photo_upload
from tests.images import jpeg_bytes


@pytest.fixture
def low_rate(monkeypatch):
    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    cache.clear()
    yield
    cache.clear()


def test_token_endpoint_is_throttled(small_tree, low_rate):
    client = APIClient()
    url = reverse("api-token")
    codes = [client.post(url, {"username": "owner", "password": "wrong"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_login_page_is_throttled(small_tree, low_rate, client):
    url = reverse("login")
    codes = [client.post(url, {"username": "owner", "password": "wrong"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many log-in attempts" in client.post(url, {"username": "owner", "password": "x"}).content.decode()


def test_tokens_expire(small_tree, settings):
    owner = small_tree.users[Role.OWNER]
    owner.set_password("pw-long-enough")
    owner.save()
    client = APIClient()
    issued = client.post(reverse("api-token"), {"username": "owner", "password": "pw-long-enough"}).json()
    assert issued["expires"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    trees = reverse("api-tree-list")
    assert client.get(trees).status_code == 200
    Token.objects.filter(key=issued["token"]).update(
        created=Token.objects.get(key=issued["token"]).created
        - datetime.timedelta(hours=settings.KINSHIP_TOKEN_LIFETIME_HOURS)
    )
    expired = client.get(trees)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    fresh = APIClient().post(reverse("api-token"), {"username": "owner", "password": "pw-long-enough"}).json()
    assert fresh["token"] != issued["token"]


@pytest.mark.parametrize(
    "target, safe",
    [
        ("https://evil.example/phish", False),
        ("//evil.example/", False),
        ("/trees/", True),
    ],
)
def test_consent_form_redirects_only_within_the_site(small_tree, client, target, safe):
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(), persons=[small_tree.father])
    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(
        reverse("photo-consent", kwargs={"tree_id": small_tree.tree.pk, "photo_id": photo.pk}),
        {"consent": "yes", "given_by": "him", "next": target},
    )
    assert response.status_code == 302
    assert (response["Location"] == target) is safe
    assert "evil" not in response["Location"]


def test_case_release_is_not_a_get(case_tree, client):
    client.force_login(case_tree.users[Role.CASEWORKER])
    url = reverse("case-release", kwargs={"tree_id": case_tree.tree.pk, "case_id": case_tree.case.pk})
    assert client.get(url).status_code == 405
    assert not AuditEvent.objects.filter(action="case.released").exists()
    response = client.post(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="case.released").count() == 1
