"""The product's URLs plus a stand-in for the help center's search (issue 9), for the home tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tierdesk.config.urls import urlpatterns as product_urls


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.GET.get("q", ""))


urlpatterns = [
    path("help/", include(([path("search/", search, name="search")], "knowledge"))),
    *product_urls,
]
