from rest_framework.routers import SimpleRouter

from notifications.api.views import DeliveryViewSet, InstructionViewSet

router = SimpleRouter()
router.register("instructions", InstructionViewSet, basename="instruction")
router.register("deliveries", DeliveryViewSet, basename="delivery")
urlpatterns = router.urls
