"""API for what is attached to persons and families: events, notes, alternate names, children; date readings.

The same services as the editing pages: editors and owners write; every member reads, except what
is attached to a presumed-living person (or a family with such a partner) when their role may not
see living persons (403), and what lies outside a scoped member's relatives (404).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import Capability
from cases.api import record_serializers as r, serializers as s
from cases.api.base import TreeAPIView, query_id, validated_input
from cases.errors import InvalidInput, NotFound
from cases.models import ChildLink, Event, Family, Note, Person, PersonName
from cases.services import (
    events as event_services,
    families as family_services,
    notes as note_services,
    persons as person_services,
)
from cases.services.dates import date_understand
from cases.services.records import record_subject_readable

SUBJECT_PARAMETERS = [
    OpenApiParameter("person", int, description="The person whose records to list (give this or family)."),
    OpenApiParameter("family", int, description="The family whose records to list (give this or person)."),
]


class RecordAPIView(TreeAPIView):
    """Base of the record views: someone else's tree is not found (404) before any input is judged (400)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.access()


class SubjectAPIView(RecordAPIView):
    """A tree view whose rows belong to one person or one family."""

    def subject_from_query(self) -> tuple[Person | None, Family | None]:
        """Return the readable person or family named by ``?person=`` or ``?family=`` (exactly one)."""
        person_id, family_id = query_id(self.request, "person"), query_id(self.request, "family")
        return self.subject(person_id, family_id, readable=True)

    def subject(
        self, person_id: int | None, family_id: int | None, *, readable: bool = False
    ) -> tuple[Person | None, Family | None]:
        """Return the person or family with these ids (exactly one); check it may be read when asked."""
        if (person_id is None) == (family_id is None):
            raise InvalidInput("Give either person or family (one of them).", extra={"field": "person"})
        person = self.person(person_id) if person_id is not None else None
        family = self.family(family_id) if family_id is not None else None
        if readable:
            record_subject_readable(access=self.access(), person=person, family=family)
        return person, family


def _fixed_owner(data: dict[str, Any], what: str) -> None:
    if "person" in data or "family" in data:
        raise InvalidInput(
            f"{what} stays with its person or family; delete it and add it to the other.",
            extra={"field": "person" if "person" in data else "family"},
        )


