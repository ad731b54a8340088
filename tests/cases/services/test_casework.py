"""Cases end to end in process: who sees them, release copies, age candidates, found-photo ranking."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from PIL import Image

from cases.access import tree_access_get
from cases.errors import Conflict, InvalidInput, NotFound, PermissionDenied, UnprocessableInput
from cases.models import AuditEvent, Case, CaseReminder, Role
from cases.services.casework import (
    FAVOURED_PARENT_WEIGHT,
    case_assign,
    case_attachment_add,
    case_candidates_request,
    case_create,
    case_release_copy,
    case_reminders_due,
    case_update,
)
from cases.services.found_photos import RANKING_WARNING, found_photo_rank
from cases.services.generation import generation_run
from tests.factories import MembershipFactory, UserFactory
from tests.images import jpeg_bytes


def _access(tree, user):
    return tree_access_get(user=user, tree_id=tree.tree.pk)


def test_case_visible_only_to_assigned_caseworkers_and_auditors(case_tree):
    case = case_tree.case
    assert case.caseworkers.get() == case_tree.users[Role.CASEWORKER]
    for who in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        access = _access(case_tree, case_tree.users[who])
        assert not access.cases_queryset().exists()
        with pytest.raises(NotFound):
            access.check_case(case)
    auditor = _access(case_tree, case_tree.users[Role.AUDITOR])
    auditor.check_case(case)
    assert list(auditor.cases_queryset()) == [case]
    with pytest.raises(PermissionDenied):
        case_update(access=auditor, case=case, data={"status": "closed"})
    other = UserFactory(username="other-worker")
    MembershipFactory(tree=case_tree.tree, user=other, role=Role.CASEWORKER)
    with pytest.raises(NotFound):
        _access(case_tree, other).check_case(case)


def test_assign_only_caseworkers_of_the_tree(case_tree):
    other = UserFactory(username="other-worker")
    MembershipFactory(tree=case_tree.tree, user=other, role=Role.CASEWORKER)
    case_assign(access=case_tree.worker, case=case_tree.case, caseworkers=[case_tree.worker.user, other])
    _access(case_tree, other).check_case(case_tree.case)
    with pytest.raises(InvalidInput, match="Only caseworkers"):
        case_assign(access=case_tree.worker, case=case_tree.case, caseworkers=[case_tree.users[Role.EDITOR]])
    assert AuditEvent.objects.filter(action="case.assigned", object_id=case_tree.case.pk).count() == 1


def test_number_unique_per_organisation(case_tree):
    with pytest.raises(Conflict):
        case_create(access=case_tree.worker, organisation="Agency", number="2026-001", missing_person=case_tree.child)
    other = case_create(
        access=case_tree.worker, organisation="Other agency", number="2026-001", missing_person=case_tree.child
    )
    assert other.number == case_tree.case.number


def test_owner_cannot_open_a_case(small_tree):
    with pytest.raises(PermissionDenied):
        case_create(access=small_tree.owner_access, organisation="A", number="1", missing_person=small_tree.child)


def test_release_copy_never_carries_restricted_fields(case_tree):
    copy = case_release_copy(access=case_tree.worker, case=case_tree.case)
    assert copy["missing_person"] == "Eve Old" and copy["public_description"] == "Last seen in a red coat."
    text = repr(copy)
    for secret in ("P-77", "Police", "Secret circumstances", "Secret note"):
        assert secret not in text
    assert AuditEvent.objects.filter(action="case.released", object_id=case_tree.case.pk).exists()


def test_update_audits_field_names_not_values(case_tree):
    case_update(access=case_tree.worker, case=case_tree.case, data={"status": "on_hold", "notes": "New secret"})
    case = Case.objects.get(pk=case_tree.case.pk)
    assert case.status == "on_hold" and case.restricted.notes == "New secret"
    event = AuditEvent.objects.get(action="case.updated")
    assert event.payload["fields"] == ["notes", "status"] and "New secret" not in repr(event.payload)
    with pytest.raises(InvalidInput):
        case_update(access=case_tree.worker, case=case, data={"favoured_parent": case_tree.grandfather})


def test_attachment_of_relative_at_target_age(case_tree):
    attachment = case_attachment_add(
        access=case_tree.worker,
        case=case_tree.case,
        data=jpeg_bytes(),
        original_name="mother-at-30.jpg",
        relative=case_tree.mother,
        age_group="30-39",
    )
    assert attachment.file.open("rb").read() == jpeg_bytes()
    with pytest.raises(InvalidInput):
        case_attachment_add(access=case_tree.worker, case=case_tree.case, data=b"x", age_group="31")


def test_age_candidates_for_age_today_and_groups_with_favoured_parent(portraits):
    case = portraits.case
    today = datetime.date(2026, 6, 1)
    jobs = case_candidates_request(
        access=portraits.worker, case=case, age_groups=["3-9", "10-19"], per_group=2, engines=["offline"], today=today
    )
    assert [j.params["age_group"] for j in jobs] == ["30-39", "3-9", "10-19"]  # born 1990: 36 today
    assert all(j.params["gender"] == "female" and j.num_candidates == 2 for j in jobs)
    # The mother is favoured; she is the generation's "mother" input, so the father's share is 0.3.
    regions = jobs[0].params["regions"]
    assert regions["eyes"] == {"mode": "weight", "weight": pytest.approx(1 - FAVOURED_PARENT_WEIGHT)}
    assert [g.is_age_today for g in case.generations.order_by("pk")] == [True, False, False]
    case.refresh_from_db()
    assert case.progression_last_done == today and case.progression_next_due == datetime.date(2031, 6, 1)
    assert CaseReminder.objects.get(case=case).due_on == datetime.date(2031, 6, 1)
    assert case_reminders_due(access=portraits.worker, today=datetime.date(2031, 6, 2))
    assert not case_reminders_due(access=portraits.owner_access, today=datetime.date(2031, 6, 2))


def test_age_candidates_need_a_birth_date_for_age_today(case_tree):
    case_tree.child.birth_date_start = None
    case_tree.child.save()
    with pytest.raises(UnprocessableInput, match="no birth date"):
        case_candidates_request(access=case_tree.worker, case=case_tree.case, per_group=1)


@pytest.mark.slow
def test_found_photo_of_a_parent_ranks_that_parent_first(portraits, monkeypatch):
    from genetics.samples import astronaut

    jobs = case_candidates_request(
        access=portraits.worker,
        case=portraits.case,
        include_age_today=False,
        age_groups=["30-39"],
        per_group=2,
        engines=["offline"],
    )
    generation_run(job_id=jobs[0].pk)
    # A crop of the astronaut photo, rescaled: another "photo" of the mother.
    found = np.asarray(Image.fromarray(astronaut()[20:400, 60:440]).resize((300, 300)))
    assert all(len(c.embedding) == 128 for c in jobs[0].candidates.all())  # stored by the worker
    from genetics import metrics

    embedded: list[object] = []
    real_embed_image = metrics.embed_image
    monkeypatch.setattr(metrics, "embed_image", lambda *a, **k: embedded.append(a) or real_embed_image(*a, **k))
    ranking = found_photo_rank(
        access=portraits.worker, case=portraits.case, data=jpeg_bytes(found, quality=90), original_name="found.jpg"
    )
    assert len(embedded) == 2  # the two parents' portraits; no candidate is embedded again in the request
    results = ranking.results
    assert results[0]["kind"] == "parent" and results[0]["object_id"] == portraits.mother.pk
    assert results[0]["distance"] < 0.45
    kinds = [r["kind"] for r in results]
    assert kinds.count("candidate") == 2 and kinds.count("parent") == 2
    assert [r["distance"] for r in results] == sorted(r["distance"] for r in results)
    assert ranking.warning == RANKING_WARNING and "not an identification" in RANKING_WARNING
    event = AuditEvent.objects.get(action="case.photo_ranked")
    assert event.payload["ranking_id"] == ranking.pk and event.payload["results"] == results


def test_found_photo_without_a_face_is_refused(portraits):
    with pytest.raises(UnprocessableInput, match="No usable face"):
        found_photo_rank(access=portraits.worker, case=portraits.case, data=jpeg_bytes())
    assert not AuditEvent.objects.filter(action="case.photo_ranked").exists()
