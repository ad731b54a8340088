"""API for the evidence of a tree: sources, the repositories that keep them, and citations of them.

The same services as the source and citation pages: editors and owners write, every member reads.
Citations are read per person, family or event, with the same living-person and scope rules as
the events they support.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import record_serializers as r
from cases.api.base import query_id, validated_input
from cases.api.record_views import EventDetailMixin, RecordAPIView
from cases.errors import InvalidInput, NotFound
from cases.models import Citation, Repository, Source
from cases.selectors.sources import repository_list, source_list
from cases.services import repositories as repository_services, sources as source_services
from cases.services.records import record_subject_readable


class EvidenceAPIView(EventDetailMixin, RecordAPIView):
    def source(self, source_id: int) -> Source:
        source = Source.objects.filter(tree=self.access().tree, pk=source_id).first()
        if source is None:
            raise NotFound("No such source in this tree.")
        return source

    def repository(self, repository_id: int | None) -> Repository | None:
        if repository_id is None:
            return None
        repository = Repository.objects.filter(tree=self.access().tree, pk=repository_id).first()
        if repository is None:
            raise NotFound("No such repository in this tree.")
        return repository

    def citation(self, citation_id: int) -> Citation:
        citation = (
            Citation.objects.select_related("source", "person", "family__partner1", "family__partner2")
            .filter(source__tree=self.access().tree, pk=citation_id)
            .first()
        )
        if citation is None:
            raise NotFound("No such citation in this tree.")
        record_subject_readable(access=self.access(), person=citation.person, family=citation.family)
        return citation


class SourceListView(EvidenceAPIView):
    @extend_schema(
        responses=r.SourceSerializer(many=True),
        parameters=[OpenApiParameter("page", int)],
        description="The tree's sources by title.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        return self.paginate(source_list(access=self.access()), r.SourceSerializer)

    @extend_schema(
        request=r.SourceWriteSerializer,
        responses={201: r.SourceSerializer},
        description="Record a source (editors and owners), kept at ``repository`` when given.",
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(r.SourceWriteSerializer, request.data)
        data["repository"] = self.repository(data.get("repository"))
        source = source_services.source_create(access=self.access(), **data)
        return Response(r.SourceSerializer(source).data, status=status.HTTP_201_CREATED)


class SourceDetailView(EvidenceAPIView):
    @extend_schema(responses=r.SourceSerializer)
    def get(self, request: Request, tree_id: int, source_id: int) -> Response:
        return Response(r.SourceSerializer(self.source(source_id)).data)

    @extend_schema(
        request=r.SourceWriteSerializer(partial=True),
        responses=r.SourceSerializer,
        description="Change a source; fields left out keep their values.",
    )
    def patch(self, request: Request, tree_id: int, source_id: int) -> Response:
        data = validated_input(r.SourceWriteSerializer, request.data, partial=True)
        source = self.source(source_id)
        values = {**r.source_values(source), **data}
        values["repository"] = self.repository(values["repository"])
        source = source_services.source_update(access=self.access(), source=source, **values)
        return Response(r.SourceSerializer(source).data)

    @extend_schema(responses={204: None}, description="Delete a source and every citation of it.")
    def delete(self, request: Request, tree_id: int, source_id: int) -> Response:
        source_services.source_delete(access=self.access(), source=self.source(source_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RepositoryListView(EvidenceAPIView):
    @extend_schema(
        responses=r.RepositorySerializer(many=True),
        parameters=[OpenApiParameter("page", int)],
        description="The archives, libraries and websites where the tree's sources are kept.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        return self.paginate(repository_list(access=self.access()), r.RepositorySerializer)

    @extend_schema(request=r.RepositoryWriteSerializer, responses={201: r.RepositorySerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(r.RepositoryWriteSerializer, request.data)
        repository = repository_services.repository_create(access=self.access(), **data)
        return Response(r.RepositorySerializer(repository).data, status=status.HTTP_201_CREATED)


class RepositoryDetailView(EvidenceAPIView):
    @extend_schema(responses=r.RepositorySerializer)
    def get(self, request: Request, tree_id: int, repository_id: int) -> Response:
        return Response(r.RepositorySerializer(self.repository(repository_id)).data)

    @extend_schema(request=r.RepositoryWriteSerializer(partial=True), responses=r.RepositorySerializer)
    def patch(self, request: Request, tree_id: int, repository_id: int) -> Response:
        data = validated_input(r.RepositoryWriteSerializer, request.data, partial=True)
        repository = self.repository(repository_id)
        values = {"name": repository.name, "address": repository.address, **data}
        repository = repository_services.repository_update(access=self.access(), repository=repository, **values)
        return Response(r.RepositorySerializer(repository).data)

    @extend_schema(responses={204: None}, description="Delete a repository; its sources stay, without one.")
    def delete(self, request: Request, tree_id: int, repository_id: int) -> Response:
        repository_services.repository_delete(access=self.access(), repository=self.repository(repository_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


CITATION_PARAMETERS = [
    OpenApiParameter("person", int, description="Citations supporting this person or their events."),
    OpenApiParameter("family", int, description="Citations supporting this family or its events."),
    OpenApiParameter("event", int, description="Citations supporting this event."),
]


class CitationListView(EvidenceAPIView):
    @extend_schema(
        parameters=CITATION_PARAMETERS,
        responses=r.CitationSerializer(many=True),
        description="The citations supporting one person, family or event (give exactly one).",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        ids = {name: query_id(request, name) for name in ("person", "family", "event")}
        given = [name for name, value in ids.items() if value is not None]
        if len(given) != 1:
            raise InvalidInput("Give exactly one of person, family or event.", extra={"field": "person"})
        if ids["event"] is not None:
            citations = Citation.objects.filter(event=self.event(ids["event"]))
        elif ids["person"] is not None:
            person = self.person(ids["person"])
            record_subject_readable(access=self.access(), person=person, family=None)
            citations = Citation.objects.filter(person=person)
        else:
            family = self.family(ids["family"])
            record_subject_readable(access=self.access(), person=None, family=family)
            citations = Citation.objects.filter(family=family)
        return Response(r.CitationSerializer(citations.select_related("source"), many=True).data)

    @extend_schema(
        request=r.CitationWriteSerializer,
        responses={201: r.CitationSerializer},
        description="Cite a source for a person or family, one of their facts (``fact``) or one of "
        "their events (``event``) (editors and owners).",
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(r.CitationWriteSerializer, request.data)
        owner: dict[str, Any] = {
            "person": self.person(data.pop("person")) if "person" in data else None,
            "family": self.family(data.pop("family")) if "family" in data else None,
            "event": self.event(data.pop("event")) if "event" in data else None,
        }
        data["source"] = self.source(data["source"])
        citation = source_services.citation_create(access=self.access(), **owner, **data)
        return Response(r.CitationSerializer(citation).data, status=status.HTTP_201_CREATED)


class CitationDetailView(EvidenceAPIView):
    @extend_schema(responses=r.CitationSerializer)
    def get(self, request: Request, tree_id: int, citation_id: int) -> Response:
        return Response(r.CitationSerializer(self.citation(citation_id)).data)

    @extend_schema(
        request=r.CitationWriteSerializer(partial=True),
        responses=r.CitationSerializer,
        description="Change the source, fact, page, quality or text of a citation; fields left out "
        "keep their values. Its person, family and event stay.",
    )
    def patch(self, request: Request, tree_id: int, citation_id: int) -> Response:
        data = validated_input(r.CitationWriteSerializer, request.data, partial=True)
        fixed = sorted({"person", "family", "event"} & set(data))
        if fixed:
            raise InvalidInput(
                "A citation keeps what it supports; delete it and cite the source again.", extra={"field": fixed[0]}
            )
        citation = self.citation(citation_id)
        values = {**r.citation_values(citation), **data}
        values["source"] = self.source(values["source"])
        citation = source_services.citation_update(access=self.access(), citation=citation, **values)
        return Response(r.CitationSerializer(citation).data)

    @extend_schema(responses={204: None}, description="Delete a citation; the source stays.")
    def delete(self, request: Request, tree_id: int, citation_id: int) -> Response:
        source_services.citation_delete(access=self.access(), citation=self.citation(citation_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
