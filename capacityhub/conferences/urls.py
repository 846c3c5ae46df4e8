from django.urls import path, re_path

from capacityhub.core import views as generic
from capacityhub.core import views_export
from capacityhub.core.feeds import RecordFeed

from . import views
from .record_types import CONFERENCE

app_name = "conferences"
C = "conferences/<int:pk>/"
T = C + "topics/<int:number>/"
urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(record_type=CONFERENCE), name="conference_list"),
    path("conferences/calendar.ics", views.conference_calendar, name="conference_calendar"),
    path("conferences/feed.atom", RecordFeed(CONFERENCE), name="conference_feed"),
    re_path(
        r"^conferences/export\.(?P<format>csv|xlsx|json)$",
        views_export.RecordExportView.as_view(record_type=CONFERENCE),
        name="conference_export",
    ),
    path("conferences/add/", views.ConferenceEditView.as_view(), name="conference_add"),
    path(C, views.ConferenceDetailView.as_view(), name="conference"),
    path(C + "edit/", views.ConferenceEditView.as_view(), name="conference_edit"),
    path(
        C + "history/", generic.RecordHistoryView.as_view(record_type=CONFERENCE), name="conference_history"
    ),
    path(C + "do/<slug:action>/", views.ConferenceActionView.as_view(), name="conference_action"),
    path(
        C + "workflow/<slug:action>/",
        views.ConferenceTransitionView.as_view(record_type=CONFERENCE),
        name="conference_transition",
    ),
    path(C + "objectives/add/", views.ObjectiveEditView.as_view(), name="objective_add"),
    path(C + "objectives/<int:objective>/edit/", views.ObjectiveEditView.as_view(), name="objective_edit"),
    path(
        C + "objectives/<int:objective>/remove/",
        views.RemoveView.as_view(kind="objective"),
        name="objective_remove",
    ),
    path(C + "topics/add/", views.TopicEditView.as_view(), name="topic_add"),
    path(T, views.TopicView.as_view(), name="topic"),
    path(T + "edit/", views.TopicEditView.as_view(), name="topic_edit"),
    path(T + "post/", views.PostCreateView.as_view(), name="post_add"),
    path(T + "conclusion/", views.ConclusionView.as_view(), name="conclusion"),
    path(T + "remove/", views.RemoveView.as_view(kind="topic"), name="topic_remove"),
    path(T + "<slug:action>/", views.TopicCloseView.as_view(), name="topic_close"),
    path(C + "documents/add/", views.DocumentAddView.as_view(), name="document_add"),
    path(C + "documents/<int:document>/", views.document_file, name="document_file"),
    path(
        C + "documents/<int:document>/remove/",
        views.RemoveView.as_view(kind="document"),
        name="document_remove",
    ),
    path(C + "register/", views.RegisterView.as_view(), name="register"),
    path(C + "participants/", views.ParticipantsView.as_view(), name="participants"),
    path(C + "moderation/", views.ModerationView.as_view(), name="moderation"),
    path(C + "moderators/", views.ModeratorsView.as_view(), name="moderators"),
    path(C + "outcome/", views.OutcomeView.as_view(), name="outcome"),
    path(C + "outcome.<slug:fmt>", views.outcome_file, name="outcome_file"),
    path("conferences/posts/<int:post>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("conferences/posts/<int:post>/history/", views.PostHistoryView.as_view(), name="post_history"),
    path("conferences/posts/<int:post>/flag/", views.PostFlagView.as_view(), name="post_flag"),
    path(
        "conferences/posts/<int:post>/<slug:action>/", views.PostModerateView.as_view(), name="post_moderate"
    ),
    path("conferences/attachments/<int:pk>/", views.attachment_file, name="attachment"),
]
