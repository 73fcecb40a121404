from rest_framework.routers import SimpleRouter

from casework.api.views import FundViewSet

router = SimpleRouter()
router.register("funds", FundViewSet, basename="fund")
urlpatterns = router.urls
