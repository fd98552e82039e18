from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

ITEMS = [{"title": f"Item {i}", "count": i * 7} for i in range(20)]


def page(request: HttpRequest) -> HttpResponse:
    """One template with a loop and a filter: what any Django page costs at the least."""
    return render(request, "page.html", {"title": "Bare Django", "items": ITEMS})


urlpatterns = [path("", page)]
