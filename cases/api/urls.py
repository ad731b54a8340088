"""API routes under ``/api/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cases.api import (
    case_views,
    chart_views,
    gedcom_views,
    genealogy_views,
    generation_views,
    history_views,
    merge_views,
    record_views,
    source_views,
    views,
)
from cases.api.auth import ObtainExpiringToken

urlpatterns = [
    path("auth/token/", ObtainExpiringToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("trees/", views.TreeListView.as_view(), name="api-tree-list"),
    path("trees/<int:tree_id>/", views.TreeDetailView.as_view(), name="api-tree-detail"),
    path("trees/<int:tree_id>/members/", views.MemberListView.as_view(), name="api-member-list"),
    path(
        "trees/<int:tree_id>/members/<int:membership_id>/", views.MemberDetailView.as_view(), name="api-member-detail"
    ),
    path("trees/<int:tree_id>/persons/", views.PersonListView.as_view(), name="api-person-list"),
    path("trees/<int:tree_id>/persons/<int:person_id>/", views.PersonDetailView.as_view(), name="api-person-detail"),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/timeline/",
        genealogy_views.PersonTimelineView.as_view(),
        name="api-person-timeline",
    ),
    path("trees/<int:tree_id>/surnames/", genealogy_views.SurnameListView.as_view(), name="api-surname-list"),
    path("trees/<int:tree_id>/places/", genealogy_views.PlaceListView.as_view(), name="api-place-list"),
    path("trees/<int:tree_id>/places/events/", genealogy_views.PlaceEventListView.as_view(), name="api-place-events"),
    path("trees/<int:tree_id>/relationship/", genealogy_views.RelationshipView.as_view(), name="api-relationship"),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/portrait/",
        views.PersonPortraitView.as_view(),
        name="api-person-portrait",
    ),
    path("trees/<int:tree_id>/families/", views.FamilyListView.as_view(), name="api-family-list"),
    path("trees/<int:tree_id>/families/<int:family_id>/", views.FamilyDetailView.as_view(), name="api-family-detail"),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/",
        views.FamilyChildListView.as_view(),
        name="api-family-children",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/<int:link_id>/",
        views.FamilyChildDetailView.as_view(),
        name="api-family-child-detail",
    ),
    path("trees/<int:tree_id>/photos/", views.PhotoListView.as_view(), name="api-photo-list"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/", views.PhotoDetailView.as_view(), name="api-photo-detail"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/gate/", views.PhotoFaceGateView.as_view(), name="api-photo-gate"),
    path("trees/<int:tree_id>/faces/<int:face_id>/", views.FaceDetailView.as_view(), name="api-face-detail"),
    path("trees/<int:tree_id>/chart/", chart_views.ChartView.as_view(), name="api-chart"),
    path("trees/<int:tree_id>/chart/branch/", chart_views.ChartBranchView.as_view(), name="api-chart-branch"),
    path(
        "trees/<int:tree_id>/photos/<int:photo_id>/consent/",
        generation_views.PhotoConsentView.as_view(),
        name="api-photo-consent",
    ),
    path("trees/<int:tree_id>/jobs/", generation_views.GenerationJobListView.as_view(), name="api-job-list"),
    path(
        "trees/<int:tree_id>/jobs/<int:job_id>/",
        generation_views.GenerationJobDetailView.as_view(),
        name="api-job-detail",
    ),
    path(
        "trees/<int:tree_id>/jobs/<int:job_id>/cancel/",
        generation_views.GenerationJobCancelView.as_view(),
        name="api-job-cancel",
    ),
    path(
        "trees/<int:tree_id>/jobs/<int:job_id>/rerun/",
        generation_views.GenerationJobRerunView.as_view(),
        name="api-job-rerun",
    ),
    path(
        "trees/<int:tree_id>/candidates/<int:candidate_id>/adopt/",
        generation_views.CandidateAdoptView.as_view(),
        name="api-candidate-adopt",
    ),
    path(
        "trees/<int:tree_id>/candidates/<int:candidate_id>/approval/",
        generation_views.CandidateApprovalView.as_view(),
        name="api-candidate-approval",
    ),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/adoption/undo/",
        generation_views.PersonAdoptionUndoView.as_view(),
        name="api-person-adoption-undo",
    ),
    path(
        "trees/<int:tree_id>/gedcom/imports/",
        gedcom_views.GedcomImportListView.as_view(),
        name="api-gedcom-import-list",
    ),
    path(
        "trees/<int:tree_id>/gedcom/imports/<int:import_id>/",
        gedcom_views.GedcomImportDetailView.as_view(),
        name="api-gedcom-import-detail",
    ),
    path(
        "trees/<int:tree_id>/gedcom/imports/<int:import_id>/confirm/",
        gedcom_views.GedcomImportConfirmView.as_view(),
        name="api-gedcom-import-confirm",
    ),
    path("trees/<int:tree_id>/gedcom/export/", gedcom_views.GedcomExportView.as_view(), name="api-gedcom-export"),
    path("trees/<int:tree_id>/audit/", generation_views.AuditListView.as_view(), name="api-audit"),
    path(
        "trees/<int:tree_id>/audit/<int:event_id>/rerun/",
        generation_views.AuditRerunView.as_view(),
        name="api-audit-rerun",
    ),
    path("trees/<int:tree_id>/cases/", case_views.CaseListView.as_view(), name="api-case-list"),
    path("trees/<int:tree_id>/cases/<int:case_id>/", case_views.CaseDetailView.as_view(), name="api-case-detail"),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/assign/", case_views.CaseAssignView.as_view(), name="api-case-assign"
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/release/",
        case_views.CaseReleaseView.as_view(),
        name="api-case-release",
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/attachments/",
        case_views.CaseAttachmentListView.as_view(),
        name="api-case-attachments",
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/candidates/",
        case_views.CaseCandidateListView.as_view(),
        name="api-case-candidates",
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/rankings/",
        case_views.CaseRankingListView.as_view(),
        name="api-case-rankings",
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/report/", case_views.CaseReportView.as_view(), name="api-case-report"
    ),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/reminders/<int:reminder_id>/done/",
        case_views.CaseReminderDoneView.as_view(),
        name="api-case-reminder-done",
    ),
    path("trees/<int:tree_id>/history/", history_views.RecordChangeListView.as_view(), name="api-history"),
    path(
        "trees/<int:tree_id>/history/<int:change_id>/revert/",
        history_views.RecordChangeRevertView.as_view(),
        name="api-history-revert",
    ),
    path(
        "trees/<int:tree_id>/persons/duplicates/",
        merge_views.PersonDuplicateListView.as_view(),
        name="api-person-duplicates",
    ),
    path("trees/<int:tree_id>/persons/merge/", merge_views.PersonMergeView.as_view(), name="api-person-merge"),
    path("trees/<int:tree_id>/events/", record_views.EventListView.as_view(), name="api-event-list"),
    path("trees/<int:tree_id>/events/<int:event_id>/", record_views.EventDetailView.as_view(), name="api-event-detail"),
    path(
        "trees/<int:tree_id>/events/<int:event_id>/move/", record_views.EventMoveView.as_view(), name="api-event-move"
    ),
    path("trees/<int:tree_id>/notes/", record_views.NoteListView.as_view(), name="api-note-list"),
    path("trees/<int:tree_id>/notes/<int:note_id>/", record_views.NoteDetailView.as_view(), name="api-note-detail"),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/names/",
        record_views.PersonNameListView.as_view(),
        name="api-person-names",
    ),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/names/<int:name_id>/",
        record_views.PersonNameDetailView.as_view(),
        name="api-person-name-detail",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/new/",
        record_views.FamilyChildCreateView.as_view(),
        name="api-family-child-create",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/<int:link_id>/pedigree/",
        record_views.FamilyChildUpdateView.as_view(),
        name="api-family-child-pedigree",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/<int:link_id>/move/",
        record_views.FamilyChildMoveView.as_view(),
        name="api-family-child-move",
    ),
    path(
        "trees/<int:tree_id>/dates/understand/", record_views.DateUnderstandView.as_view(), name="api-date-understand"
    ),
    path("trees/<int:tree_id>/sources/", source_views.SourceListView.as_view(), name="api-source-list"),
    path(
        "trees/<int:tree_id>/sources/<int:source_id>/",
        source_views.SourceDetailView.as_view(),
        name="api-source-detail",
    ),
    path("trees/<int:tree_id>/repositories/", source_views.RepositoryListView.as_view(), name="api-repository-list"),
    path(
        "trees/<int:tree_id>/repositories/<int:repository_id>/",
        source_views.RepositoryDetailView.as_view(),
        name="api-repository-detail",
    ),
    path("trees/<int:tree_id>/citations/", source_views.CitationListView.as_view(), name="api-citation-list"),
    path(
        "trees/<int:tree_id>/citations/<int:citation_id>/",
        source_views.CitationDetailView.as_view(),
        name="api-citation-detail",
    ),
]
