"""Every way to start a generation job makes the checks ``POST /jobs/`` makes (issue 13, item 1).

Before the fix, ``POST /audit/<event>/rerun/`` needed only the generate right: an unassigned
caseworker re-ran a case job (202), revoked consent still gave 202, the quota was not applied and a
member scoped to other relatives re-ran a job on a family outside the scope.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import tree_access_get
from cases.models import AuditEvent, CaseGeneration, GenerationJob, Role
from cases.services.casework import case_candidates_request
from cases.services.photos import photo_set_consent
from tests.factories import MembershipFactory, UserFactory

PARAMS = {"num_candidates": 1, "seed": 5, "resolution": 256, "age_group": "3-9", "gender": "female"}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _family_job(tree, owner) -> tuple[GenerationJob, AuditEvent]:
    family = tree.child.parent_links.get().family
    response = _client(owner).post(
        reverse("api-job-list", kwargs={"tree_id": tree.tree.pk}),
        {"family": family.pk, "params": PARAMS},
        format="json",
    )
    assert response.status_code == 202, response.content
    job = GenerationJob.objects.get(pk=response.json()["id"])
    return job, AuditEvent.objects.get(action="generation.requested", object_id=job.pk)


def _audit_rerun(client, tree, event):
    return client.post(reverse("api-audit-rerun", kwargs={"tree_id": tree.tree.pk, "event_id": event.pk}))


def _jobs_post(client, tree):
    family = tree.child.parent_links.get().family
    return client.post(
        reverse("api-job-list", kwargs={"tree_id": tree.tree.pk}),
        {"family": family.pk, "params": PARAMS},
        format="json",
    )


def test_unassigned_caseworker_cannot_rerun_a_case_job(portraits):
    jobs = case_candidates_request(
        access=portraits.worker, case=portraits.case, include_age_today=False, age_groups=["3-9"], per_group=1
    )
    event = AuditEvent.objects.get(action="generation.requested", object_id=jobs[0].pk)
    other = UserFactory(username="other-worker")
    MembershipFactory(tree=portraits.tree, user=other, role=Role.CASEWORKER)
    before = GenerationJob.objects.count()

    response = _audit_rerun(_client(other), portraits, event)
    assert response.status_code == 404, response.content
    rerun = _client(other).post(reverse("api-job-rerun", kwargs={"tree_id": portraits.tree.pk, "job_id": jobs[0].pk}))
    assert rerun.status_code == 404
    assert GenerationJob.objects.count() == before

    # The assigned caseworker may; the new job is the case's material, hidden like the first.
    response = _audit_rerun(_client(portraits.users[Role.CASEWORKER]), portraits, event)
    assert response.status_code == 202, response.content
    link = CaseGeneration.objects.get(job_id=response.json()["id"])
    assert link.case == portraits.case and link.age_group == "3-9"
    listed = _client(other).get(reverse("api-job-list", kwargs={"tree_id": portraits.tree.pk})).json()
    assert response.json()["id"] not in [j["id"] for j in listed["results"]]


def test_revoked_consent_fails_the_same_everywhere(portraits):
    owner = portraits.users[Role.OWNER]
    job, event = _family_job(portraits, owner)
    photo = portraits.mother.portrait_face.photo
    photo_set_consent(access=portraits.owner_access, photo=photo, consent=False)
    client = _client(owner)

    direct = _jobs_post(client, portraits)
    via_audit = _audit_rerun(client, portraits, event)
    via_job = client.post(reverse("api-job-rerun", kwargs={"tree_id": portraits.tree.pk, "job_id": job.pk}))
    assert direct.status_code == via_audit.status_code == via_job.status_code == 422
    assert "Record consent" in via_audit.json()["detail"]
    assert GenerationJob.objects.count() == 1


def test_quota_applies_to_audit_reruns(portraits, settings):
    settings.KINSHIP_GENERATION_QUEUE_QUOTA = 3
    owner = portraits.users[Role.OWNER]
    _, event = _family_job(portraits, owner)
    client = _client(owner)
    codes = [_audit_rerun(client, portraits, event).status_code for _ in range(4)]
    assert codes == [202, 202, 429, 429]
    assert _jobs_post(client, portraits).status_code == 429
    assert GenerationJob.objects.filter(state="queued").count() == 3


def test_scoped_member_cannot_rerun_outside_their_relatives(portraits):
    _, event = _family_job(portraits, portraits.users[Role.OWNER])
    scoped = UserFactory(username="scoped-editor")
    # Only the grandmother herself: the parents' family is outside the scope.
    MembershipFactory(
        tree=portraits.tree, user=scoped, role=Role.EDITOR, scope_person=portraits.grandmother, scope_depth=0
    )
    assert tree_access_get(user=scoped, tree_id=portraits.tree.pk).visible_person_ids == {portraits.grandmother.pk}
    client = _client(scoped)
    assert _jobs_post(client, portraits).status_code == 404
    assert _audit_rerun(client, portraits, event).status_code == 404
    assert GenerationJob.objects.count() == 1
