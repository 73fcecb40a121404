from rest_framework.routers import SimpleRouter

from casework.api.cases import CaseViewSet
from casework.api.checks import CheckViewSet
from casework.api.risk import AlertViewSet, SignalViewSet

router = SimpleRouter()
router.register("checks", CheckViewSet, basename="check")
router.register("cases", CaseViewSet, basename="case")
router.register("signals", SignalViewSet, basename="signal")
router.register("alerts", AlertViewSet, basename="alert")
urlpatterns = router.urls
