"""Serializers for missing-person cases: input validation and output shapes, no writes."""

from __future__ import annotations

from rest_framework import serializers

from cases.api.serializers import GenerationJobSerializer
from cases.models import Case, CaseAttachment, CaseGeneration, CaseReminder, CaseStatus, FoundPhotoRanking
from cases.selectors.trees import PRIVATE_NAME
from genetics import parameters


class AgencyReferenceSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=200)


class CaseReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseReminder
        fields = ["id", "due_on", "message", "done_at"]


class CaseAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseAttachment
        fields = ["id", "original_name", "sha256", "content_type", "description", "relative", "age_group", "created_at"]


class CaseSerializer(serializers.ModelSerializer):
    """A case as its assigned caseworkers and auditors see it, restricted fields included."""

    missing_person_name = serializers.SerializerMethodField()
    caseworkers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    agency_references = AgencyReferenceSerializer(source="restricted.agency_references", many=True, read_only=True)
    circumstances = serializers.CharField(source="restricted.circumstances", read_only=True)
    notes = serializers.CharField(source="restricted.notes", read_only=True)
    reminders = CaseReminderSerializer(many=True, read_only=True)
    attachments = CaseAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "organisation",
            "number",
            "status",
            "missing_person",
            "missing_person_name",
            "date_last_seen",
            "age_last_seen",
            "public_description",
            "favoured_parent",
            "caseworkers",
            "progression_last_done",
            "progression_next_due",
            "agency_references",
            "circumstances",
            "notes",
            "reminders",
            "attachments",
            "created_at",
            "updated_at",
        ]

    def get_missing_person_name(self, case: Case) -> str:
        # The living-person rule holds in case material too (auditors see "Living person" unless granted).
        if self.context["access"].person_hidden(case.missing_person):
            return PRIVATE_NAME
        return case.missing_person.display_name


class CaseCreateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200)
    number = serializers.CharField(max_length=60)
    missing_person = serializers.IntegerField()
    date_last_seen = serializers.DateField(required=False, allow_null=True, default=None)
    age_last_seen = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=150)
    public_description = serializers.CharField(required=False, allow_blank=True, default="")
    favoured_parent = serializers.IntegerField(required=False, allow_null=True, default=None)
    agency_references = AgencyReferenceSerializer(many=True, required=False, default=list)
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    caseworkers = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list)


class CaseUpdateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200, required=False)
    number = serializers.CharField(max_length=60, required=False)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    date_last_seen = serializers.DateField(required=False, allow_null=True)
    age_last_seen = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=150)
    public_description = serializers.CharField(required=False, allow_blank=True)
    favoured_parent = serializers.IntegerField(required=False, allow_null=True)
    agency_references = AgencyReferenceSerializer(many=True, required=False)
    circumstances = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class CaseAssignSerializer(serializers.Serializer):
    caseworkers = serializers.ListField(child=serializers.CharField(max_length=150), allow_empty=False)


class CaseReleaseSerializer(serializers.Serializer):
    """The public release copy: these fields and no others."""

    organisation = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    missing_person = serializers.CharField()
    birth_date = serializers.CharField()
    date_last_seen = serializers.DateField(allow_null=True)
    age_last_seen = serializers.IntegerField(allow_null=True)
    public_description = serializers.CharField()


class CaseAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    relative = serializers.IntegerField(required=False, allow_null=True, default=None)
    age_group = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class CaseCandidatesRequestSerializer(serializers.Serializer):
    age_groups = serializers.ListField(child=serializers.CharField(max_length=10), required=False, default=list)
    include_age_today = serializers.BooleanField(required=False, default=True)
    per_group = serializers.IntegerField(
        required=False,
        default=int(parameters.NUM_CANDIDATES.default),
        min_value=int(parameters.NUM_CANDIDATES.low),
        max_value=int(parameters.NUM_CANDIDATES.high),
    )
    engines = serializers.ListField(
        child=serializers.CharField(max_length=20, allow_blank=True), required=False, default=lambda: [""], max_length=2
    )
    gender = serializers.ChoiceField(choices=["", "male", "female"], required=False, default="")
    params = serializers.DictField(required=False, default=dict)


class CaseGenerationSerializer(serializers.ModelSerializer):
    job = GenerationJobSerializer(read_only=True)

    class Meta:
        model = CaseGeneration
        fields = ["id", "age_group", "is_age_today", "job", "created_at"]


class FoundPhotoUploadSerializer(serializers.Serializer):
    file = serializers.ImageField()
    include_tree_persons = serializers.BooleanField(required=False, default=False)
    face_box = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=4,
        max_length=4,
        required=False,
        allow_null=True,
        default=None,
    )


class RankingResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["candidate", "parent", "person"])
    object_id = serializers.IntegerField()
    label = serializers.CharField()
    distance = serializers.FloatField()
    similarity = serializers.FloatField()


class FoundPhotoRankingSerializer(serializers.ModelSerializer):
    """A ranking as labelled for the reader by ``found_photo_rankings_labelled`` (living names withheld)."""

    results = RankingResultSerializer(source="labelled_results", many=True, read_only=True)
    performed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FoundPhotoRanking
        fields = [
            "id",
            "original_name",
            "sha256",
            "face_box",
            "include_tree_persons",
            "results",
            "warning",
            "performed_by",
            "created_at",
        ]
