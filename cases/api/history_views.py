"""API for the change history of lineage records: list the changes, revert one."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import TreeAPIView, query_id
from cases.models import RecordType
from cases.selectors.history import ChangeRow, change_get, change_rows, history_family, record_changes
from cases.services.history import change_revert


class FieldDiffSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The stored field (“partner1_id”, “birth_date”).")
    label = serializers.CharField(help_text="Readable name of the field.")
    before = serializers.CharField(help_text="Readable value before; empty for a creation.")
    after = serializers.CharField(help_text="Readable value after; empty for a deletion.")


class RecordChangeSerializer(serializers.Serializer):
    """A recorded change; ``hidden`` changes concern a person whose details your role may not see."""

    id = serializers.IntegerField(source="change.pk")
    at = serializers.DateTimeField(source="change.at")
    user = serializers.CharField(source="change.username", help_text="Empty for the system.")
    record_type = serializers.ChoiceField(source="change.record_type", choices=RecordType.choices)
    object_id = serializers.IntegerField(source="change.object_id")
    action = serializers.CharField(source="change.action", help_text="create, update, delete, revert or import.")
    summary = serializers.CharField()
    hidden = serializers.BooleanField()
    reverts = serializers.IntegerField(
        source="change.reverts_id", allow_null=True, help_text="The change this one reverted."
    )
    reverted_by = serializers.SerializerMethodField(help_text="The change that reverted this one, if any.")
    persons = serializers.ListField(
        source="person_ids", child=serializers.IntegerField(), help_text="Persons the change concerns."
    )
    diffs = FieldDiffSerializer(many=True)
    before = serializers.SerializerMethodField(help_text="Stored fields before (null for a creation or hidden).")
    after = serializers.SerializerMethodField(help_text="Stored fields after (null for a deletion or hidden).")

    def get_reverted_by(self, row: ChangeRow) -> int | None:
        later = [change.pk for change in row.change.reverted_by.all()]
        return max(later) if later else None

    def get_before(self, row: ChangeRow) -> dict | None:
        return None if row.hidden else row.change.before

    def get_after(self, row: ChangeRow) -> dict | None:
        return None if row.hidden else row.change.after


class RecordChangeListView(TreeAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("record_type", str, enum=RecordType.values),
            OpenApiParameter("person", int, description="Only changes concerning this person."),
            OpenApiParameter(
                "family",
                int,
                description="Only changes to this family and its child links, events, notes and citations.",
            ),
            OpenApiParameter("page", int),
        ],
        responses=RecordChangeSerializer(many=True),
        description="Changes to the tree's lineage records, newest first. Every member may read them; "
        "changes concerning a living person your role may not see come without values.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        access = self.access()
        family = history_family(access=access, family_id=query_id(request, "family"))
        changes = record_changes(
            access=access,
            record_type=request.query_params.get("record_type", ""),
            person_id=query_id(request, "person"),
            family_id=family.family.pk if family else None,
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(changes, request, view=self)
        rows = change_rows(access=access, changes=list(page))
        return paginator.get_paginated_response(RecordChangeSerializer(rows, many=True).data)


class RecordChangeRevertView(TreeAPIView):
    @extend_schema(
        request=None,
        responses={201: RecordChangeSerializer},
        description="Revert a change (editors and owners). 409 with a sentence when it cannot be "
        "applied: the record changed again since (revert the newer change first) or a "
        "record it refers to is gone.",
    )
    def post(self, request: Request, tree_id: int, change_id: int) -> Response:
        access = self.access()
        revert = change_revert(access=access, change=change_get(access=access, change_id=change_id))
        row = change_rows(access=access, changes=[change_get(access=access, change_id=revert.pk)])[0]
        return Response(RecordChangeSerializer(row).data, status=status.HTTP_201_CREATED)
