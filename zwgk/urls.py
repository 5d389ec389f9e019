from django.contrib import admin
from django.urls import include, path

from zwgk.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("yisqgk/", include("zwgk.disclosure_requests.urls")),
    path("", include("zwgk.portal.urls")),
]
