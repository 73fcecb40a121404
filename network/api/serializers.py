from rest_framework import serializers

from config.screening import ScreenedModelSerializer
from network.models import Fund


class FundSerializer(ScreenedModelSerializer):
    departments = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["code", "name", "kind", "departments", "is_active"]

    def get_departments(self, fund: Fund) -> list[str]:
        return fund.department_codes
