from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from breaches.api.serializers import (
    BreachInputSerializer,
    BreachSerializer,
    BreachStatusSerializer,
)
from breaches.selectors import breach_search, breaches_visible_to, get_breach_for
from breaches.services import breach_create, breach_set_status, breach_update
from network.permissions import IsNational


class BreachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Breaches: read for every network member (fund users see their funds' counts); written by national staff."""

    serializer_class = BreachSerializer
    lookup_field = "reference"
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        return breach_search(breaches_visible_to(user=self.request.user), query=params.get("q", "").strip(),
                             status=params.get("status", ""), severity=params.get("severity", ""),
                             category=params.get("category", ""), department=params.get("department", ""))

    def get_permissions(self):
        if self.action in ("create", "partial_update", "set_status"):
            return [*super().get_permissions(), IsNational()]
        return super().get_permissions()

    def _out(self, breach, code=status.HTTP_200_OK):
        breach = get_breach_for(user=self.request.user, reference=breach.reference)
        return Response(BreachSerializer(breach).data, status=code)

    @extend_schema(request=BreachInputSerializer, responses=BreachSerializer)
    def create(self, request):
        data = BreachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(breach_create(actor=request.user, **data.to_service()), status.HTTP_201_CREATED)

    @extend_schema(request=BreachInputSerializer, responses=BreachSerializer)
    def partial_update(self, request, reference=None):
        breach = get_breach_for(user=request.user, reference=reference)
        data = BreachInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._out(breach_update(breach=breach, actor=request.user, **data.to_service()))

    @extend_schema(request=BreachStatusSerializer, responses=BreachSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, reference=None):
        breach = get_breach_for(user=request.user, reference=reference)
        data = BreachStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(breach_set_status(breach=breach, status=data.validated_data["status"], actor=request.user))
