"""An agreement's reviews, their actions and findings."""

from django.urls import path

from ..views import reviews

urlpatterns = [
    path("<int:pk>/reviews/", reviews.review_list, name="reviews"),
    path("<int:pk>/reviews/new/", reviews.review_start, name="review_start"),
    path("<int:pk>/reviews/<int:review_pk>/", reviews.review_detail, name="review_detail"),
    path("<int:pk>/reviews/<int:review_pk>/actions/new/", reviews.review_action_add, name="review_action_add"),
    path(
        "<int:pk>/reviews/<int:review_pk>/actions/<int:action_pk>/done/", reviews.review_action_done,
        name="review_action_done",
    ),
    path(
        "<int:pk>/reviews/<int:review_pk>/findings-reported/", reviews.review_findings_reported,
        name="review_findings_reported",
    ),
]
