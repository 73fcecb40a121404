from django.urls import path
from rest_framework.routers import SimpleRouter

from breaches.api.views import BreachViewSet, LookupView

router = SimpleRouter()
router.register("breaches", BreachViewSet, basename="breach")
urlpatterns = [*router.urls, path("lookups/", LookupView.as_view(), name="lookup")]
