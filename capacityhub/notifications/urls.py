from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("subscriptions/", views.SubscriptionsView.as_view(), name="subscriptions"),
    path("subscriptions/searches/add/", views.SavedSearchAddView.as_view(), name="savedsearch_add"),
    path("subscriptions/follow/", views.FollowView.as_view(), name="follow"),
]
