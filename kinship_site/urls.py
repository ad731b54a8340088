"""Top-level routes: log-in, the pages, the API under /api/, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.api.auth import ThrottledLoginView

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("cases.urls")),
    path("api/", include("cases.api.urls")),
    path("admin/", admin.site.urls),
]

# Unmatched URLs under /api/ get a JSON 404, like every other API error; the rest the HTML page.
handler404 = "cases.api.errors.not_found"
