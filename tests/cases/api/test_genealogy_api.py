"""The genealogy API: timelines, search, surnames, places and relationships, with the same privacy as the pages."""

from __future__ import annotations

from cases.models import Event, Role


def test_timeline_lists_events_relatives_and_hides_private_ones(small_tree, api):
    Event.objects.create(tree=small_tree.tree, person=small_tree.father, tag="BURI", date="ABT 2000", place="Bath")
    url = f"/api/trees/{small_tree.tree.pk}/persons/{small_tree.father.pk}/timeline/"
    owner = api(Role.OWNER).get(url).json()
    assert [(e["label"], e["date"], e["age"]) for e in owner["events"]] == [
        ("Birth", "1930", ""),
        ("Death", "2000", "69–70"),
        ("Burial", "about 2000", "69–70"),
    ]
    relations = {(r["relation"], r["display_name"]) for r in owner["relatives"]}
    assert relations == {
        ("parent", "Albert Old"),
        ("parent", "Beatrice Old"),
        ("partner", "Diana Young"),
        ("child", "Eve Old"),
    }
    viewer = api(Role.VIEWER).get(url).json()
    assert {(r["relation"], r["display_name"], r["private"]) for r in viewer["relatives"]} >= {
        ("partner", "Living person", True),
        ("child", "Living person", True),
    }
    hidden = api(Role.VIEWER).get(f"/api/trees/{small_tree.tree.pk}/persons/{small_tree.child.pk}/timeline/").json()
    assert hidden["private"] and hidden["events"] == [] and hidden["display_name"] == "Living person"


def test_search_api_takes_the_pages_criteria(small_tree, api):
    base = f"/api/trees/{small_tree.tree.pk}/persons/"
    found = api(Role.OWNER).get(base, {"q": "old eve"}).json()["results"]
    assert [p["display_name"] for p in found] == ["Eve Old"]
    assert api(Role.VIEWER).get(base, {"q": "old eve"}).json()["results"] == []
    found = api(Role.OWNER).get(base, {"q": "Albirt", "phonetic": "true"}).json()["results"]
    assert [p["display_name"] for p in found] == ["Albert Old"]
    assert api(Role.OWNER).get(base, {"born_from": "soon"}).status_code == 400


def test_surnames_places_and_relationship(small_tree, api):
    tree = small_tree.tree.pk
    assert api(Role.VIEWER).get(f"/api/trees/{tree}/surnames/").json() == [{"surname": "Old", "count": 3}]
    assert api(Role.OWNER).get(f"/api/trees/{tree}/places/").json() == []
    assert api(Role.OWNER).get(f"/api/trees/{tree}/places/events/").status_code == 400
    answer = (
        api(Role.OWNER)
        .get(f"/api/trees/{tree}/relationship/", {"a": small_tree.child.pk, "b": small_tree.grandmother.pk})
        .json()
    )
    assert answer["sentence"] == "Beatrice Old is Eve Old’s grandmother."
    assert len(answer["nodes"]) == 3 and answer["generations_up"] == 2
    assert api(Role.OWNER).get(f"/api/trees/{tree}/relationship/", {"a": "x"}).status_code == 400
    assert (
        api("outsider")
        .get(f"/api/trees/{tree}/relationship/", {"a": small_tree.child.pk, "b": small_tree.father.pk})
        .status_code
        == 404
    )


def test_member_invite_api_does_not_let_non_owners_probe_usernames(small_tree, api):
    url = f"/api/trees/{small_tree.tree.pk}/members/"
    answers = [
        api(Role.EDITOR).post(url, {"username": name, "role": "viewer"}, format="json")
        for name in ("outsider", "no-such-user")
    ]
    assert [a.status_code for a in answers] == [403, 403] and answers[0].json() == answers[1].json()
    # Owners cannot probe either: the answer is the same for an unknown and a real account.
    owner = [
        api(Role.OWNER).post(url, {"username": name, "role": "viewer"}, format="json")
        for name in ("no-such-user", "outsider")
    ]
    assert [a.status_code for a in owner] == [202, 202]
    assert owner[0].json()["detail"].replace("no-such-user", "X") == owner[1].json()["detail"].replace("outsider", "X")
