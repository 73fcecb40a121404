from django.urls import path
from rest_framework.routers import SimpleRouter

from breaches.api.views import BreachViewSet
from breaches.lookup.http import LookupView

router = SimpleRouter()
router.register("breaches", BreachViewSet, basename="breach")
urlpatterns = [path("lookups/", LookupView.as_view(), name="lookup"), *router.urls]
