"""A draft's consultation: the comments on it, and the owner's answers."""

from django.urls import path

from ..views import consultation

urlpatterns = [
    path("<int:pk>/consultation/", consultation.consultation, name="consultation"),
    path("<int:pk>/consultation/<int:comment_pk>/answer/", consultation.consultation_answer,
         name="consultation_answer"),
]