class EventListView(SubjectAPIView):
    @extend_schema(
        parameters=SUBJECT_PARAMETERS,
        responses=r.EventSerializer(many=True),
        description="The events and attributes of one person or family, in their order.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        person, family = self.subject_from_query()
        events = Event.objects.filter(**({"person": person} if person else {"family": family}))
        return Response(r.EventSerializer(events, many=True).data)

    @extend_schema(
        request=r.EventWriteSerializer,
        responses={201: r.EventSerializer},
        description="Record an event of a person or a family (editors and owners), after the ones it "
        "has. A date that cannot be read is refused (400) with what to write instead.",
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(r.EventWriteSerializer, request.data)
        person, family = self.subject(data.pop("person", None), data.pop("family", None))
        event = event_services.event_create(access=self.access(), person=person, family=family, **data)
        return Response(r.EventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailMixin:
    def event(self, event_id: int) -> Event:
        event = (
            Event.objects.filter(tree=self.access().tree, pk=event_id)
            .select_related("person", "family__partner1", "family__partner2")
            .first()
        )
        if event is None:
            raise NotFound("No such event in this tree.")
        record_subject_readable(access=self.access(), person=event.person, family=event.family)
        return event


class EventDetailView(EventDetailMixin, RecordAPIView):
    @extend_schema(responses=r.EventSerializer)
    def get(self, request: Request, tree_id: int, event_id: int) -> Response:
        return Response(r.EventSerializer(self.event(event_id)).data)

    @extend_schema(
        request=r.EventWriteSerializer(partial=True),
        responses=r.EventSerializer,
        description="Change an event's tag, date, place, age, description or type; fields left out keep their values.",
    )
    def patch(self, request: Request, tree_id: int, event_id: int) -> Response:
        data = validated_input(r.EventWriteSerializer, request.data, partial=True)
        _fixed_owner(data, "An event")
        event = self.event(event_id)
        values = {**r.event_values(event), **data}
        event = event_services.event_update(access=self.access(), event=event, **values)
        return Response(r.EventSerializer(event).data)

    @extend_schema(responses={204: None}, description="Delete an event with its citations.")
    def delete(self, request: Request, tree_id: int, event_id: int) -> Response:
        event_services.event_delete(access=self.access(), event=self.event(event_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventMoveView(EventDetailMixin, RecordAPIView):
    @extend_schema(
        request=r.MoveSerializer,
        responses=r.EventSerializer(many=True),
        description="Move an event earlier (negative offset) or later among its subject's events; "
        "answers the subject's events in their new order.",
    )
    def post(self, request: Request, tree_id: int, event_id: int) -> Response:
        data = validated_input(r.MoveSerializer, request.data)
        event = event_services.event_move(access=self.access(), event=self.event(event_id), offset=data["offset"])
        events = Event.objects.filter(person_id=event.person_id, family_id=event.family_id)
        return Response(r.EventSerializer(events, many=True).data)


class NoteListView(SubjectAPIView):
    @extend_schema(
        parameters=SUBJECT_PARAMETERS,
        responses=r.NoteSerializer(many=True),
        description="The notes on one person or family.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        person, family = self.subject_from_query()
        notes = Note.objects.filter(**({"person": person} if person else {"family": family}))
        return Response(r.NoteSerializer(notes, many=True).data)

    @extend_schema(
        request=r.NoteWriteSerializer,
        responses={201: r.NoteSerializer},
        description="Attach a note to a person or a family (editors and owners).",
    )
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(r.NoteWriteSerializer, request.data)
        person, family = self.subject(data.pop("person", None), data.pop("family", None))
        note = note_services.note_create(access=self.access(), person=person, family=family, text=data["text"])
        return Response(r.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteDetailView(RecordAPIView):
    def note(self, note_id: int) -> Note:
        note = (
            Note.objects.filter(tree=self.access().tree, pk=note_id)
            .select_related("person", "family__partner1", "family__partner2")
            .first()
        )
        if note is None:
            raise NotFound("No such note in this tree.")
        record_subject_readable(access=self.access(), person=note.person, family=note.family)
        return note

    @extend_schema(responses=r.NoteSerializer)
    def get(self, request: Request, tree_id: int, note_id: int) -> Response:
        return Response(r.NoteSerializer(self.note(note_id)).data)

    @extend_schema(request=r.NoteWriteSerializer(partial=True), responses=r.NoteSerializer)
    def patch(self, request: Request, tree_id: int, note_id: int) -> Response:
        data = validated_input(r.NoteWriteSerializer, request.data, partial=True)
        _fixed_owner(data, "A note")
        note = self.note(note_id)
        note = note_services.note_update(access=self.access(), note=note, text=data.get("text", note.text))
        return Response(r.NoteSerializer(note).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, note_id: int) -> Response:
        note_services.note_delete(access=self.access(), note=self.note(note_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonNameListView(RecordAPIView):
    @extend_schema(responses=r.PersonNameSerializer(many=True), description="A person's alternate names.")
    def get(self, request: Request, tree_id: int, person_id: int) -> Response:
        person = self.person(person_id)
        record_subject_readable(access=self.access(), person=person, family=None)
        return Response(r.PersonNameSerializer(person.alternate_names.all(), many=True).data)

    @extend_schema(
        request=r.PersonNameWriteSerializer,
        responses={201: r.PersonNameSerializer},
        description="Add an alternate name (birth, married, also known as…) to a person.",
    )
    def post(self, request: Request, tree_id: int, person_id: int) -> Response:
        data = validated_input(r.PersonNameWriteSerializer, request.data)
        person = self.person(person_id)
        record_subject_readable(access=self.access(), person=person, family=None)
        name = person_services.person_name_add(access=self.access(), person=person, **data)
        return Response(r.PersonNameSerializer(name).data, status=status.HTTP_201_CREATED)


class PersonNameDetailView(RecordAPIView):
    def alternate_name(self, person_id: int, name_id: int) -> PersonName:
        person = self.person(person_id)
        record_subject_readable(access=self.access(), person=person, family=None)
        name = PersonName.objects.filter(person=person, pk=name_id).first()
        if name is None:
            raise NotFound("No such alternate name of this person.")
        return name

    @extend_schema(
        request=r.PersonNameWriteSerializer(partial=True),
        responses=r.PersonNameSerializer,
        description="Change an alternate name; parts left out keep their values.",
    )
    def patch(self, request: Request, tree_id: int, person_id: int, name_id: int) -> Response:
        data = validated_input(r.PersonNameWriteSerializer, request.data, partial=True)
        name = self.alternate_name(person_id, name_id)
        data.setdefault("name_type", name.name_type)
        name = person_services.person_name_update(access=self.access(), name=name, **data)
        return Response(r.PersonNameSerializer(name).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, person_id: int, name_id: int) -> Response:
        person_services.person_name_delete(access=self.access(), name=self.alternate_name(person_id, name_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FamilyChildCreateView(RecordAPIView):
    @extend_schema(
        request=r.ChildCreateSerializer,
        responses={201: s.ChildLinkSerializer},
        description="Create a new person and link them to the family as a child (both or neither).",
    )
    def post(self, request: Request, tree_id: int, family_id: int) -> Response:
        data = validated_input(r.ChildCreateSerializer, request.data)
        link = family_services.family_child_create(access=self.access(), family=self.family(family_id), **data)
        return Response(s.ChildLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ChildLinkMixin:
    def link(self, family_id: int, link_id: int) -> ChildLink:
        link = ChildLink.objects.select_related("family").filter(family=self.family(family_id), pk=link_id).first()
        if link is None:
            raise NotFound("No such child link.")
        return link


class FamilyChildUpdateView(ChildLinkMixin, RecordAPIView):
    @extend_schema(
        request=r.ChildLinkUpdateSerializer,
        responses=s.ChildLinkSerializer,
        description="Change how a child belongs to the family (birth, adopted, foster, step, unknown).",
    )
    def patch(self, request: Request, tree_id: int, family_id: int, link_id: int) -> Response:
        data = validated_input(r.ChildLinkUpdateSerializer, request.data)
        link = family_services.family_child_update(
            access=self.access(), link=self.link(family_id, link_id), pedigree=data["pedigree"]
        )
        return Response(s.ChildLinkSerializer(link).data)


class FamilyChildMoveView(ChildLinkMixin, RecordAPIView):
    @extend_schema(
        request=r.MoveSerializer,
        responses=s.ChildLinkSerializer(many=True),
        description="Move a child up (negative offset) or down the family's list; answers the "
        "children in their new order.",
    )
    def post(self, request: Request, tree_id: int, family_id: int, link_id: int) -> Response:
        data = validated_input(r.MoveSerializer, request.data)
        links = family_services.family_child_move(
            access=self.access(), link=self.link(family_id, link_id), offset=data["offset"]
        )
        return Response(s.ChildLinkSerializer(links, many=True).data)


class DateUnderstandView(RecordAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("phrase", str, description="A genealogical date as typed.")],
        responses=r.DateReadingSerializer,
        description="How Kinship reads a date phrase (editors and owners, as the edit forms' hint): "
        "“ABT 1925” is “about 1925”, 1925-01-01 to 1925-12-31; ``error`` says why a form "
        "would refuse it.",
    )
    def get(self, request: Request, tree_id: int) -> Response:
        self.access().require(Capability.EDIT)
        return Response(date_understand(request.query_params.get("phrase", "")[:200]).as_json())
