"""Input and output shapes of the API; no writes happen here."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.audit_csv import FIELDS as AUDIT_FIELDS
from cases.genealogy.names import NAME_FORMATS
from cases.models import (
    AuditEvent,
    Candidate,
    CandidateApproval,
    ChildLink,
    Face,
    Family,
    GenerationJob,
    Membership,
    Person,
    Photo,
    Tree,
)
from cases.models.records import Ancestry, FamilyType, NameType, Pedigree, Sex
from cases.models.trees import Role
from cases.selectors.audit import audit_events_redacted
from cases.selectors.trees import PRIVATE_NAME
from cases.services.generation.engines import ENGINE_LABELS
from genetics import parameters
from genetics.engine import AGE_GROUPS, GENDERS


class TreeSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    name_format = serializers.CharField(
        read_only=True,
        help_text=f"How names are shown: one of {', '.join(NAME_FORMATS)}, or empty for the site default.",
    )

    class Meta:
        model = Tree
        fields = ["id", "name", "description", "living_age_limit", "name_format", "created_at", "role"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_role(self, tree: Tree) -> str | None:
        return self.context.get("roles", {}).get(tree.pk)


class TreeSettingsSerializer(serializers.Serializer):
    name_format = serializers.ChoiceField(
        choices=[("", "Site default"), *NAME_FORMATS.items()],
        allow_blank=True,
        help_text="How persons' names are shown everywhere in the tree; empty follows the site default.",
    )


class TreeCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "can_see_living", "scope_person", "scope_depth"]


class MembershipSetSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    can_see_living = serializers.BooleanField(required=False, allow_null=True, default=None)
    scope_person = serializers.IntegerField(required=False, allow_null=True, default=None)
    scope_depth = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=20)


class MembershipAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class AlternateNameSerializer(serializers.Serializer):
    name_type = serializers.ChoiceField(choices=NameType.choices, default=NameType.AKA)
    prefix = serializers.CharField(required=False, allow_blank=True, max_length=50)
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    nickname = serializers.CharField(required=False, allow_blank=True, max_length=100)
    surname_prefix = serializers.CharField(required=False, allow_blank=True, max_length=50)
    surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    suffix = serializers.CharField(required=False, allow_blank=True, max_length=50)


class PersonSerializer(serializers.ModelSerializer):
    """A person as the requesting user may see them: private persons show no details."""

    private = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField()
    living = serializers.SerializerMethodField()
    portrait = serializers.SerializerMethodField()

    PRIVATE_FIELDS = (
        "given_names",
        "surname",
        "sex",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "is_deceased",
        "ancestry",
        "hair_colour",
        "portrait",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "display_name",
            "private",
            "living",
            "given_names",
            "surname",
            "sex",
            "birth_date",
            "birth_place",
            "death_date",
            "death_place",
            "is_deceased",
            "living_override",
            "is_hypothetical",
            "ancestry",
            "hair_colour",
            "portrait",
            "url",
        ]

    url = serializers.SerializerMethodField()

    def to_representation(self, person: Person) -> dict[str, Any]:
        data = super().to_representation(person)
        if data["private"]:
            for name in (*self.PRIVATE_FIELDS, "living_override"):
                data[name] = None
        return data

    def get_private(self, person: Person) -> bool:
        return self.context["access"].person_private(person)

    def get_display_name(self, person: Person) -> str:
        return PRIVATE_NAME if self.get_private(person) else person.display_name

    def get_living(self, person: Person) -> bool:
        from cases.access import person_is_living

        return person_is_living(person, age_limit=self.context["access"].tree.effective_living_age_limit)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_portrait(self, person: Person) -> dict[str, Any] | None:
        face = person.portrait_face
        if face is None:
            return None
        return {"face_id": face.pk, "photo_id": face.photo_id, "box": face.box}

    def get_url(self, person: Person) -> str:
        return reverse("api-person-detail", kwargs={"tree_id": person.tree_id, "person_id": person.pk})


class PersonWriteSerializer(serializers.Serializer):
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.CharField(required=False, allow_blank=True, max_length=100)
    birth_place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    death_date = serializers.CharField(required=False, allow_blank=True, max_length=100)
    death_place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    is_deceased = serializers.BooleanField(required=False)
    living_override = serializers.BooleanField(required=False, allow_null=True)
    is_hypothetical = serializers.BooleanField(required=False)
    ancestry = serializers.ChoiceField(
        choices=Ancestry.choices,
        required=False,
        allow_blank=True,
        help_text="Sensitive: only as the records state it; the gene-pool key for generation. Empty: not stated.",
    )
    hair_colour = serializers.ChoiceField(
        choices=list(parameters.HAIR_COLOURS.items()),
        required=False,
        allow_blank=True,
        help_text="Natural hair colour as the records state it, passed on to generated candidates instead of "
        "the colour read from a photo. Empty: read from the photo.",
    )
    alternate_names = AlternateNameSerializer(many=True, required=False)


class ChildLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildLink
        fields = ["id", "child", "pedigree", "order"]


class FamilySerializer(serializers.ModelSerializer):
    children = ChildLinkSerializer(source="child_links", many=True, read_only=True)

    class Meta:
        model = Family
        fields = ["id", "partner1", "partner2", "family_type", "start_date", "end_date", "children"]

    def to_representation(self, family: Family) -> dict[str, Any]:
        data = super().to_representation(family)
        if self.context["access"].family_dates_hidden(family):
            data["start_date"] = data["end_date"] = None
        return data


class FamilyWriteSerializer(serializers.Serializer):
    partner1 = serializers.IntegerField(required=False, allow_null=True)
    partner2 = serializers.IntegerField(required=False, allow_null=True)
    family_type = serializers.ChoiceField(choices=FamilyType.choices, required=False)
    start_date = serializers.CharField(required=False, allow_blank=True, max_length=100)
    end_date = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ChildAddSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    pedigree = serializers.ChoiceField(choices=Pedigree.choices, default=Pedigree.BIRTH)


class FaceSerializer(serializers.ModelSerializer):
    box = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Face
        fields = ["id", "box", "person", "landmarks"]


class FaceAssignSerializer(serializers.Serializer):
    person = serializers.IntegerField(allow_null=True)


class CandidateApprovalSerializer(serializers.ModelSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    class Meta:
        model = CandidateApproval
        fields = ["candidate", "approved_by_username", "approver_role", "note", "approved_at"]
        read_only_fields = ["candidate", "approved_by_username", "approver_role", "approved_at"]


class CandidateAdoptSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    confirm_person_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the person is not hypothetical: their displayed name, typed to confirm.",
    )


class PhotoUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    date_taken = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text='When the photo was taken, as a genealogical date ("1985", "ABT 1950", "BET 1920 AND 1925"); '
        '"" clears it. It gives each person\'s age on the photo.',
    )


class PhotoSerializer(serializers.ModelSerializer):
    faces = FaceSerializer(many=True, read_only=True)
    original_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "title",
            "original_name",
            "sha256",
            "image_format",
            "byte_size",
            "width",
            "height",
            "exif_orientation",
            "date_taken",
            "detection_status",
            "detection_error",
            "persons",
            "faces",
            "original_url",
            "thumbnail_url",
            "is_synthetic",
            "consent_to_generation",
            "consent_given_by",
            "created_at",
        ]

    def get_original_url(self, photo: Photo) -> str:
        return reverse("photo-file", kwargs={"tree_id": photo.tree_id, "photo_id": photo.pk, "variant": "original"})

    def get_thumbnail_url(self, photo: Photo) -> str:
        return reverse("photo-file", kwargs={"tree_id": photo.tree_id, "photo_id": photo.pk, "variant": "thumbnail"})


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    date_taken = serializers.CharField(required=False, allow_blank=True, default="")
    persons = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class PortraitSerializer(serializers.Serializer):
    face = serializers.IntegerField(required=False, help_text="The face's id; or give photo and box.")
    photo = serializers.IntegerField(required=False, help_text="With box: the photo the chosen face is on.")
    box = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=4,
        max_length=4,
        required=False,
        help_text="[left, top, right, bottom] of the chosen face (a group photo's face), in photo pixels.",
    )

    def validate(self, data):
        if "face" not in data and not ("photo" in data and "box" in data):
            raise serializers.ValidationError("Give a face id, or a photo id and the chosen face's box.")
        return data


class FaceGateSerializer(serializers.Serializer):
    box = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=4,
        max_length=4,
        required=False,
        allow_null=True,
        help_text="[left, top, right, bottom] of the face to check (a group photo's "
        "face), in photo pixels; omit for a photo of one face.",
    )


class FaceGateResultSerializer(serializers.Serializer):
    face_box = serializers.ListField(child=serializers.IntegerField())
    face_side = serializers.IntegerField()
    low_resolution = serializers.BooleanField()
    enlarged = serializers.FloatField()
    yaw = serializers.FloatField()
    frontalised = serializers.BooleanField()
    monochrome = serializers.BooleanField()
    tone = serializers.ChoiceField(choices=["colour", "grey", "sepia"])
    tint = serializers.ListField(child=serializers.FloatField())
    detector_score = serializers.FloatField()
    notes = serializers.ListField(child=serializers.CharField())


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    detail = serializers.CharField()


class PhotoConsentSerializer(serializers.Serializer):
    consent_to_generation = serializers.BooleanField()
    consent_given_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class RegionChoiceSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=list(parameters.REGION_MODES), default="default")
    weight = serializers.FloatField(min_value=0, max_value=1, default=0.5)


def _limited(field: type[serializers.Field], limit: parameters.Limit, **kwargs: Any) -> serializers.Field:
    """Return a number field checked against one of genetics.parameters' limits."""
    kind = int if field is serializers.IntegerField else float

    def check(value: float) -> None:
        if not limit.contains(value):
            raise serializers.ValidationError(f"Must be in {limit.describe()}.")

    return field(
        min_value=kind(limit.low), max_value=kind(limit.high), default=kind(limit.default), validators=[check], **kwargs
    )


