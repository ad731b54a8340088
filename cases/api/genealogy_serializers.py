"""Read-only shapes of the genealogy reads: timelines, relatives, places, surnames and relationships."""

from __future__ import annotations

from rest_framework import serializers


class CitationViewSerializer(serializers.Serializer):
    source_title = serializers.CharField()
    page = serializers.CharField()
    text = serializers.CharField()
    quality = serializers.IntegerField(allow_null=True, help_text="GEDCOM QUAY 0–3.")


class TimelineEventSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="What happened: Birth, Burial, Title, Marriage…")
    date = serializers.CharField(help_text="As a reader expects it: “about 1925”.")
    date_recorded = serializers.CharField(help_text="The date phrase exactly as recorded (GEDCOM form).")
    place = serializers.CharField()
    description = serializers.CharField(help_text="An attribute's value or an event's type.")
    age = serializers.CharField(help_text="The person's age then: “34” or a range “33–35”; empty when unknown.")
    family = serializers.IntegerField(source="family.pk", allow_null=True, default=None)
    citations = CitationViewSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class RelativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(help_text="“Living person” when the person is private to you.")
    private = serializers.BooleanField()
    relation = serializers.CharField(help_text="parent, sibling, partner or child")
    family = serializers.IntegerField()


class MediaReferenceSerializer(serializers.Serializer):
    title = serializers.CharField()
    path = serializers.CharField()


class PersonTimelineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    private = serializers.BooleanField(help_text="True: the person's details are hidden; lists are empty.")
    events = TimelineEventSerializer(many=True)
    relatives = RelativeSerializer(many=True)
    citations = CitationViewSerializer(many=True, help_text="Citations on the person as a whole.")
    notes = serializers.ListField(child=serializers.CharField())
    media = MediaReferenceSerializer(many=True, help_text="GEDCOM media links whose files are not photos here.")


class SurnameSerializer(serializers.Serializer):
    surname = serializers.CharField()
    count = serializers.IntegerField()


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Events you may see at this exact place.")


class PlaceEventSerializer(serializers.Serializer):
    label = serializers.CharField()
    date = serializers.CharField()
    place = serializers.CharField()
    person = serializers.IntegerField(source="person.pk", allow_null=True, default=None)
    family = serializers.IntegerField(source="family.pk", allow_null=True, default=None)


class PathNodeSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    name = serializers.CharField()
    x = serializers.FloatField()
    y = serializers.FloatField()
    role = serializers.CharField(help_text="“end” for the two persons, “ancestor” for the common ancestor.")


class PathLineSerializer(serializers.Serializer):
    x1 = serializers.FloatField()
    y1 = serializers.FloatField()
    x2 = serializers.FloatField()
    y2 = serializers.FloatField()
    kind = serializers.ChoiceField(choices=["child", "partner"])


class RelationshipSerializer(serializers.Serializer):
    a = serializers.IntegerField(source="a.pk")
    b = serializers.IntegerField(source="b.pk")
    related = serializers.BooleanField()
    name = serializers.CharField(help_text="What B is to A: “first cousin once removed”, “sister-in-law”.")
    sentence = serializers.CharField()
    generations_up = serializers.IntegerField(allow_null=True)
    generations_down = serializers.IntegerField(allow_null=True)
    common_ancestors = PathNodeSerializer(many=True)
    nodes = PathNodeSerializer(many=True, help_text="The path, laid out for a small chart.")
    lines = PathLineSerializer(many=True)
    width = serializers.FloatField()
    height = serializers.FloatField()
