"""Django admin for every model, read-only: every write goes through the app's services.

Staff edits here bypassed the checks and the audit trail (issue 14): a superuser is an owner of
every tree in the app, where the services check and audit each change. The admin stays for
looking things up.
"""

from django.contrib import admin

from cases import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show records; adding, changing and deleting happen in the app, through the services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PersonNameInline(ReadOnlyInline):
    model = models.PersonName
    extra = 0


class ChildLinkInline(ReadOnlyInline):
    model = models.ChildLink
    extra = 0
    raw_id_fields = ["child"]


class FaceInline(ReadOnlyInline):
    model = models.Face
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["left", "top", "right", "bottom"]
    exclude = ["landmarks"]


class MembershipInline(ReadOnlyInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user", "scope_person"]


@admin.register(models.Tree)
class TreeAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "tree", "role", "can_see_living", "scope_person", "scope_depth"]
    list_filter = ["role", "tree"]
    raw_id_fields = ["user", "scope_person"]


@admin.register(models.Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "tree", "sex", "birth_date", "death_date", "estimated_birth_year"]
    list_filter = ["tree", "sex", "is_hypothetical"]
    search_fields = ["given_names", "surname"]
    raw_id_fields = ["portrait_face"]
    readonly_fields = [
        "birth_date_start",
        "birth_date_end",
        "death_date_start",
        "death_date_end",
        "estimated_birth_year",
    ]
    inlines = [PersonNameInline]
    list_select_related = ["tree"]


@admin.register(models.PersonName)
class PersonNameAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person", "name_type"]
    raw_id_fields = ["person"]


@admin.register(models.Family)
class FamilyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "tree", "family_type", "start_date"]
    list_filter = ["tree", "family_type"]
    raw_id_fields = ["partner1", "partner2"]
    readonly_fields = ["start_date_start", "start_date_end", "end_date_start", "end_date_end"]
    inlines = [ChildLinkInline]
    list_select_related = ["tree", "partner1", "partner2"]


@admin.register(models.ChildLink)
class ChildLinkAdmin(ReadOnlyAdmin):
    list_display = ["child", "family", "pedigree"]
    raw_id_fields = ["family", "child"]


@admin.register(models.Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "tree", "image_format", "width", "height", "detection_status", "created_at"]
    list_filter = ["tree", "detection_status"]
    readonly_fields = [
        "original",
        "sha256",
        "image_format",
        "byte_size",
        "width",
        "height",
        "exif_orientation",
        "thumbnail",
        "uploaded_by",
    ]
    raw_id_fields = ["persons"]
    inlines = [FaceInline]


@admin.register(models.Face)
class FaceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person"]
    raw_id_fields = ["photo", "person"]


@admin.register(models.Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "tree", "person", "family"]
    raw_id_fields = ["person", "family"]


@admin.register(models.Repository)
class RepositoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "tree"]
    search_fields = ["name"]


@admin.register(models.Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "tree", "author"]
    search_fields = ["title", "author"]


@admin.register(models.Citation)
class CitationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person", "family", "quality"]
    raw_id_fields = ["source", "person", "family", "event"]


@admin.register(models.GenerationJob)
class GenerationJobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "tree", "family", "engine", "state", "progress", "requested_by", "created_at"]
    list_filter = ["state", "engine", "tree"]


@admin.register(models.Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "job", "image_sha256", "resemblance_father", "resemblance_mother"]


@admin.register(models.CandidateApproval)
class CandidateApprovalAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "approved_by_username", "approver_role", "approved_at"]


@admin.register(models.AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]


@admin.register(models.FaceEncoding)
class FaceEncodingAdmin(ReadOnlyAdmin):
    list_display = ["photo_sha256", "box_key", "model_key", "created_at"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is append-only: no add, change or delete here either."""

    list_display = ["pk", "created_at", "actor_username", "tree_id", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_username", "hash"]


@admin.register(models.AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["pk", "last_hash"]


@admin.register(models.GedcomImport)
class GedcomImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "tree", "state", "progress", "created_by", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["sha256", "preview", "result", "error"]
    raw_id_fields = ["tree", "created_by"]


@admin.register(models.Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["tag", "event_type", "date", "place", "person", "family"]
    list_select_related = ["person", "family"]
    raw_id_fields = ["tree", "person", "family"]


@admin.register(models.GedcomRecord)
class GedcomRecordAdmin(ReadOnlyAdmin):
    list_display = ["tag", "xref", "tree"]
    list_select_related = ["tree"]
    raw_id_fields = ["tree"]


class CaseRestrictedInline(ReadOnlyInline):
    model = models.CaseRestricted
    can_delete = False


@admin.register(models.Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "number", "tree", "status", "missing_person", "progression_next_due"]
    list_filter = ["status", "tree"]
    search_fields = ["organisation", "number"]
    raw_id_fields = ["missing_person", "favoured_parent"]
    filter_horizontal = ["caseworkers"]
    inlines = [CaseRestrictedInline]
    list_select_related = ["tree", "missing_person"]


@admin.register(models.CaseRestricted)
class CaseRestrictedAdmin(ReadOnlyAdmin):
    list_display = ["case"]
    list_select_related = ["case"]


@admin.register(models.CaseAttachment)
class CaseAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "original_name", "relative", "age_group", "created_at"]
    raw_id_fields = ["case", "relative"]
    readonly_fields = ["sha256"]


@admin.register(models.CaseReminder)
class CaseReminderAdmin(ReadOnlyAdmin):
    list_display = ["case", "due_on", "message", "done_at"]
    list_filter = ["due_on"]


@admin.register(models.CaseGeneration)
class CaseGenerationAdmin(ReadOnlyAdmin):
    list_display = ["case", "job", "age_group", "is_age_today"]


@admin.register(models.FoundPhotoRanking)
class FoundPhotoRankingAdmin(ReadOnlyAdmin):
    """Rankings are evidence: shown, never edited here."""

    list_display = ["case", "performed_by", "created_at", "sha256"]


@admin.register(models.RecordChange)
class RecordChangeAdmin(ReadOnlyAdmin):
    """Change history is written by the recorders only; reverts go through the history page or API."""

    list_display = ["pk", "at", "username", "tree", "record_type", "object_id", "action", "summary"]
    list_filter = ["record_type", "action"]
    search_fields = ["username", "summary"]


@admin.register(models.RecordChangePerson)
class RecordChangePersonAdmin(ReadOnlyAdmin):
    list_display = ["change", "person_id"]
