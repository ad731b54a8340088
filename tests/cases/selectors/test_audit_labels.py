"""Generation payloads name the inputs father/mother only when the partners' sexes differ."""

from __future__ import annotations

from django.urls import reverse

from cases.access import tree_access_get
from cases.models import Role
from cases.selectors import audit_events, audit_payload_rows
from cases.services.audit import audit_record
from cases.services.families import family_create
from cases.services.persons import person_create


def _labels(access, family):
    audit_record(
        action="generation.requested",
        actor=access.user,
        tree_id=access.tree.pk,
        object_type="generation_job",
        object_id=1,
        payload={"family_id": family.pk, "father": {"face_id": 1}, "mother": {"face_id": 2}, "seed": 3},
    )
    ((_, pairs),) = audit_payload_rows(access=access, events=list(audit_events(access=access)))
    return [label for label, _ in pairs]


def test_father_and_mother_when_the_sexes_differ(small_tree):
    access = small_tree.owner_access
    family = family_create(access=access, partner1=small_tree.grandfather, partner2=small_tree.grandmother)
    small_tree.grandfather.sex, small_tree.grandmother.sex = "M", "F"
    for person in (small_tree.grandfather, small_tree.grandmother):
        person.save(update_fields=["sex"])
    assert _labels(access, family) == ["family_id", "father", "mother", "seed"]


def test_partners_named_when_of_one_sex_with_living_names_hidden(small_tree):
    owner = small_tree.owner_access
    first = person_create(access=owner, given_names="Ada", surname="Living", sex="F")
    second = person_create(access=owner, given_names="Bea", surname="Gone", sex="F", is_deceased=True)
    family = family_create(access=owner, partner1=first, partner2=second)
    # The engine's first input is the partner generation puts first (partners_father_first), named by role.
    first_input, second_input = family.partners_father_first
    expected = [f"partner {1 if p == first else 2} ({p.display_name})" for p in (first_input, second_input)]
    assert _labels(owner, family)[1:3] == expected
    assert sorted(expected) == ["partner 1 (Ada Living)", "partner 2 (Bea Gone)"]
    # Auditors do not see living persons by default: the living partner's name is withheld.
    auditor = tree_access_get(user=small_tree.users[Role.AUDITOR], tree_id=small_tree.tree.pk)
    ((_, pairs),) = audit_payload_rows(access=auditor, events=list(audit_events(access=auditor)))
    assert sorted([label for label, _ in pairs][1:3]) == ["partner 1 (Living person)", "partner 2 (Bea Gone)"]


def test_audit_page_shows_the_labels(small_tree, client):
    owner = small_tree.owner_access
    first = person_create(access=owner, given_names="Ada", surname="Living", sex="F")
    second = person_create(access=owner, given_names="Bea", surname="Gone", sex="F", is_deceased=True)
    _labels(owner, family_create(access=owner, partner1=first, partner2=second))
    client.force_login(small_tree.users[Role.AUDITOR])
    html = client.get(reverse("audit", kwargs={"tree_id": small_tree.tree.pk})).content.decode()
    assert "partner 1 (Living person)" in html and "Ada" not in html
    assert "partner 2 (Bea Gone)" in html