class GenerationParamsSerializer(serializers.Serializer):
    age_group = serializers.ChoiceField(choices=list(AGE_GROUPS), default=parameters.DEFAULT_AGE_GROUP)
    gender = serializers.ChoiceField(choices=list(GENDERS), default=parameters.DEFAULT_GENDER)
    gamma = _limited(serializers.FloatField, parameters.GAMMA)
    eta = _limited(serializers.FloatField, parameters.ETA)
    num_candidates = _limited(serializers.IntegerField, parameters.NUM_CANDIDATES)
    seed = serializers.IntegerField(min_value=0, max_value=2**63 - 1, required=False)
    resolution = serializers.ChoiceField(choices=list(parameters.RESOLUTIONS), default=parameters.DEFAULT_RESOLUTION)
    regions = serializers.DictField(
        child=RegionChoiceSerializer(), required=False, default=dict, help_text="Keys: " + ", ".join(parameters.REGIONS)
    )
    ancestry = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    hair_colours = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="The two parents' natural hair colours, first parent first: each one of "
        f'{", ".join(parameters.HAIR_COLOURS)}, or "" to read it from that parent\'s photo. '
        "Left out: as the parents' records state them.",
    )
    parent_ages = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=parameters.MAX_PARENT_AGE, allow_null=True),
        required=False,
        min_length=2,
        max_length=2,
        help_text="The two parents' ages on their photos, first parent first, or null where unknown: hair that "
        "reads white or salt-and-pepper is taken for greying only on a parent who may be 40 or older. "
        "Left out: from the parents' birth dates and their photos' dates.",
    )

    def validate_hair_colours(self, value: list[str]) -> list[str]:
        if not parameters.hair_colours_valid(value):
            raise serializers.ValidationError(
                f"Give two hair colours, first parent first, each one of {', '.join(parameters.HAIR_COLOURS)} "
                'or "" (read from the photo).'
            )
        return value

    def validate_regions(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(parameters.REGIONS))
        if unknown:
            raise serializers.ValidationError(f"Unknown regions {unknown}; choose from {list(parameters.REGIONS)}.")
        return value


