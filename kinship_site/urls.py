"""Top-level routes: pages, the API under /api/, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from cases import case_views, gedcom_views, views

urlpatterns = [
    path("", views.tree_list, name="tree-list"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("trees/<int:tree_id>/", views.tree_chart_page, name="tree-chart"),
    path("trees/<int:tree_id>/persons/", views.person_list, name="person-list"),
    path("trees/<int:tree_id>/gedcom/", gedcom_views.gedcom_page, name="tree-gedcom"),
    path("trees/<int:tree_id>/gedcom/imports/<int:import_id>/", gedcom_views.gedcom_import_page, name="gedcom-import"),
    path("trees/<int:tree_id>/gedcom/imports/<int:import_id>/confirm/", gedcom_views.gedcom_import_confirm_page,
         name="gedcom-import-confirm"),
    path("trees/<int:tree_id>/gedcom/export/", gedcom_views.gedcom_export_page, name="gedcom-export"),
    path("trees/<int:tree_id>/persons/<int:person_id>/", views.person_detail, name="person-detail"),
    path("trees/<int:tree_id>/persons/<int:person_id>/photos/", views.person_photo_upload,
         name="person-photo-upload"),
    path("trees/<int:tree_id>/persons/<int:person_id>/portrait/", views.person_portrait_choose,
         name="person-portrait"),
    path("trees/<int:tree_id>/families/<int:family_id>/", views.family_detail, name="family-detail"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/consent/", views.photo_consent_page, name="photo-consent"),
    re_path(r"^trees/(?P<tree_id>\d+)/photos/(?P<photo_id>\d+)/(?P<variant>original|thumbnail)/$", views.photo_file,
            name="photo-file"),
    path("trees/<int:tree_id>/families/<int:family_id>/generate/", views.family_generate, name="family-generate"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/cancel/", views.job_cancel_page, name="job-cancel"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/rerun/", views.job_rerun_page, name="job-rerun"),
    path("trees/<int:tree_id>/candidates/<int:candidate_id>/image/", views.candidate_image, name="candidate-image"),
    path("trees/<int:tree_id>/candidates/<int:candidate_id>/adopt/", views.candidate_adopt_page,
         name="candidate-adopt"),
    path("trees/<int:tree_id>/cases/", case_views.case_list_page, name="case-list"),
    path("trees/<int:tree_id>/cases/<int:case_id>/", case_views.case_detail_page, name="case-detail"),
    path("trees/<int:tree_id>/cases/<int:case_id>/candidates/", case_views.case_candidates_page,
         name="case-candidates"),
    path("trees/<int:tree_id>/cases/<int:case_id>/rank/", case_views.case_rank_page, name="case-rank"),
    path("trees/<int:tree_id>/cases/<int:case_id>/status/", case_views.case_status_page, name="case-status"),
    path("trees/<int:tree_id>/cases/<int:case_id>/assign/", case_views.case_assign_page, name="case-assign"),
    path("trees/<int:tree_id>/cases/<int:case_id>/release/", case_views.case_release_page, name="case-release"),
    path("trees/<int:tree_id>/cases/<int:case_id>/report/", case_views.case_report_page, name="case-report"),
    path("trees/<int:tree_id>/cases/<int:case_id>/attachments/", case_views.case_attachment_page,
         name="case-attachment"),
    path("trees/<int:tree_id>/cases/<int:case_id>/reminders/<int:reminder_id>/done/",
         case_views.case_reminder_done_page, name="case-reminder-done"),
    path("api/", include("cases.api.urls")),
    path("admin/", admin.site.urls),
]
