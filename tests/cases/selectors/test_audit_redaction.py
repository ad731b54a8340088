"""Audit rows written before "ids only, never names" are redacted at display (issue 13, leftover).

Reproduced before the fix: an audit row ``case.photo_ranked`` written by the earlier ranking code
stored ``"label": "Diana Young"`` (the living mother) in its results; an auditor without
``can_see_living`` read that name on the audit page, in ``GET /api/trees/<id>/audit/`` and in both
CSV exports. Adoptions store ``confirmed_name`` (a real person's typed name) and merges written before
their fix stored the removed record's names and dates: same leak. The trail is append-only, so the
rows stay as written and the names are withheld when they are shown, for readers who may not see the
person.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import tree_access_get
from cases.models import AuditAction, AuditEvent, Membership, Role
from cases.selectors import audit_events, audit_events_redacted, audit_payload_rows
from cases.services.audit import audit_record, audit_verify


@pytest.fixture
def old_rows(case_tree):
    """Rows in the shapes earlier versions wrote: persons named in the payload."""
    tree, worker = case_tree.tree, case_tree.users[Role.CASEWORKER]
    audit_record(
        action=AuditAction.CASE_PHOTO_RANKED,
        actor=worker,
        tree_id=tree.pk,
        object_type="case",
        object_id=case_tree.case.pk,
        payload={
            "ranking_id": 1,
            "results": [
                {"rank": 1, "kind": "parent", "object_id": case_tree.mother.pk, "label": "Diana Young"},
                {"rank": 2, "kind": "parent", "object_id": case_tree.father.pk, "label": "Charles Old"},
                {"rank": 3, "kind": "candidate", "object_id": 99, "label": "Synthetic candidate 0 of job 7"},
                {"rank": 4, "kind": "person", "object_id": 10**9, "label": "Gone Person"},
            ],
        },
    )
    audit_record(
        action=AuditAction.CANDIDATE_ADOPTED,
        actor=case_tree.users[Role.OWNER],
        tree_id=tree.pk,
        object_type="candidate",
        object_id=99,
        payload={"person_id": case_tree.child.pk, "hypothetical": False, "confirmed_name": "Eve Old"},
    )
    audit_record(
        action=AuditAction.PERSON_MERGED,
        actor=case_tree.users[Role.OWNER],
        tree_id=tree.pk,
        object_type="person",
        object_id=case_tree.mother.pk,
        payload={
            "kept": case_tree.mother.pk,
            "removed": {
                "id": 555,
                "given_names": "Diana",
                "surname": "Young",
                "birth_date": "1960",
                "birth_place": "Leeds",
                "sex": "F",
                "gedcom_xref": "@I9@",
            },
        },
    )
    return case_tree


def _access(tree, role):
    return tree_access_get(user=tree.users[role], tree_id=tree.tree.pk)


def _shown(access) -> dict[str, dict]:
    events = audit_events_redacted(access=access, events=audit_events(access=access))
    return {event.action: event.shown_payload for event in events}


def test_auditor_sees_living_persons_withheld_and_the_dead_named(old_rows):
    shown = _shown(_access(old_rows, Role.AUDITOR))
    labels = [r["label"] for r in shown[AuditAction.CASE_PHOTO_RANKED]["results"]]
    # The living mother and a person no longer in the tree are withheld; the dead father stays named.
    assert labels == ["Living person", "Charles Old", "Synthetic candidate 0 of job 7", "Living person"]
    assert shown[AuditAction.CANDIDATE_ADOPTED]["confirmed_name"] == "Living person"
    assert shown[AuditAction.PERSON_MERGED]["removed"] == {
        "id": 555,
        "given_names": "Living person",
        "sex": "F",
        "gedcom_xref": "@I9@",
    }
    # Nothing stored changed: the trail still verifies.
    assert AuditEvent.objects.get(action=AuditAction.CANDIDATE_ADOPTED).payload["confirmed_name"] == "Eve Old"
    assert audit_verify().ok


def test_owner_sees_the_rows_as_written(old_rows):
    events = audit_events_redacted(access=old_rows.owner_access, events=audit_events(access=old_rows.owner_access))
    assert all(not e.payload_redacted and e.shown_payload == e.payload for e in events)
    # Owners do not see case material at all (the ranking row); the others name the living as written.
    assert {e.action for e in events} == {AuditAction.CANDIDATE_ADOPTED, AuditAction.PERSON_MERGED}
    shown = _shown(old_rows.owner_access)
    assert shown[AuditAction.CANDIDATE_ADOPTED]["confirmed_name"] == "Eve Old"
    assert shown[AuditAction.PERSON_MERGED]["removed"]["surname"] == "Young"


def test_auditor_granted_living_names_sees_them(old_rows):
    Membership.objects.filter(tree=old_rows.tree, user=old_rows.users[Role.AUDITOR]).update(can_see_living=True)
    shown = _shown(_access(old_rows, Role.AUDITOR))
    assert shown[AuditAction.CANDIDATE_ADOPTED]["confirmed_name"] == "Eve Old"
    assert shown[AuditAction.CASE_PHOTO_RANKED]["results"][0]["label"] == "Diana Young"


def test_scoped_owner_does_not_see_names_outside_the_scope(old_rows):
    # An owner limited to the grandparents and their son sees neither the mother (two steps away) nor Eve.
    membership = Membership.objects.get(tree=old_rows.tree, user=old_rows.users[Role.OWNER])
    membership.scope_person_id, membership.scope_depth = old_rows.grandfather.pk, 1
    membership.save(update_fields=["scope_person_id", "scope_depth"])
    shown = _shown(_access(old_rows, Role.OWNER))
    assert shown[AuditAction.CANDIDATE_ADOPTED]["confirmed_name"] == "Living person"
    assert shown[AuditAction.PERSON_MERGED]["removed"]["given_names"] == "Living person"


def test_new_shape_rankings_are_not_marked_redacted(case_tree):
    audit_record(
        action=AuditAction.CASE_PHOTO_RANKED,
        actor=case_tree.users[Role.CASEWORKER],
        tree_id=case_tree.tree.pk,
        object_type="case",
        object_id=case_tree.case.pk,
        payload={
            "results": [{"kind": "parent", "object_id": case_tree.mother.pk, "label": f"person {case_tree.mother.pk}"}]
        },
    )
    rows = AuditEvent.objects.filter(action=AuditAction.CASE_PHOTO_RANKED)
    (event,) = audit_events_redacted(access=_access(case_tree, Role.AUDITOR), events=rows)
    assert not event.payload_redacted and event.shown_payload == event.payload


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.OWNER])
def test_page_api_and_exports_follow_the_reader(old_rows, client, role):
    tree_id = old_rows.tree.pk
    client.force_login(old_rows.users[role])
    api = APIClient()
    api.force_authenticate(old_rows.users[role])
    page = client.get(reverse("audit", kwargs={"tree_id": tree_id})).content.decode()
    page_csv = client.get(reverse("audit", kwargs={"tree_id": tree_id}), {"export": "csv"}).content.decode()
    api_url = reverse("api-audit", kwargs={"tree_id": tree_id})
    listed = api.get(api_url).json()["results"]
    api_csv = api.get(api_url, {"export": "csv"}).content.decode()
    listed_json = json.dumps(listed)
    for text in (page, page_csv, listed_json, api_csv):
        for name in ("Diana", "Eve Old", "Leeds"):
            assert (name in text) is (role == Role.OWNER), (name, text[:200])
        # The ranking is case material, which owners do not see; auditors see the dead father named.
        assert ("Charles Old" in text) is (role == Role.AUDITOR)
        assert "Gone Person" not in text
    redacted = {e["action"] for e in listed if e["payload_redacted"]}
    rows = list(csv.DictReader(io.StringIO(api_csv)))
    if role == Role.AUDITOR:
        assert redacted == {"case.photo_ranked", "candidate.adopted", "person.merged"}
        assert {r["action"] for r in rows if r["payload_redacted"] == "yes"} == redacted
        assert "Living person" in page and page.count("Names of persons you may not see are withheld") == 3
    else:
        assert not redacted and not any(r["payload_redacted"] for r in rows)
        assert "withheld" not in page


def test_payload_rows_use_the_redacted_payload(old_rows):
    auditor = _access(old_rows, Role.AUDITOR)
    rows = audit_payload_rows(access=auditor, events=list(audit_events(access=auditor)))
    values = {event.action: dict(pairs) for event, pairs in rows}
    assert values[AuditAction.CANDIDATE_ADOPTED]["confirmed_name"] == "Living person"