class GenerationRequestSerializer(serializers.Serializer):
    family = serializers.IntegerField(required=False, allow_null=True)
    child = serializers.IntegerField(required=False, allow_null=True)
    engine = serializers.ChoiceField(choices=list(ENGINE_LABELS), default="auto")
    infer_ancestry = serializers.BooleanField(default=False)
    params = GenerationParamsSerializer()


class CandidateSerializer(serializers.ModelSerializer):
    synthetic = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "index",
            "synthetic",
            "seed",
            "image_sha256",
            "distance_father",
            "distance_mother",
            "resemblance_father",
            "resemblance_mother",
            "detected_again",
            "image_url",
            "download_url",
            "meta",
        ]

    def get_synthetic(self, candidate: Candidate) -> bool:
        return True

    def get_image_url(self, candidate: Candidate) -> str:
        return reverse("candidate-image", kwargs={"tree_id": candidate.job.tree_id, "candidate_id": candidate.pk})

    def get_download_url(self, candidate: Candidate) -> str:
        return (
            reverse("candidate-image", kwargs={"tree_id": candidate.job.tree_id, "candidate_id": candidate.pk})
            + "?download=1"
        )


class GenerationJobSerializer(serializers.ModelSerializer):
    candidates = CandidateSerializer(many=True, read_only=True)
    input_quality = serializers.SerializerMethodField()

    class Meta:
        model = GenerationJob
        fields = [
            "id",
            "family",
            "child",
            "engine",
            "engine_version",
            "model_checksums",
            "params",
            "seed",
            "num_candidates",
            "infer_ancestry",
            "state",
            "progress",
            "stage",
            "eta_seconds",
            "error",
            "timings",
            "cancel_requested",
            "requested_by",
            "rerun_of",
            "created_at",
            "started_at",
            "finished_at",
            "candidates",
            "diversity",
            "input_quality",
        ]

    def get_input_quality(self, job: GenerationJob) -> dict:
        """Return the gate's facts and notes; the tree photos used as references only as counts.

        Which photo showed whom at what age is in the audit log, for those who may read it; a
        job's readers may not see every person whose photos taught the engine.
        """
        quality = dict(job.input_quality)
        references = quality.get("references")
        if references:
            quality["references"] = {
                "csv": references.get("csv"),
                "fingerprint": references.get("fingerprint"),
                "tree_photos": len(references.get("tree_photos", [])),
                "skipped": len(references.get("skipped", [])),
            }
        return quality


class AuditEventListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        # Names withheld for the reader, one query for the page (see audit_events_redacted).
        events = audit_events_redacted(access=self.context["access"], events=data)
        return super().to_representation(events)


class AuditEventSerializer(serializers.ModelSerializer):
    """An audit row; ``payload`` as the reader may see it, ``payload_redacted`` when names were withheld."""

    payload = serializers.JSONField(source="shown_payload", read_only=True)
    payload_redacted = serializers.BooleanField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = list(AUDIT_FIELDS)  # the CSV download's columns: one list for both
        list_serializer_class = AuditEventListSerializer

    def to_representation(self, instance):
        if not hasattr(instance, "shown_payload"):
            (instance,) = audit_events_redacted(access=self.context["access"], events=[instance])
        return super().to_representation(instance)
