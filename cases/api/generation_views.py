"""API for generation jobs, candidates, consent and the audit trail."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.access import Capability
from cases.api import serializers as s
from cases.api.base import TreeAPIView, query_id, validated_input
from cases.audit_csv import audit_csv_response
from cases.errors import NotFound
from cases.services import generation as generation_services, photos as photo_services
from cases.services.generation.approval import candidate_approval_revoke, candidate_approve


class GenerationJobListView(TreeAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("family", int), OpenApiParameter("child", int)],
        responses=s.GenerationJobSerializer(many=True),
    )
    def get(self, request: Request, tree_id: int) -> Response:
        jobs = selectors.generation_jobs(
            access=self.access(), family_id=query_id(request, "family"), child_id=query_id(request, "child")
        )
        return self.paginate(jobs, s.GenerationJobSerializer)

    @extend_schema(request=s.GenerationRequestSerializer, responses={202: s.GenerationJobSerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(s.GenerationRequestSerializer, request.data)
        family = self.family(data["family"]) if data.get("family") else None
        child = self.person(data["child"]) if data.get("child") else None
        job = generation_services.generation_request(
            access=self.access(),
            params=data["params"],
            family=family,
            child=child,
            engine=data["engine"],
            infer_ancestry=data["infer_ancestry"],
        )
        return Response(s.GenerationJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class GenerationJobDetailView(TreeAPIView):
    @extend_schema(responses=s.GenerationJobSerializer)
    def get(self, request: Request, tree_id: int, job_id: int) -> Response:
        job = selectors.generation_job_get(access=self.access(), job_id=job_id)
        return Response(s.GenerationJobSerializer(job).data)


class GenerationJobCancelView(TreeAPIView):
    @extend_schema(request=None, responses=s.GenerationJobSerializer)
    def post(self, request: Request, tree_id: int, job_id: int) -> Response:
        job = selectors.generation_job_get(access=self.access(), job_id=job_id)
        job = generation_services.generation_cancel(access=self.access(), job=job)
        return Response(s.GenerationJobSerializer(job).data)


class GenerationJobRerunView(TreeAPIView):
    @extend_schema(request=None, responses={202: s.GenerationJobSerializer})
    def post(self, request: Request, tree_id: int, job_id: int) -> Response:
        job = selectors.generation_job_get(access=self.access(), job_id=job_id)
        job = generation_services.generation_rerun(access=self.access(), job=job)
        return Response(s.GenerationJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class CandidateAdoptView(TreeAPIView):
    @extend_schema(request=s.CandidateAdoptSerializer, responses=s.PhotoSerializer)
    def post(self, request: Request, tree_id: int, candidate_id: int) -> Response:
        data = validated_input(s.CandidateAdoptSerializer, request.data)
        candidate = selectors.candidate_get(access=self.access(), candidate_id=candidate_id)
        photo = generation_services.candidate_adopt(
            access=self.access(),
            candidate=candidate,
            person=self.person(data["person"]),
            confirm_person_name=data["confirm_person_name"],
        )
        return Response(s.PhotoSerializer(photo).data)


class CandidateApprovalView(TreeAPIView):
    @extend_schema(request=s.CandidateApprovalSerializer, responses={201: s.CandidateApprovalSerializer})
    def post(self, request: Request, tree_id: int, candidate_id: int) -> Response:
        """Approve a case candidate to leave Kinship (an owner or auditor who did not request it)."""
        data = validated_input(s.CandidateApprovalSerializer, request.data)
        candidate = selectors.candidate_get(access=self.access(), candidate_id=candidate_id)
        approval = candidate_approve(access=self.access(), candidate=candidate, note=data["note"])
        return Response(s.CandidateApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, tree_id: int, candidate_id: int) -> Response:
        """Revoke the approval."""
        candidate = selectors.candidate_get(access=self.access(), candidate_id=candidate_id)
        candidate_approval_revoke(access=self.access(), candidate=candidate)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonAdoptionUndoView(TreeAPIView):
    @extend_schema(request=None, responses=s.PersonSerializer)
    def post(self, request: Request, tree_id: int, person_id: int) -> Response:
        person = generation_services.candidate_adoption_undo(access=self.access(), person=self.person(person_id))
        return Response(s.PersonSerializer(person, context=self.context()).data)


class PhotoConsentView(TreeAPIView):
    @extend_schema(request=s.PhotoConsentSerializer, responses=s.PhotoSerializer)
    def post(self, request: Request, tree_id: int, photo_id: int) -> Response:
        data = validated_input(s.PhotoConsentSerializer, request.data)
        photo = selectors.photo_get(access=self.access(), photo_id=photo_id)
        photo = photo_services.photo_set_consent(
            access=self.access(), photo=photo, consent=data["consent_to_generation"], given_by=data["consent_given_by"]
        )
        return Response(s.PhotoSerializer(photo).data)


class AuditListView(TreeAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("action", str),
            OpenApiParameter("actor", str),
            OpenApiParameter("object_type", str),
            OpenApiParameter("object_id", int),
            OpenApiParameter("person", int, description="the person's history"),
            OpenApiParameter("family", int),
            OpenApiParameter("case", int),
            OpenApiParameter("since", str, description="ISO date or datetime"),
            OpenApiParameter("until", str, description="ISO date or datetime"),
            OpenApiParameter("export", str, enum=["csv"], description="csv: download as CSV"),
        ],
        responses=s.AuditEventSerializer(many=True),
    )
    def get(self, request: Request, tree_id: int):
        access = self.access()
        access.require(Capability.VIEW_AUDIT)
        filters = {
            k: v for k, v in request.query_params.items() if k in ("action", "actor", "object_type", "since", "until")
        }
        events = selectors.audit_events(
            access=access,
            object_id=query_id(request, "object_id"),
            person_id=query_id(request, "person"),
            family_id=query_id(request, "family"),
            case_id=query_id(request, "case"),
            **filters,
        )
        if request.query_params.get("export") == "csv":
            return audit_csv_response(events, access=access)
        return self.paginate(events, s.AuditEventSerializer)


class AuditRerunView(TreeAPIView):
    @extend_schema(request=None, responses={202: s.GenerationJobSerializer})
    def post(self, request: Request, tree_id: int, event_id: int) -> Response:
        """Re-run a recorded generation from its audit row alone (same inputs, parameters and seed)."""
        access = self.access()
        event = selectors.audit_events(access=access).filter(pk=event_id).first()
        if event is None:
            raise NotFound("No such audit event in this tree.")
        job = generation_services.generation_rerun_from_audit(access=access, event=event)
        return Response(s.GenerationJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
