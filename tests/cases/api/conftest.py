"""Fixtures shared by the API tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(small_tree):
    """``api(role)``: an API client signed in as the small tree's member with that role."""

    def client_for(role):
        client = APIClient()
        client.force_authenticate(small_tree.users[role])
        return client

    return client_for
