"""Input and output shapes of the lineage-record API: events, notes, sources, repositories, citations,
alternate names and date readings. No writes happen here."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.genealogy.events import FAMILY_EVENT_TAGS, GENERIC_TAGS, PERSON_EVENT_TAGS, event_label
from cases.models import Citation, Event, Note, PersonName, Repository, Source
from cases.models.records import CitedFact, NameType, Pedigree, Sex
from cases.services.dates import date_understand
from cases.services.events import event_age, event_description

EVENT_TAGS = sorted({tag for tag, _ in (*PERSON_EVENT_TAGS, *FAMILY_EVENT_TAGS)})


def event_values(event: Event) -> dict[str, str]:
    """Return an event's editable values as the edit form shows them (what a partial update starts from)."""
    return {
        "tag": event.tag,
        "date": event.date,
        "place": event.place,
        "age": event_age(event),
        "description": event_description(event),
        "event_type": event.event_type if event.tag in GENERIC_TAGS else "",
    }


class EventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(help_text="What a reader calls the event (its TYPE for EVEN/FACT).")
    date_shown = serializers.SerializerMethodField(help_text="The date as pages write it (“about 1925”).")
    age = serializers.SerializerMethodField(help_text="GEDCOM AGE at the event (“34y”), or empty.")
    description = serializers.SerializerMethodField(
        help_text="An attribute's value (occupation, title…) or a plain event's description."
    )
    event_type = serializers.SerializerMethodField(help_text="The TYPE of an “Other event” or “Other fact”.")

    class Meta:
        model = Event
        fields = [
            "id",
            "person",
            "family",
            "tag",
            "label",
            "date",
            "date_shown",
            "date_start",
            "date_end",
            "place",
            "age",
            "description",
            "event_type",
            "order",
        ]

    def get_label(self, event: Event) -> str:
        return event_label(event.tag, event.event_type)

    def get_date_shown(self, event: Event) -> str:
        return date_understand(event.date).shown or event.date

    def get_age(self, event: Event) -> str:
        return event_age(event)

    def get_description(self, event: Event) -> str:
        return event_description(event)

    def get_event_type(self, event: Event) -> str:
        return event.event_type if event.tag in GENERIC_TAGS else ""


class EventWriteSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, min_value=1, help_text="On creation: whose event (or family).")
    family = serializers.IntegerField(required=False, min_value=1, help_text="On creation: which family's event.")
    tag = serializers.ChoiceField(
        choices=EVENT_TAGS, help_text="GEDCOM tag; birth and death of a person are the person's own fields, not events."
    )
    date = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Genealogical date (12 MAR 1901, ABT 1925, BET 1850 AND 1855, (a phrase)); see dates/understand/.",
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    age = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Age at the event (34y, <1y 6m, CHILD); persons' events only.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    event_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="What an “Other event” (EVEN) or “Other fact” (FACT) is.",
    )


class MoveSerializer(serializers.Serializer):
    offset = serializers.IntegerField(
        min_value=-1000, max_value=1000, help_text="Places to move: negative earlier (up), positive later (down)."
    )


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "person", "family", "text", "created_at"]


class NoteWriteSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, min_value=1, help_text="On creation: whose note (or family).")
    family = serializers.IntegerField(required=False, min_value=1, help_text="On creation: which family's note.")
    text = serializers.CharField(max_length=20000, allow_blank=True)


class RepositorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Repository
        fields = ["id", "name", "address"]


class RepositoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "author", "publication", "repository"]


class SourceWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    author = serializers.CharField(required=False, allow_blank=True, max_length=200)
    publication = serializers.CharField(required=False, allow_blank=True, max_length=300)
    repository = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Where the source is kept (a repository id), or null."
    )


def source_values(source: Source) -> dict[str, Any]:
    """Return a source's editable values (what a partial update starts from)."""
    return {
        "title": source.title,
        "author": source.author,
        "publication": source.publication,
        "repository": source.repository_id,
    }


class CitationSerializer(serializers.ModelSerializer):
    source_title = serializers.CharField(source="source.title", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "source_title", "person", "family", "event", "fact", "page", "quality", "text"]


class CitationWriteSerializer(serializers.Serializer):
    source = serializers.IntegerField(min_value=1, help_text="The source cited (a source id).")
    person = serializers.IntegerField(
        required=False, min_value=1, help_text="On creation: the person the citation supports."
    )
    family = serializers.IntegerField(
        required=False, min_value=1, help_text="On creation: the family the citation supports."
    )
    event = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On creation: one event of that person or family (the owner may then be left out).",
    )
    fact = serializers.ChoiceField(
        choices=CitedFact.choices,
        required=False,
        allow_blank=True,
        help_text="A fact kept on the record itself (BIRT, DEAT, MARR, DIV); empty for the record as a whole.",
    )
    page = serializers.CharField(required=False, allow_blank=True, max_length=300)
    quality = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=3,
        help_text="GEDCOM QUAY: 0 unreliable … 3 direct primary evidence.",
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=20000)


def citation_values(citation: Citation) -> dict[str, Any]:
    """Return a citation's editable values (what a partial update starts from)."""
    return {
        "source": citation.source_id,
        "fact": citation.fact,
        "page": citation.page,
        "quality": citation.quality,
        "text": citation.text,
    }


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = [
            "id",
            "person",
            "name_type",
            "prefix",
            "given_names",
            "nickname",
            "surname_prefix",
            "surname",
            "suffix",
        ]


class PersonNameWriteSerializer(serializers.Serializer):
    name_type = serializers.ChoiceField(choices=NameType.choices, required=False)
    prefix = serializers.CharField(required=False, allow_blank=True, max_length=50)
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    nickname = serializers.CharField(required=False, allow_blank=True, max_length=100)
    surname_prefix = serializers.CharField(required=False, allow_blank=True, max_length=50)
    surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    suffix = serializers.CharField(required=False, allow_blank=True, max_length=50)


class ChildLinkUpdateSerializer(serializers.Serializer):
    pedigree = serializers.ChoiceField(choices=Pedigree.choices)


class ChildCreateSerializer(serializers.Serializer):
    given_names = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    surname = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    pedigree = serializers.ChoiceField(choices=Pedigree.choices, default=Pedigree.BIRTH)


class DateReadingSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The phrase as read (spaces collapsed).")
    shown = serializers.CharField(help_text="How pages write it (“about 1925”); empty when not understood.")
    error = serializers.CharField(help_text="Why a form would refuse it; empty when it can be saved.")
    earliest = serializers.DateField(allow_null=True, help_text="First day the date allows.")
    latest = serializers.DateField(allow_null=True, help_text="Last day the date allows.")
