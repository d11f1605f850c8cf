"""Drafting an agreement: starting one, its tasks, and its status."""

from django.urls import path

from ..views import drafting, tasks

urlpatterns = [
    path("new/", drafting.agreement_start, name="create"),
    path("<int:pk>/tasks/", tasks.agreement_task_list, name="tasks"),
    path("<int:pk>/tasks/details/", drafting.DetailsTask.as_view(), name="task_details"),
    path("<int:pk>/tasks/purposes/", drafting.PurposesTask.as_view(), name="task_purposes"),
    path("<int:pk>/tasks/data/", drafting.data_items, name="task_data"),
    path("<int:pk>/tasks/data/add/", drafting.DataItemTask.as_view(), name="data_item_add"),
    path("<int:pk>/tasks/data/<int:item_pk>/", drafting.DataItemTask.as_view(), name="data_item_edit"),
    path("<int:pk>/tasks/data/<int:item_pk>/remove/", drafting.data_item_remove, name="data_item_remove"),
    path("<int:pk>/tasks/gateways/", drafting.GatewaysTask.as_view(), name="task_gateways"),
    path("<int:pk>/tasks/transfer/", drafting.TransferTask.as_view(), name="task_transfer"),
    path("<int:pk>/tasks/retention/", drafting.RetentionTask.as_view(), name="task_retention"),
    path("<int:pk>/tasks/breaches/", drafting.BreachesTask.as_view(), name="task_breaches"),
    path("<int:pk>/tasks/review/", drafting.ReviewTask.as_view(), name="task_review"),
    path("<int:pk>/tasks/sections/", drafting.sections, name="task_sections"),
    path("<int:pk>/tasks/sections/add/", drafting.SectionTask.as_view(), name="section_add"),
    path("<int:pk>/tasks/sections/<int:item_pk>/", drafting.SectionTask.as_view(), name="section_edit"),
    path("<int:pk>/tasks/sections/<int:item_pk>/remove/", drafting.section_remove, name="section_remove"),
    path("<int:pk>/tasks/kind/", drafting.KindTermsTask.as_view(), name="task_kind"),
    path("<int:pk>/tasks/kind/sub-processors/add/", drafting.SubProcessorTask.as_view(), name="sub_processor_add"),
    path("<int:pk>/tasks/kind/sub-processors/<int:item_pk>/", drafting.SubProcessorTask.as_view(),
         name="sub_processor_edit"),
    path("<int:pk>/status/", drafting.agreement_status, name="status"),
]
