from django.urls import include, path

from charte.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("data/", views.download_data, name="account_data"),
    path("delete/", views.delete_account, name="account_delete"),
    path("unfollow/<str:token>/", views.unfollow, name="thread_unfollow"),
    path("notifications/", views.notifications, name="account_notifications"),
    path("charters/<int:pk>/follow/", views.charter_follow, name="charter_follow"),
    path("emails/stop/<str:token>/", views.stop_emails, name="emails_stop"),
    path("", include("allauth.urls")),
]
