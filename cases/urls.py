"""Page routes (server-rendered); the API has its own in ``cases.api.urls``."""

from django.urls import path, re_path

from cases.pages import (
    audit,
    casework,
    charts,
    editing,
    editing_records,
    gedcom,
    genealogy,
    generation,
    history,
    members,
    merging,
    tree_settings,
    trees,
)

urlpatterns = [
    path("", trees.tree_list, name="tree-list"),
    path("trees/<int:tree_id>/", charts.tree_chart_page, name="tree-chart"),
    path("trees/<int:tree_id>/chart/branch/", charts.tree_chart_branch, name="tree-chart-branch"),
    path("trees/<int:tree_id>/persons/", genealogy.person_list, name="person-list"),
    path("trees/<int:tree_id>/surnames/", genealogy.surname_list, name="surname-list"),
    path("trees/<int:tree_id>/places/", genealogy.place_list, name="place-list"),
    path("trees/<int:tree_id>/places/place/", genealogy.place_detail, name="place-detail"),
    path("trees/<int:tree_id>/relationship/", genealogy.relationship, name="relationship"),
    path("trees/<int:tree_id>/members/", members.member_list, name="member-list"),
    path("trees/<int:tree_id>/settings/", tree_settings.tree_settings, name="tree-settings"),
    path("trees/<int:tree_id>/members/save/", members.member_save, name="member-save"),
    path("trees/<int:tree_id>/members/<int:membership_id>/remove/", members.member_remove, name="member-remove"),
    path("trees/<int:tree_id>/gedcom/", gedcom.gedcom_page, name="tree-gedcom"),
    path("trees/<int:tree_id>/gedcom/imports/<int:import_id>/", gedcom.gedcom_import_page, name="gedcom-import"),
    path(
        "trees/<int:tree_id>/gedcom/imports/<int:import_id>/confirm/",
        gedcom.gedcom_import_confirm_page,
        name="gedcom-import-confirm",
    ),
    path("trees/<int:tree_id>/gedcom/export/", gedcom.gedcom_export_page, name="gedcom-export"),
    path("trees/<int:tree_id>/persons/<int:person_id>/", trees.person_detail, name="person-detail"),
    path("trees/<int:tree_id>/persons/<int:person_id>/photos/", trees.person_photo_upload, name="person-photo-upload"),
    path("trees/<int:tree_id>/persons/<int:person_id>/portrait/", trees.person_portrait_choose, name="person-portrait"),
    path("trees/<int:tree_id>/families/<int:family_id>/", trees.family_detail, name="family-detail"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/consent/", trees.photo_consent_page, name="photo-consent"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/details/", trees.photo_details_page, name="photo-details"),
    re_path(
        r"^trees/(?P<tree_id>\d+)/photos/(?P<photo_id>\d+)/(?P<variant>original|thumbnail)/$",
        trees.photo_file,
        name="photo-file",
    ),
    path("trees/<int:tree_id>/families/<int:family_id>/generate/", generation.family_generate, name="family-generate"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/cancel/", generation.job_cancel_page, name="job-cancel"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/rerun/", generation.job_rerun_page, name="job-rerun"),
    path(
        "trees/<int:tree_id>/candidates/<int:candidate_id>/image/", generation.candidate_image, name="candidate-image"
    ),
    path(
        "trees/<int:tree_id>/candidates/<int:candidate_id>/adopt/",
        generation.candidate_adopt_page,
        name="candidate-adopt",
    ),
    path(
        "trees/<int:tree_id>/candidates/<int:candidate_id>/approval/",
        generation.candidate_approve_page,
        name="candidate-approve",
    ),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/adoption/undo/",
        generation.person_adoption_undo_page,
        name="person-adoption-undo",
    ),
    path("trees/<int:tree_id>/audit/", audit.audit_page, name="audit"),
    path("trees/<int:tree_id>/history/", history.tree_history_page, name="tree-history"),
    path("trees/<int:tree_id>/history/<int:change_id>/revert/", history.change_revert_page, name="change-revert"),
    path("trees/<int:tree_id>/persons/<int:person_id>/history/", history.person_history_page, name="person-history"),
    path("trees/<int:tree_id>/cases/", casework.case_list_page, name="case-list"),
    path("trees/<int:tree_id>/cases/<int:case_id>/", casework.case_detail_page, name="case-detail"),
    path("trees/<int:tree_id>/cases/<int:case_id>/candidates/", casework.case_candidates_page, name="case-candidates"),
    path("trees/<int:tree_id>/cases/<int:case_id>/rank/", casework.case_rank_page, name="case-rank"),
    path("trees/<int:tree_id>/cases/<int:case_id>/status/", casework.case_status_page, name="case-status"),
    path("trees/<int:tree_id>/cases/<int:case_id>/assign/", casework.case_assign_page, name="case-assign"),
    path("trees/<int:tree_id>/cases/<int:case_id>/release/", casework.case_release_page, name="case-release"),
    path("trees/<int:tree_id>/cases/<int:case_id>/report/", casework.case_report_page, name="case-report"),
    path("trees/<int:tree_id>/cases/<int:case_id>/attachments/", casework.case_attachment_page, name="case-attachment"),
    path(
        "trees/<int:tree_id>/cases/<int:case_id>/reminders/<int:reminder_id>/done/",
        casework.case_reminder_done_page,
        name="case-reminder-done",
    ),
    # Editing persons, their names, events and notes (editors and owners).
    path("trees/<int:tree_id>/dates/understand/", editing.date_understand_page, name="date-understand"),
    path("trees/<int:tree_id>/persons/new/", editing.person_create_page, name="person-create"),
    path("trees/<int:tree_id>/persons/<int:person_id>/edit/", editing.person_edit_page, name="person-edit"),
    path("trees/<int:tree_id>/persons/<int:person_id>/delete/", editing.person_delete_page, name="person-delete"),
    path("trees/<int:tree_id>/persons/<int:person_id>/records/", editing.person_records_page, name="person-records"),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/events/new/",
        editing.person_event_add_page,
        name="person-event-add",
    ),
    path(
        "trees/<int:tree_id>/persons/<int:person_id>/notes/new/", editing.person_note_add_page, name="person-note-add"
    ),
    path("trees/<int:tree_id>/families/<int:family_id>/records/", editing.family_records_page, name="family-records"),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/events/new/",
        editing.family_event_add_page,
        name="family-event-add",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/notes/new/", editing.family_note_add_page, name="family-note-add"
    ),
    path("trees/<int:tree_id>/events/<int:event_id>/edit/", editing.event_edit_page, name="event-edit"),
    path("trees/<int:tree_id>/events/<int:event_id>/delete/", editing.event_delete_page, name="event-delete"),
    path("trees/<int:tree_id>/events/<int:event_id>/move/", editing.event_move_page, name="event-move"),
    path("trees/<int:tree_id>/notes/<int:note_id>/edit/", editing.note_edit_page, name="note-edit"),
    path("trees/<int:tree_id>/notes/<int:note_id>/delete/", editing.note_delete_page, name="note-delete"),
    path("trees/<int:tree_id>/duplicates/", merging.duplicate_list, name="duplicate-list"),
    path("trees/<int:tree_id>/merge/", merging.merge_review_page, name="merge-review"),
    # Editing families, children, sources, repositories, citations and face tags (editors and owners).
    path("trees/<int:tree_id>/persons/lookup/", editing_records.person_lookup, name="person-lookup"),
    path("trees/<int:tree_id>/families/new/", editing_records.family_form_page, name="family-create"),
    path("trees/<int:tree_id>/families/<int:family_id>/edit/", editing_records.family_form_page, name="family-edit"),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/delete/", editing_records.family_delete_page, name="family-delete"
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/",
        editing_records.family_child_add_page,
        name="family-child-add",
    ),
    path(
        "trees/<int:tree_id>/families/<int:family_id>/children/<int:link_id>/",
        editing_records.family_child_change_page,
        name="family-child-change",
    ),
    path("trees/<int:tree_id>/sources/", editing_records.source_list_page, name="source-list"),
    path("trees/<int:tree_id>/sources/new/", editing_records.source_form_page, name="source-create"),
    path("trees/<int:tree_id>/sources/<int:source_id>/edit/", editing_records.source_form_page, name="source-edit"),
    path(
        "trees/<int:tree_id>/sources/<int:source_id>/delete/", editing_records.source_delete_page, name="source-delete"
    ),
    path("trees/<int:tree_id>/repositories/new/", editing_records.repository_form_page, name="repository-create"),
    path(
        "trees/<int:tree_id>/repositories/<int:repository_id>/edit/",
        editing_records.repository_form_page,
        name="repository-edit",
    ),
    path(
        "trees/<int:tree_id>/repositories/<int:repository_id>/delete/",
        editing_records.repository_delete_page,
        name="repository-delete",
    ),
    path("trees/<int:tree_id>/citations/new/", editing_records.citation_form_page, name="citation-create"),
    path(
        "trees/<int:tree_id>/citations/<int:citation_id>/edit/",
        editing_records.citation_form_page,
        name="citation-edit",
    ),
    path(
        "trees/<int:tree_id>/citations/<int:citation_id>/delete/",
        editing_records.citation_delete_page,
        name="citation-delete",
    ),
    path("trees/<int:tree_id>/faces/<int:face_id>/tag/", editing_records.face_tag_page, name="face-tag"),
]
