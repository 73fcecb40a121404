from rest_framework import viewsets

from network.api.serializers import FundSerializer
from network.permissions import funds_of
from network.selectors import funds_with_departments


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    """The funds the caller may see: every fund for national staff, their own for fund users."""

    serializer_class = FundSerializer
    lookup_field = "code"
    filterset_fields = ["kind", "is_active"]

    def get_queryset(self):
        return funds_with_departments().filter(id__in=funds_of(user=self.request.user)).order_by("code")
