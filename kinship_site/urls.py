"""Top-level routes: pages, the API under /api/, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from cases import views

urlpatterns = [
    path("", views.tree_list, name="tree-list"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("trees/<int:tree_id>/", views.tree_chart_page, name="tree-chart"),
    path("trees/<int:tree_id>/persons/", views.person_list, name="person-list"),
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
    path("api/", include("cases.api.urls")),
    path("admin/", admin.site.urls),
]
