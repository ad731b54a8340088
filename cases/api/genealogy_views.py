"""API for reading like a genealogist: search, person timelines, surnames, places and relationships."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.api import genealogy_serializers as g, serializers as s
from cases.api.base import TreeAPIView
from cases.errors import InvalidInput
from cases.selectors.search import person_query_parse
from cases.selectors.timeline import CitationView

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Names, any order, partial words (“Victoria Hanover”, “vic han”)."),
    OpenApiParameter("phonetic", bool, description="Match each word by American Soundex (“Smyth” finds “Smith”)."),
    OpenApiParameter("born_from", int, description="Born in or after this year (ranges such as ABT overlap)."),
    OpenApiParameter("born_to", int, description="Born in or before this year."),
    OpenApiParameter("died_from", int),
    OpenApiParameter("died_to", int),
    OpenApiParameter("place", str, description="Part of a birth, death or event place."),
    OpenApiParameter("sex", str, enum=["M", "F", "X", "U"]),
    OpenApiParameter("surname", str, description="Exact surname (case-insensitive)"),
    OpenApiParameter("page", int),
]


class PersonSearchMixin:
    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses=s.PersonSerializer(many=True),
        description="Search persons. Living persons you may not see never match a search.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        persons = selectors.person_find(access=self.access(), query=person_query_parse(request.query_params))
        return self.paginate(persons, s.PersonSerializer)


class PersonTimelineView(TreeAPIView):
    @extend_schema(
        responses=g.PersonTimelineSerializer,
        description="A person as a genealogist reads them: events with ages, relatives, evidence.",
    )
    def get(self, request: Request, tree_id: int, person_id: int) -> Response:
        access = self.access()
        page = selectors.person_page(access=access, person_id=person_id)
        person = page.person
        relatives = []
        for relation, families in (("parent", page.parents_families), ("partner", page.own_families)):
            for family in families:
                for partner in (family.partner1, family.partner2):
                    if partner is not None and partner.pk != person.pk:
                        relatives.append(_relative(partner, relation, family.pk, page.private_ids))
        for sibling in page.siblings:
            relatives.append(
                _relative(sibling, "sibling", _family_of(sibling, page.parents_families), page.private_ids)
            )
        for family in page.own_families:
            for link in family.child_links.all():
                relatives.append(_relative(link.child, "child", family.pk, page.private_ids))
        data = {
            "id": person.pk,
            "display_name": selectors.PRIVATE_NAME if page.private else person.display_name,
            "private": page.private,
            "events": page.timeline,
            "relatives": relatives,
            "citations": []
            if page.private
            else [
                CitationView(source_title=c.source.title, page=c.page, text=c.text, quality=c.quality)
                for c in person.citations.all()
            ],
            "notes": [] if page.private else [note.text for note in person.notes.all()],
            "media": page.media_references,
        }
        return Response(g.PersonTimelineSerializer(data).data)


class SurnameListView(TreeAPIView):
    @extend_schema(
        responses=g.SurnameSerializer(many=True),
        description="Surnames with their number of persons; living persons you may not see are not counted.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        rows = selectors.surname_index(access=self.access())
        return Response(g.SurnameSerializer([{"surname": n, "count": c} for n, c in rows], many=True).data)


class PlaceListView(TreeAPIView):
    @extend_schema(responses=g.PlaceSerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        return Response(g.PlaceSerializer(selectors.place_list(access=self.access()), many=True).data)


class PlaceEventListView(TreeAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("name", str, required=True, description="A place, or a broader one (“France”).")],
        responses=g.PlaceEventSerializer(many=True),
    )
    def get(self, request: Request, tree_id: int) -> Response:
        name = request.query_params.get("name", "")
        if not name.strip():
            raise InvalidInput("Give the place's name.")
        return Response(
            g.PlaceEventSerializer(selectors.place_events(access=self.access(), place=name), many=True).data
        )


class RelationshipView(TreeAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("a", int, required=True), OpenApiParameter("b", int, required=True)],
        responses=g.RelationshipSerializer,
        description="How B is related to A: nearest common ancestors, the English name and the path.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        try:
            a, b = int(request.query_params["a"]), int(request.query_params["b"])
        except (KeyError, ValueError) as error:
            raise InvalidInput("Give a and b, the ids of two persons.") from error
        answer = selectors.relationship_find(access=self.access(), a_id=a, b_id=b)
        return Response(g.RelationshipSerializer(answer).data)


def _relative(person, relation: str, family_id: int, private_ids: set[int]) -> dict:
    private = person.pk in private_ids
    return {
        "id": person.pk,
        "display_name": selectors.PRIVATE_NAME if private else person.display_name,
        "private": private,
        "relation": relation,
        "family": family_id,
    }


def _family_of(person, families) -> int:
    return next(f.pk for f in families if any(link.child_id == person.pk for link in f.child_links.all()))
