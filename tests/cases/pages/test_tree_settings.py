"""Tree settings: owners choose how names are shown; pages, the chart and the API follow without extra queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.access import Capability, tree_access_get
from cases.errors import InvalidInput, PermissionDenied
from cases.models import AuditAction, AuditEvent, Role
from cases.services.trees import tree_set_name_format
from tests.cases.pages.test_charts import URLS, _chart_data, _persons
from tests.permissions import ROLES, holders


def _url(tree):
    return reverse("tree-settings", kwargs={"tree_id": tree.pk})


def test_owner_chooses_a_format_which_is_audited_and_shown(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    page = client.get(_url(small_tree.tree)).content.decode()
    assert "How names are shown" in page and "Kennedy, John Fitzgerald" in page
    assert f'href="{_url(small_tree.tree)}"' in page
    response = client.post(_url(small_tree.tree), {"name_format": "surname_comma_given"}, follow=True)
    assert "settings were saved" in response.content.decode()
    small_tree.tree.refresh_from_db()
    assert small_tree.tree.name_format == "surname_comma_given"
    event = AuditEvent.objects.get(action=AuditAction.TREE_SETTINGS_CHANGED)
    assert (event.tree_id, event.actor_username) == (small_tree.tree.pk, "owner")
    assert event.payload == {"before": {"name_format": ""}, "after": {"name_format": "surname_comma_given"}}
    person_page = client.get(small_tree.child.get_absolute_url()).content.decode()
    assert "Old, Eve" in person_page and "Eve Old" not in person_page
    persons = client.get(reverse("person-list", kwargs={"tree_id": small_tree.tree.pk})).content.decode()
    assert "Young, Diana" in persons
    # Sorting is by surname whatever the format: Old before Young.
    assert persons.index("Old, Albert") < persons.index("Young, Diana")
    api = client.get(
        reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.child.pk})
    )
    assert api.json()["display_name"] == "Old, Eve"


def test_unknown_format_is_refused_and_nothing_changes(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    response = client.post(_url(small_tree.tree), {"name_format": "surname first"}, follow=True)
    assert "Unknown name format" in response.content.decode()
    small_tree.tree.refresh_from_db()
    assert small_tree.tree.name_format == ""
    assert not AuditEvent.objects.filter(action=AuditAction.TREE_SETTINGS_CHANGED).exists()
    with pytest.raises(InvalidInput):
        tree_set_name_format(access=small_tree.owner_access, name_format="nonsense")


@pytest.mark.parametrize("role", sorted(set(ROLES) - holders(Capability.MANAGE_MEMBERS)))
def test_others_may_neither_see_nor_change_the_settings(small_tree, client, role):
    client.force_login(small_tree.users[role])
    assert client.get(_url(small_tree.tree)).status_code == 403
    assert client.post(_url(small_tree.tree), {"name_format": "surname_given"}).status_code == 403
    small_tree.tree.refresh_from_db()
    assert small_tree.tree.name_format == ""
    person_list = client.get(reverse("person-list", kwargs={"tree_id": small_tree.tree.pk})).content.decode()
    assert f'href="{_url(small_tree.tree)}"' not in person_list
    with pytest.raises(PermissionDenied):
        tree_set_name_format(
            access=tree_access_get(user=small_tree.users[role], tree_id=small_tree.tree.pk), name_format="surname_given"
        )


def test_outsiders_are_told_nothing(small_tree, client):
    client.force_login(small_tree.users["outsider"])
    assert client.get(_url(small_tree.tree)).status_code == 404


def test_chart_shows_the_chosen_format_with_the_same_queries(small_tree, client):
    client.force_login(small_tree.users[Role.OWNER])
    url = URLS["hourglass"](small_tree.tree, small_tree.child)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    tree_set_name_format(access=small_tree.owner_access, name_format="surname_given")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    names = {node["name"] for node in _persons(_chart_data(response)["root"])}
    assert {"OLD, Eve", "OLD, Charles", "YOUNG, Diana", "OLD, Albert", "OLD, Beatrice"} <= names
    assert len(after) == len(before)


def test_the_api_reads_and_sets_the_format_for_owners_only(small_tree, client):
    url = reverse("api-tree-detail", kwargs={"tree_id": small_tree.tree.pk})
    client.force_login(small_tree.users[Role.EDITOR])
    assert client.get(url).json()["name_format"] == ""
    assert client.patch(url, {"name_format": "given_surname_caps"}, content_type="application/json").status_code == 403
    client.force_login(small_tree.users[Role.OWNER])
    bad = client.patch(url, {"name_format": "surname first"}, content_type="application/json")
    assert bad.status_code == 400
    answer = client.patch(url, {"name_format": "given_surname_caps"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["name_format"] == "given_surname_caps"
    person = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.child.pk})
    assert client.get(person).json()["display_name"] == "Eve OLD"
