"""API for missing-person cases: thin views over :mod:`cases.services.casework` and friends."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.api import case_serializers as cs
from cases.api.base import TreeAPIView, validated_input
from cases.models import Case
from cases.services import casework
from cases.services.case_report import case_report_pdf
from cases.services.found_photos import found_photo_rank, found_photo_rankings_labelled


class CaseAPIView(TreeAPIView):
    """Base for views under ``/api/trees/<tree_id>/cases/<case_id>/``."""

    def case(self) -> Case:
        return selectors.case_get(access=self.access(), case_id=self.kwargs["case_id"])


class CaseListView(TreeAPIView):
    @extend_schema(responses=cs.CaseSerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        cases = selectors.case_list(access=self.access())
        return Response(cs.CaseSerializer(cases, many=True, context=self.context()).data)

    @extend_schema(request=cs.CaseCreateSerializer, responses={201: cs.CaseSerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        access = self.access()
        selectors.case_list(access=access)  # roles that never see cases get 404 before any other check
        data = validated_input(cs.CaseCreateSerializer, request.data)
        case = casework.case_create(
            access=access,
            organisation=data["organisation"],
            number=data["number"],
            missing_person=self.person(data["missing_person"]),
            date_last_seen=data["date_last_seen"],
            age_last_seen=data["age_last_seen"],
            public_description=data["public_description"],
            favoured_parent=self.person(data["favoured_parent"]) if data["favoured_parent"] else None,
            agency_references=data["agency_references"],
            circumstances=data["circumstances"],
            notes=data["notes"],
            caseworkers=casework.caseworkers_by_username(access=access, usernames=data["caseworkers"]),
        )
        case = selectors.case_get(access=access, case_id=case.pk)
        return Response(cs.CaseSerializer(case, context=self.context()).data, status=status.HTTP_201_CREATED)


class CaseDetailView(CaseAPIView):
    @extend_schema(responses=cs.CaseSerializer)
    def get(self, request: Request, tree_id: int, case_id: int) -> Response:
        return Response(cs.CaseSerializer(self.case(), context=self.context()).data)

    @extend_schema(request=cs.CaseUpdateSerializer, responses=cs.CaseSerializer)
    def patch(self, request: Request, tree_id: int, case_id: int) -> Response:
        case = self.case()
        data = validated_input(cs.CaseUpdateSerializer, request.data)
        if data.get("favoured_parent"):
            data["favoured_parent"] = self.person(data["favoured_parent"])
        casework.case_update(access=self.access(), case=case, data=data)
        return Response(cs.CaseSerializer(self.case(), context=self.context()).data)


class CaseAssignView(CaseAPIView):
    @extend_schema(request=cs.CaseAssignSerializer, responses=cs.CaseSerializer)
    def post(self, request: Request, tree_id: int, case_id: int) -> Response:
        case = self.case()
        data = validated_input(cs.CaseAssignSerializer, request.data)
        users = casework.caseworkers_by_username(access=self.access(), usernames=data["caseworkers"])
        casework.case_assign(access=self.access(), case=case, caseworkers=users)
        return Response(cs.CaseSerializer(self.case(), context=self.context()).data)


class CaseReleaseView(CaseAPIView):
    @extend_schema(request=None, responses=cs.CaseReleaseSerializer)
    def post(self, request: Request, tree_id: int, case_id: int) -> Response:
        """Return the public release copy (restricted fields never appear); the release is audited."""
        copy = casework.case_release_copy(access=self.access(), case=self.case())
        return Response(cs.CaseReleaseSerializer(copy).data)


class CaseAttachmentListView(CaseAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": cs.CaseAttachmentUploadSerializer}, responses={201: cs.CaseAttachmentSerializer}
    )
    def post(self, request: Request, tree_id: int, case_id: int) -> Response:
        case = self.case()
        data = validated_input(cs.CaseAttachmentUploadSerializer, request.data)
        upload = data["file"]
        attachment = casework.case_attachment_add(
            access=self.access(),
            case=case,
            data=upload.read(),
            original_name=upload.name or "",
            content_type=getattr(upload, "content_type", "") or "",
            description=data["description"],
            relative=self.person(data["relative"]) if data["relative"] else None,
            age_group=data["age_group"],
        )
        return Response(cs.CaseAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class CaseCandidateListView(CaseAPIView):
    @extend_schema(responses=cs.CaseGenerationSerializer(many=True))
    def get(self, request: Request, tree_id: int, case_id: int) -> Response:
        generations = selectors.case_generations(case=self.case())
        return Response(cs.CaseGenerationSerializer(generations, many=True, context=self.context()).data)

    @extend_schema(request=cs.CaseCandidatesRequestSerializer, responses={202: cs.CaseGenerationSerializer(many=True)})
    def post(self, request: Request, tree_id: int, case_id: int) -> Response:
        case = self.case()
        data = validated_input(cs.CaseCandidatesRequestSerializer, request.data)
        casework.case_candidates_request(
            access=self.access(),
            case=case,
            age_groups=data["age_groups"],
            include_age_today=data["include_age_today"],
            per_group=data["per_group"],
            engines=data["engines"],
            gender=data["gender"],
            params=data["params"],
        )
        generations = selectors.case_generations(case=case)
        return Response(
            cs.CaseGenerationSerializer(generations, many=True, context=self.context()).data,
            status=status.HTTP_202_ACCEPTED,
        )


class CaseRankingListView(CaseAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=cs.FoundPhotoRankingSerializer(many=True))
    def get(self, request: Request, tree_id: int, case_id: int) -> Response:
        rankings = selectors.case_rankings(case=self.case())
        rankings = found_photo_rankings_labelled(access=self.access(), rankings=rankings)
        return Response(cs.FoundPhotoRankingSerializer(rankings, many=True).data)

    @extend_schema(
        request={"multipart/form-data": cs.FoundPhotoUploadSerializer}, responses={201: cs.FoundPhotoRankingSerializer}
    )
    def post(self, request: Request, tree_id: int, case_id: int) -> Response:
        """Rank the case's faces against a found photo: a lead, not an identification."""
        case = self.case()
        data = validated_input(cs.FoundPhotoUploadSerializer, request.data)
        upload = data["file"]
        upload.seek(0)
        ranking = found_photo_rank(
            access=self.access(),
            case=case,
            data=upload.read(),
            original_name=upload.name or "",
            face_box=data["face_box"],
            include_tree_persons=data["include_tree_persons"],
        )
        (ranking,) = found_photo_rankings_labelled(access=self.access(), rankings=[ranking])
        return Response(cs.FoundPhotoRankingSerializer(ranking).data, status=status.HTTP_201_CREATED)


class CaseReportView(CaseAPIView):
    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def post(self, request: Request, tree_id: int, case_id: int) -> HttpResponse:
        """Produce the case report PDF; a POST because each report is recorded in the audit trail with its hash."""
        case = self.case()
        data = case_report_pdf(access=self.access(), case=case)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-report.pdf"'
        return response


class CaseReminderDoneView(CaseAPIView):
    @extend_schema(request=None, responses=cs.CaseReminderSerializer)
    def post(self, request: Request, tree_id: int, case_id: int, reminder_id: int) -> Response:
        reminder = selectors.case_reminder_get(case=self.case(), reminder_id=reminder_id)
        reminder = casework.case_reminder_done(access=self.access(), reminder=reminder)
        return Response(cs.CaseReminderSerializer(reminder).data)
