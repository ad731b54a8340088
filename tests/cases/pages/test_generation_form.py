"""The generate dialog's fields become generation parameters, or a sentence saying what is wrong."""

from __future__ import annotations

import pytest

from cases.pages.generation_form import GenerationFormError, generation_params_from_form


def test_fields_become_params():
    params, engine = generation_params_from_form(
        {
            "age_group": "10-19",
            "gender": "male",
            "gamma": "0.2",
            "eta": "0.6",
            "num_candidates": "3",
            "resolution": "256",
            "seed": "42",
            "engine": "offline",
            "region-eyes-mode": "mother",
            "region-nose-mode": "weight",
            "region-nose-weight": "0.8",
            "region-mouth-mode": "default",
            "region-mouth-weight": "0.1",
        }
    )
    assert engine == "offline"
    assert params == {
        "age_group": "10-19",
        "gender": "male",
        "gamma": 0.2,
        "eta": 0.6,
        "num_candidates": 3,
        "resolution": 256,
        "seed": 42,
        "regions": {"eyes": {"mode": "mother", "weight": 0.5}, "nose": {"mode": "weight", "weight": 0.2}},
    }


def test_empty_seed_is_left_to_the_service():
    params, engine = generation_params_from_form({"seed": ""})
    assert "seed" not in params and "regions" not in params and engine == "auto"
    assert params["num_candidates"] == 4


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"gamma": "lots"}, "Variation must be a number"),
        ({"region-eyes-mode": "swap"}, "Eyes: choose one"),
        ({"region-hair-mode": "weight", "region-hair-weight": "2"}, "Hair and background blend must lie between"),
    ],
)
def test_errors_are_sentences(data, words):
    with pytest.raises(GenerationFormError, match=words):
        generation_params_from_form(data)


def test_page_says_in_words_why_nothing_was_generated(small_tree, client):
    family = small_tree.child.parent_links.get().family
    client.force_login(small_tree.users["owner"])
    url = f"/trees/{small_tree.tree.pk}/families/{family.pk}/generate/"
    page = client.post(url, {"gamma": "lots"}, follow=True)
    assert "Nothing was generated: Variation must be a number (got “lots”)." in page.content.decode()
    page = client.post(url, {"num_candidates": "2"}, follow=True)
    assert "Nothing was generated: These inputs must be fixed before generating:" in page.content.decode()
