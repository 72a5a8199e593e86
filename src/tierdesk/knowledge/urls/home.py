"""Route of the help center's home, /help/."""

from django.urls import URLPattern, path

from ..views import home

urlpatterns: list[URLPattern] = [
    path("", home.index, name="index"),
]
