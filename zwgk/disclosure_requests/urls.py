"""The applicant's pages under ``/yisqgk/``."""

from django.urls import path

from zwgk.disclosure_requests import views

app_name = "disclosure_requests"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("query/", views.query, name="query"),
    path("query/result/", views.query_result, name="query_result"),
    path("query/withdraw/", views.withdraw, name="withdraw"),
    path(
        "query/letters/<int:pk>.<str:fmt>",
        views.letter_download,
        name="letter_download",
    ),
]
