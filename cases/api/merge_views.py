"""API for duplicate persons: the likely pairs of a tree, and merging two records of one person."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.base import TreeAPIView, query_id, validated_input
from cases.selectors.duplicates import person_duplicates
from cases.services.merge import MERGE_FIELDS, persons_merge


class MergeInputSerializer(serializers.Serializer):
    keep = serializers.IntegerField(min_value=1, help_text="The person who stays (their id is kept).")
    remove = serializers.IntegerField(min_value=1, help_text="The person merged into ``keep`` and then deleted.")
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["keep", "remove"]),
        required=False,
        default=dict,
        help_text=f"Per field ({', '.join(MERGE_FIELDS)}; and pedigree_<family id> where the two records are "
        "children of one family with different pedigrees): whose value the merged person takes. "
        "A field left out keeps the kept person's value unless only the removed person has one. "
        "The name not chosen becomes an alternate name.",
    )


class DuplicatePairSerializer(serializers.Serializer):
    first = s.PersonSerializer()
    second = s.PersonSerializer()
    score = serializers.IntegerField(help_text="0–100; higher is likelier to be one person.")
    reasons = serializers.ListField(child=serializers.CharField())


class PersonDuplicateListView(TreeAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("person", int, description="Only pairs involving this person.")],
        responses=DuplicatePairSerializer(many=True),
        description="Likely duplicate persons (editors and owners): names that sound alike, sexes that do "
        "not differ, dates that agree; best first, at most 200.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        pairs = person_duplicates(access=self.access(), person_id=query_id(request, "person"))
        return Response(DuplicatePairSerializer(pairs, many=True, context=self.context()).data)


class PersonMergeView(TreeAPIView):
    @extend_schema(
        request=MergeInputSerializer,
        responses=s.PersonSerializer,
        description="Merge two records of one person (editors and owners). Everything attached to ``remove`` moves "
        "to ``keep`` (names, events, notes, citations, child links, partner slots, photos and faces, "
        "member scopes, cases, generation jobs); families that become the same union are merged. "
        "Refused (400) for the same person, persons of another tree, a parent and child or partners; "
        "409 when the two are children of one family with different pedigrees and no choice says "
        "which to keep. One transaction, recorded in the audit trail.",
        examples=[
            OpenApiExample(
                "Keep the second record's birth",
                value={"keep": 12, "remove": 34, "choices": {"birth_date": "remove", "name": "keep"}},
            )
        ],
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(MergeInputSerializer, request.data)
        access = self.access()
        person = persons_merge(
            access=access, keep=self.person(data["keep"]), remove=self.person(data["remove"]), choices=data["choices"]
        )
        return Response(s.PersonSerializer(person, context=self.context()).data)
