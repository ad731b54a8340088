"""A generation request passes on the parents' natural hair colours as their records state them,
and their ages on their photos as the records' dates give them."""

from __future__ import annotations

from cases.models import GenerationJob
from cases.services.generation import generation_request, generation_rerun, generation_run
from cases.services.persons import person_update
from cases.services.photos import photo_update

PARAMS = {"age_group": "3-9", "gender": "female", "num_candidates": 1, "seed": 3, "resolution": 256}


def test_request_takes_the_hair_colours_the_records_state_first_parent_first(couple):
    access = couple.owner_access
    assert generation_request(access=access, family=couple.family, params=PARAMS).params["hair_colours"] == ["", ""]
    person_update(access=access, person=couple.mother, hair_colour="red")
    job = generation_request(access=access, family=couple.family, params=PARAMS)
    assert job.params["hair_colours"] == ["", "red"]  # the father (recorded male) is the first parent
    stated = generation_request(access=access, family=couple.family, params={**PARAMS, "hair_colours": ["black", ""]})
    assert stated.params["hair_colours"] == ["black", ""]  # a colour the request gives wins


def test_rerun_of_a_job_from_before_stated_colours_still_reads_them_from_the_photos(couple):
    access = couple.owner_access
    job = generation_request(access=access, family=couple.family, params=PARAMS)
    old_params = {key: value for key, value in job.params.items() if key != "hair_colours"}
    GenerationJob.objects.filter(pk=job.pk).update(params=old_params, state="succeeded")
    person_update(access=access, person=couple.father, hair_colour="dark_brown")
    job.refresh_from_db()
    assert generation_rerun(access=access, job=job).params["hair_colours"] == ["", ""]
    fresh = generation_request(access=access, family=couple.family, params=PARAMS)
    assert fresh.params["hair_colours"] == ["dark_brown", ""]


def test_candidates_of_parents_with_recorded_colours_keep_that_they_were_stated(couple):
    access = couple.owner_access
    for parent, colour in ((couple.father, "black"), (couple.mother, "red")):
        person_update(access=access, person=parent, hair_colour=colour)
    job = generation_request(
        access=access, family=couple.family, params={**PARAMS, "num_candidates": 2}, engine="offline"
    )
    generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    metas = [candidate.meta for candidate in job.candidates.all()]
    assert len(metas) == 2 and all(m["hair_colour_stated"] is True for m in metas), metas
    assert all(m["hair_colour_from"] in ("father", "mother") for m in metas) and not job.hair_colour_unread


def _taken_in(access, person, year: int) -> None:
    photo_update(access=access, photo=person.portrait_face.photo, date_taken=str(year))


def test_request_takes_the_parents_ages_on_their_photos_from_the_records(couple):
    access = couple.owner_access
    assert generation_request(access=access, family=couple.family, params=PARAMS).params["parent_ages"] == [None, None]
    # Born in 1930 and 1960, both photographed in 1985: the oldest each can have been.
    _taken_in(access, couple.father, 1985)
    _taken_in(access, couple.mother, 1985)
    job = generation_request(access=access, family=couple.family, params=PARAMS)
    assert job.params["parent_ages"] == [55, 25]
    person_update(access=access, person=couple.mother, birth_date="")
    assert generation_request(access=access, family=couple.family, params=PARAMS).params["parent_ages"] == [55, None]
    given = generation_request(access=access, family=couple.family, params={**PARAMS, "parent_ages": [None, 30]})
    assert given.params["parent_ages"] == [None, 30]  # ages the request gives win


def test_rerun_of_a_job_from_before_parents_ages_keeps_them_unknown(couple):
    access = couple.owner_access
    _taken_in(access, couple.mother, 1985)
    job = generation_request(access=access, family=couple.family, params=PARAMS)
    assert job.params["parent_ages"] == [None, 25]
    old_params = {key: value for key, value in job.params.items() if key != "parent_ages"}
    GenerationJob.objects.filter(pk=job.pk).update(params=old_params, state="succeeded")
    job.refresh_from_db()
    assert generation_rerun(access=access, job=job).params["parent_ages"] == [None, None]
