"""Generation jobs, their synthetic candidates, and cached parent-face encodings."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models.photos import Face
from cases.models.records import Family, Person
from cases.models.trees import Tree


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


def candidate_image_path(candidate: "Candidate", filename: str) -> str:
    # Deterministic names: a job re-run after a crash overwrites nothing and duplicates nothing.
    return f"trees/{candidate.job.tree_id}/generations/{candidate.job_id}/candidate-{candidate.index:02d}.png"


def candidate_genes_path(candidate: "Candidate", filename: str) -> str:
    return f"trees/{candidate.job.tree_id}/generations/{candidate.job_id}/candidate-{candidate.index:02d}.npz"


def encoding_path(encoding: "FaceEncoding", filename: str) -> str:
    return f"encodings/{encoding.model_key[:40]}/{encoding.photo_sha256}-{encoding.box_key}.npz"


class GenerationJob(models.Model):
    """A request to synthesise candidate children of two parents, and what became of it.

    Each parent is either a chosen face on a real photo or an adopted earlier candidate (the
    multi-generation path, which reuses stored genes and never treats a synthetic image as a photo).
    """

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="generation_jobs")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="generation_jobs")
    child = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="generation_jobs",
        help_text="The child node the candidates are for, when there is one.",
    )
    father_face = models.ForeignKey(Face, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mother_face = models.ForeignKey(Face, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    father_candidate = models.ForeignKey(
        "cases.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mother_candidate = models.ForeignKey(
        "cases.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    engine = models.CharField(max_length=20)
    engine_version = models.CharField(max_length=40, blank=True)
    model_checksums = models.JSONField(default=dict, blank=True)
    params = models.JSONField(help_text="genetics.engine.GenerationParams.to_dict()")
    seed = models.BigIntegerField()
    num_candidates = models.PositiveSmallIntegerField()
    infer_ancestry = models.BooleanField(
        default=False, help_text="The requester opted into automatic ancestry inference for this job."
    )
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=60, blank=True)
    eta_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    timings = models.JSONField(default=dict, blank=True)
    input_quality = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the input gate found per parent (face side, low resolution, yaw, frontalised, tone, "
        "notes) and the age references used.",
    )
    diversity = models.FloatField(null=True, blank=True, help_text="Mean pairwise face-embedding distance.")
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Last sign of life from the worker running the job; a stale one means the worker died.",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rerun_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(father_face__isnull=False) | models.Q(father_candidate__isnull=False))
                & (models.Q(mother_face__isnull=False) | models.Q(mother_candidate__isnull=False)),
                name="generationjob_two_parents",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1), name="generationjob_progress_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"Generation job {self.pk} ({self.state})"

    @property
    def hair_colour_unread(self) -> bool:
        """Whether a candidate's hair colour is a plain mid brown because neither parent's photo
        showed hair to read one from (the engine's ``hair_colour_from``)."""
        return any(c.meta.get("hair_colour_from") == "unread" for c in self.candidates.all())

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES


class Candidate(models.Model):
    """One synthetic child image from a job, with the genes that made it."""

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to=candidate_image_path, max_length=300)
    image_sha256 = models.CharField(max_length=64, help_text="sha256 of the stored PNG (with its provenance).")
    pixels_sha256 = models.CharField(
        max_length=64, help_text="sha256 of the raw RGB pixels: equal for a re-run with the same inputs and seed."
    )
    perceptual_hash = models.BigIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="64-bit DCT pHash of the stored pixels (signed); uploads near it are refused as photos.",
    )
    watermarked = models.BooleanField(default=False, help_text="The pixels carry Kinship's invisible watermark.")
    genes = models.FileField(upload_to=candidate_genes_path, max_length=300)
    seed = models.BigIntegerField()
    distance_father = models.FloatField(null=True, blank=True)
    distance_mother = models.FloatField(null=True, blank=True)
    resemblance_father = models.FloatField(null=True, blank=True)
    resemblance_mother = models.FloatField(null=True, blank=True)
    detected_again = models.BooleanField(default=False, help_text="The face detector finds this candidate's face.")
    meta = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the engine says of this candidate: age_reference (used, references, "
        "needed, message, fingerprint), monochrome, tint, hair_style.",
    )
    embedding = models.JSONField(
        null=True,
        blank=True,
        help_text="dlib's 128-D face descriptor of the image, stored by the worker so rankings need no detector.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="candidate_unique_index_per_job")]

    def __str__(self) -> str:
        return f"Synthetic candidate {self.index} of job {self.job_id}"

    @property
    def age_reference_shortfall(self) -> str:
        """Return the engine's sentence when a child age look was not learnt from real faces, else ""."""
        from genetics.engine import AGE_GROUPS

        reference = self.meta.get("age_reference") or {}
        if not reference or reference.get("used") or reference.get("age_group") not in AGE_GROUPS[:3]:
            return ""
        return str(reference.get("message", ""))


class CandidateApproval(models.Model):
    """A second person's approval for a case candidate to leave the system (download, report, export, release).

    The approver is an owner or auditor of the tree and never the person who requested the job; the
    approval is also written to the audit trail, and revoking it deletes this row (audited too).
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="approval")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by_username = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
    approver_role = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True)
    approved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Approval of candidate {self.candidate_id} by {self.approved_by_username}"


class FaceEncoding(models.Model):
    """A parent face prepared by one engine, cached by photo content, face box and model."""

    photo_sha256 = models.CharField(max_length=64)
    box_key = models.CharField(max_length=60, help_text="left-top-right-bottom")
    model_key = models.CharField(max_length=200)
    data = models.FileField(upload_to=encoding_path, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo_sha256", "box_key", "model_key"], name="faceencoding_unique_key"),
        ]

    def __str__(self) -> str:
        return f"Encoding of {self.photo_sha256[:12]} {self.box_key} by {self.model_key}"
