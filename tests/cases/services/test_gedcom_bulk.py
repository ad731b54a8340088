"""Bulk inserts of the GEDCOM import: ids, defaults, JSON, dates and text survive; a failure rolls everything back.

CI runs these on PostgreSQL (COPY with ids drawn from the sequence), locally on SQLite (INSERT … RETURNING).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction

from cases.models import Event, Note, Person
from cases.services.gedcom.bulk import rows_insert
from cases.services.trees import tree_create
from tests.factories import UserFactory


@pytest.fixture
def tree(db):
    return tree_create(name="Bulk", owner=UserFactory(username="bulk"))


def test_ids_returned_are_the_rows_inserted_in_order(tree):
    awkward = ["tab\there", "new\nline", "back\\slash", 'quote\'s "both"', "", "Élise \u00a0Müller", "\\N"]
    rows = [
        {
            "tree_id": tree.pk,
            "given_names": text,
            "surname": f"S{index}",
            "gedcom_xref": f"@I{index}@",
            "gedcom_data": {"note": text, "n": [index, None, True]},
            "birth_date_start": datetime.date(1850, 3, index + 1),
        }
        for index, text in enumerate(awkward)
    ]

    ids = rows_insert(Person, rows)

    assert len(set(ids)) == len(rows)
    stored = Person.objects.in_bulk(ids)
    for pk, row in zip(ids, rows):
        person = stored[pk]
        assert (person.given_names, person.surname, person.gedcom_xref) == (
            row["given_names"],
            row["surname"],
            row["gedcom_xref"],
        )
        assert person.gedcom_data == row["gedcom_data"] and person.birth_date_start == row["birth_date_start"]
        assert person.created_at is not None and person.sex == Person._meta.get_field("sex").get_default()
    # the table's own sequence keeps working after ids were taken for the bulk rows
    later = Person.objects.create(tree=tree, given_names="Later")
    assert later.pk not in ids


def test_nulls_and_foreign_keys(tree):
    person_id = rows_insert(Person, [{"tree_id": tree.pk, "given_names": "A"}])[0]
    ids = rows_insert(
        Event,
        [
            {
                "tree_id": tree.pk,
                "person_id": person_id,
                "family_id": None,
                "tag": "OCCU",
                "value": "Carpenter",
                "date": "",
                "date_start": None,
                "date_end": None,
                "order": 1,
                "gedcom_data": {},
            }
        ],
    )
    event = Event.objects.get(pk=ids[0])
    assert event.person_id == person_id and event.family_id is None and event.date_start is None


def test_a_failure_after_bulk_rows_leaves_nothing(tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        person_id = rows_insert(Person, [{"tree_id": tree.pk, "given_names": "A"}])[0]
        rows_insert(Note, [{"tree_id": tree.pk, "person_id": person_id, "text": f"note {i}"} for i in range(50)])
        assert Note.objects.filter(tree=tree).count() == 50  # visible inside the transaction
        raise RuntimeError("import failed later")
    assert not Note.objects.filter(tree=tree).exists() and not Person.objects.filter(tree=tree).exists()


def test_postgresql_uses_copy(tree):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostgreSQL path; SQLite uses INSERT … RETURNING")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        rows_insert(Person, [{"tree_id": tree.pk, "given_names": f"P{i}"} for i in range(5000)])
    # one query for the ids; the rows themselves travel by COPY, not as INSERT statements
    assert not any("INSERT" in q["sql"] for q in queries.captured_queries)
    assert Person.objects.filter(tree=tree).count() == 5000
