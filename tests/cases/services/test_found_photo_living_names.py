"""Found-photo rankings and the case report follow the living-person rule (issue 13, leftover 1).

Reproduced before the fix: a caseworker ranked a found photo against the parents; the ranking stored
"parent: Diana Young" (living mother) in its results and in the audit payload, and an auditor without
``can_see_living`` read that name on the case page, in ``GET .../rankings/`` and in the case report PDF
(whose facts also named the missing person "Eve Old", born 1990). Now rankings store persons by id only
and are labelled for the reader; the report names living persons only for readers who may see them.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases.access import tree_access_get
from cases.errors import NotFound
from cases.models import AuditEvent, FoundPhotoRanking, Membership, Role
from cases.services.case_report import case_report_pdf
from cases.services.found_photos import RANKING_WARNING, found_photo_rank, found_photo_rankings_labelled
from tests.images import jpeg_bytes


def _access(tree, who):
    return tree_access_get(user=tree.users[who], tree_id=tree.tree.pk)


@pytest.fixture
def ranked(case_tree):
    """A ranking as versions before the fix stored it: persons named in the stored labels."""
    ranking = FoundPhotoRanking(
        case=case_tree.case,
        sha256="0" * 64,
        face_box=[10, 10, 50, 50],
        warning=RANKING_WARNING,
        performed_by=case_tree.users[Role.CASEWORKER],
        results=[
            {
                "rank": 1,
                "kind": "parent",
                "object_id": case_tree.mother.pk,
                "label": "Diana Young",
                "distance": 0.3,
                "similarity": 0.8,
            },
            {
                "rank": 2,
                "kind": "parent",
                "object_id": case_tree.father.pk,
                "label": "Charles Old",
                "distance": 0.5,
                "similarity": 0.6,
            },
            {
                "rank": 3,
                "kind": "candidate",
                "object_id": 99,
                "label": "Synthetic candidate 0 of job 7 (age 3-9)",
                "distance": 0.6,
                "similarity": 0.5,
            },
        ],
    )
    ranking.image.save("found", ContentFile(jpeg_bytes()), save=False)
    ranking.save()
    return case_tree


def _labels(access, case) -> list[str]:
    (ranking,) = found_photo_rankings_labelled(access=access, rankings=FoundPhotoRanking.objects.filter(case=case))
    return [r["label"] for r in ranking.labelled_results]


def test_labels_follow_the_reader(ranked):
    synthetic = "Synthetic candidate 0 of job 7 (age 3-9)"
    # The living mother is hidden from the auditor; the father died in 2000 and is named to everyone.
    assert _labels(_access(ranked, Role.AUDITOR), ranked.case) == ["Living person", "Charles Old", synthetic]
    assert _labels(ranked.worker, ranked.case) == ["Diana Young", "Charles Old", synthetic]
    assert _labels(ranked.owner_access, ranked.case) == ["Diana Young", "Charles Old", synthetic]
    Membership.objects.filter(tree=ranked.tree, user=ranked.users[Role.AUDITOR]).update(can_see_living=True)
    assert _labels(_access(ranked, Role.AUDITOR), ranked.case) == ["Diana Young", "Charles Old", synthetic]


def test_a_removed_person_is_not_named_from_the_stored_label(ranked):
    ranked.mother.delete()
    assert _labels(ranked.worker, ranked.case)[0] == "a person no longer in the tree"


def test_ranking_api_and_page_withhold_living_names_from_auditors(ranked, client):
    url = reverse("api-case-rankings", kwargs={"tree_id": ranked.tree.pk, "case_id": ranked.case.pk})
    page_url = reverse("case-detail", kwargs={"tree_id": ranked.tree.pk, "case_id": ranked.case.pk})
    api = APIClient()
    for who, mother in ((Role.AUDITOR, "Living person"), (Role.CASEWORKER, "Diana Young")):
        api.force_authenticate(ranked.users[who])
        (data,) = api.get(url).json()
        assert [r["label"] for r in data["results"]][:2] == [mother, "Charles Old"]
        client.force_login(ranked.users[who])
        page = client.get(page_url).content.decode()
        assert f"parent: {mother}" in page and ("Diana" in page) is (who == Role.CASEWORKER)
    api.force_authenticate(ranked.users[Role.OWNER])
    assert api.get(url).status_code == 404  # owners do not see cases at all


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_case_report_withholds_living_names_from_auditors(ranked):
    auditor = _pdf_text(case_report_pdf(access=_access(ranked, Role.AUDITOR), case=ranked.case))
    for leaked in ("Eve", "Diana", "1990"):
        assert leaked not in auditor, leaked
    assert "parent: Living person" in auditor and "parent: Charles Old" in auditor
    assert "Missing person Living person" in auditor and "Secret note" in auditor  # the case's facts stay
    worker = _pdf_text(case_report_pdf(access=ranked.worker, case=ranked.case))
    assert "Eve Old" in worker and "parent: Diana Young" in worker and "1990" in worker
    with pytest.raises(NotFound):
        case_report_pdf(access=ranked.owner_access, case=ranked.case)


@pytest.mark.slow
def test_a_new_ranking_stores_no_names(portraits):
    from PIL import Image

    from genetics.samples import astronaut

    found = np.asarray(Image.fromarray(astronaut()[20:400, 60:440]).resize((300, 300)))
    ranking = found_photo_rank(
        access=portraits.worker, case=portraits.case, data=jpeg_bytes(found, quality=90), include_tree_persons=True
    )
    event = AuditEvent.objects.get(action="case.photo_ranked")
    stored = repr(ranking.results) + repr(event.payload)
    for name in ("Diana", "Charles", "Young", "Old"):
        assert name not in stored, name
    assert ranking.results[0]["object_id"] == portraits.mother.pk
    assert _labels(_access(portraits, Role.AUDITOR), portraits.case)[0] == "Living person"
    assert _labels(portraits.worker, portraits.case)[0] == "Diana Young"
