from django.urls import path

from capacityhub.core.routing import record_urls

from . import views
from .calendar import meeting_calendar_view
from .record_types import DECISION, MEETING

app_name = "meetings"
urlpatterns = [
    path("meetings/calendar.ics", meeting_calendar_view, name="meeting_calendar"),
    path("meetings/<int:pk>/documents/add/", views.DocumentEditView.as_view(), name="document_add"),
    path("meetings/documents/<int:document>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path(
        "meetings/documents/<int:pk>/remove/",
        views.RemoveView.as_view(kind="document"),
        name="document_remove",
    ),
    path(
        "meetings/agenda/<int:pk>/remove/",
        views.RemoveView.as_view(kind="agenda_item"),
        name="agenda_item_remove",
    ),
    path(
        "meetings/documents/<int:document>/files/",
        views.DocumentFileAddView.as_view(),
        name="document_file_add",
    ),
    path("meetings/files/<int:pk>/", views.document_file, name="document_file"),
    path(
        "meetings/<int:pk>/recommendations/add/",
        views.RecommendationEditView.as_view(),
        name="recommendation_add",
    ),
    path(
        "meetings/recommendations/<int:recommendation>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path("links/<slug:kind>/<int:pk>/add/", views.LinkAddView.as_view(), name="link_add"),
    path("links/<int:pk>/delete/", views.LinkDeleteView.as_view(), name="link_delete"),
    path("liaison-group/", views.LiaisonGroupView.as_view(), name="liaison_group"),
    path("liaison-group/members/add/", views.LiaisonMemberEditView.as_view(), name="liaison_member_add"),
    path(
        "liaison-group/members/<int:pk>/edit/",
        views.LiaisonMemberEditView.as_view(),
        name="liaison_member_edit",
    ),
]
urlpatterns += record_urls(MEETING, list=views.ListView, detail=views.MeetingDetailView)
urlpatterns += record_urls(DECISION, list=views.ListView, detail=views.DecisionDetailView)
