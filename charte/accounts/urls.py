from django.urls import include, path

from charte.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("data/", views.download_data, name="account_data"),
    path("delete/", views.delete_account, name="account_delete"),
    path("unfollow/<str:token>/", views.unfollow, name="thread_unfollow"),
    path("", include("allauth.urls")),
]
