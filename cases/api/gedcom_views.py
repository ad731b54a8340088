"""GEDCOM import (upload → preview → confirm, as background jobs) and export endpoints."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import Capability
from cases.api.base import TreeAPIView, validated_input
from cases.errors import NotFound
from cases.models import GedcomImport
from cases.services import gedcom as gedcom_services


class GedcomUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".ged, or a .zip / .gdz holding the .ged and its media")
    force = serializers.BooleanField(default=False, help_text="Import a file already imported into another tree.")


class GedcomImportSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = GedcomImport
        fields = [
            "id",
            "url",
            "original_name",
            "sha256",
            "state",
            "progress",
            "preview",
            "result",
            "error",
            "force",
            "created_at",
            "finished_at",
        ]

    def get_progress(self, job: GedcomImport) -> int:
        return gedcom_services.gedcom_import_progress(gedcom_import=job)

    def get_url(self, job: GedcomImport) -> str:
        return reverse("api-gedcom-import-detail", kwargs={"tree_id": job.tree_id, "import_id": job.pk})


class GedcomImportAPIView(TreeAPIView):
    def gedcom_import(self, import_id: int) -> GedcomImport:
        access = self.access()
        access.require(Capability.EDIT)
        job = GedcomImport.objects.filter(tree=access.tree, pk=import_id).first()
        if job is None:
            raise NotFound("No such import in this tree.")
        return job


class GedcomImportListView(GedcomImportAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=GedcomImportSerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        self.access().require(Capability.EDIT)
        jobs = GedcomImport.objects.filter(tree=self.access().tree)
        return Response(GedcomImportSerializer(jobs, many=True).data)

    @extend_schema(
        request={"multipart/form-data": GedcomUploadSerializer},
        responses={202: GedcomImportSerializer},
        description="Store the file and preview it in the background; poll the returned URL, "
        "then POST to its confirm/ to import.",
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(GedcomUploadSerializer, request.data)
        upload = data["file"]
        job = gedcom_services.gedcom_upload(
            access=self.access(), upload=upload, original_name=upload.name or "", force=data["force"]
        )
        job.refresh_from_db()
        body = GedcomImportSerializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class GedcomImportDetailView(GedcomImportAPIView):
    @extend_schema(responses=GedcomImportSerializer)
    def get(self, request: Request, tree_id: int, import_id: int) -> Response:
        return Response(GedcomImportSerializer(self.gedcom_import(import_id)).data)


class GedcomImportConfirmView(GedcomImportAPIView):
    @extend_schema(request=None, responses={202: GedcomImportSerializer})
    def post(self, request: Request, tree_id: int, import_id: int) -> Response:
        job = gedcom_services.gedcom_import_confirm(access=self.access(), gedcom_import=self.gedcom_import(import_id))
        job.refresh_from_db()
        return Response(GedcomImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class GedcomExportView(TreeAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("version", str, enum=["5.5.1", "7.0"]),
            OpenApiParameter("zip", bool, description="Bundle the photos (.zip; .gdz for 7.0)"),
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, tree_id: int) -> HttpResponse:
        version = request.query_params.get("version", "5.5.1")
        as_zip = request.query_params.get("zip", "").lower() in ("1", "true", "yes", "on")
        result = gedcom_services.gedcom_export(access=self.access(), version=version, as_zip=as_zip)
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
