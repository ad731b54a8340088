"""Case material follows the living-person rule (issue 13, item 3).

Before: an auditor's case page and API named the living missing person ("Eve Old", age today) and
the living favoured parent ("Diana Young"). Now auditors see the case's facts and "Living person"
unless their membership grants ``can_see_living``; assigned caseworkers see names.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Membership, Role
from tests.pages import without_csrf_tokens


def _case_api(user, case_tree):
    client = APIClient()
    client.force_authenticate(user)
    url = reverse("api-case-detail", kwargs={"tree_id": case_tree.tree.pk, "case_id": case_tree.case.pk})
    return client.get(url).json()


def _case_page(client, user, case_tree) -> str:
    client.force_login(user)
    response = client.get(reverse("case-detail", kwargs={"tree_id": case_tree.tree.pk, "case_id": case_tree.case.pk}))
    assert response.status_code == 200
    return without_csrf_tokens(response.content.decode())


def test_auditor_sees_case_facts_but_not_living_names(case_tree, client):
    auditor = case_tree.users[Role.AUDITOR]
    data = _case_api(auditor, case_tree)
    assert data["missing_person_name"] == "Living person"
    assert data["number"] == "2026-001" and data["circumstances"] == "Secret circumstances"
    page = _case_page(client, auditor, case_tree)
    assert "Eve" not in page and "Diana" not in page and "age today" not in page
    assert "Living person" in page and "Last seen in a red coat." in page


def test_auditor_granted_living_sees_names(case_tree, client):
    auditor = case_tree.users[Role.AUDITOR]
    Membership.objects.filter(tree=case_tree.tree, user=auditor).update(can_see_living=True)
    assert _case_api(auditor, case_tree)["missing_person_name"] == "Eve Old"
    page = _case_page(client, auditor, case_tree)
    assert "Eve Old" in page and "Diana Young" in page and "age today" in page


def test_assigned_caseworker_sees_names(case_tree, client):
    worker = case_tree.users[Role.CASEWORKER]
    assert _case_api(worker, case_tree)["missing_person_name"] == "Eve Old"
    page = _case_page(client, worker, case_tree)
    assert "Eve Old" in page and "Diana Young" in page
