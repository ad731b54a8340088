"""API routes under ``/api/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from cases.api import gedcom_views, generation_views, views

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("trees/", views.TreeListView.as_view(), name="api-tree-list"),
    path("trees/<int:tree_id>/", views.TreeDetailView.as_view(), name="api-tree-detail"),
    path("trees/<int:tree_id>/members/", views.MemberListView.as_view(), name="api-member-list"),
    path("trees/<int:tree_id>/members/<int:membership_id>/", views.MemberDetailView.as_view(),
         name="api-member-detail"),
    path("trees/<int:tree_id>/persons/", views.PersonListView.as_view(), name="api-person-list"),
    path("trees/<int:tree_id>/persons/<int:person_id>/", views.PersonDetailView.as_view(), name="api-person-detail"),
    path("trees/<int:tree_id>/persons/<int:person_id>/portrait/", views.PersonPortraitView.as_view(),
         name="api-person-portrait"),
    path("trees/<int:tree_id>/families/", views.FamilyListView.as_view(), name="api-family-list"),
    path("trees/<int:tree_id>/families/<int:family_id>/", views.FamilyDetailView.as_view(), name="api-family-detail"),
    path("trees/<int:tree_id>/families/<int:family_id>/children/", views.FamilyChildListView.as_view(),
         name="api-family-children"),
    path("trees/<int:tree_id>/families/<int:family_id>/children/<int:link_id>/",
         views.FamilyChildDetailView.as_view(), name="api-family-child-detail"),
    path("trees/<int:tree_id>/photos/", views.PhotoListView.as_view(), name="api-photo-list"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/", views.PhotoDetailView.as_view(), name="api-photo-detail"),
    path("trees/<int:tree_id>/faces/<int:face_id>/", views.FaceDetailView.as_view(), name="api-face-detail"),
    path("trees/<int:tree_id>/chart/", views.ChartView.as_view(), name="api-chart"),
    path("trees/<int:tree_id>/photos/<int:photo_id>/consent/", generation_views.PhotoConsentView.as_view(),
         name="api-photo-consent"),
    path("trees/<int:tree_id>/jobs/", generation_views.GenerationJobListView.as_view(), name="api-job-list"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/", generation_views.GenerationJobDetailView.as_view(),
         name="api-job-detail"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/cancel/", generation_views.GenerationJobCancelView.as_view(),
         name="api-job-cancel"),
    path("trees/<int:tree_id>/jobs/<int:job_id>/rerun/", generation_views.GenerationJobRerunView.as_view(),
         name="api-job-rerun"),
    path("trees/<int:tree_id>/candidates/<int:candidate_id>/adopt/", generation_views.CandidateAdoptView.as_view(),
         name="api-candidate-adopt"),
    path("trees/<int:tree_id>/gedcom/imports/", gedcom_views.GedcomImportListView.as_view(),
         name="api-gedcom-import-list"),
    path("trees/<int:tree_id>/gedcom/imports/<int:import_id>/", gedcom_views.GedcomImportDetailView.as_view(),
         name="api-gedcom-import-detail"),
    path("trees/<int:tree_id>/gedcom/imports/<int:import_id>/confirm/", gedcom_views.GedcomImportConfirmView.as_view(),
         name="api-gedcom-import-confirm"),
    path("trees/<int:tree_id>/gedcom/export/", gedcom_views.GedcomExportView.as_view(), name="api-gedcom-export"),
    path("trees/<int:tree_id>/audit/", generation_views.AuditListView.as_view(), name="api-audit"),
    path("trees/<int:tree_id>/audit/<int:event_id>/rerun/", generation_views.AuditRerunView.as_view(),
         name="api-audit-rerun"),
]
