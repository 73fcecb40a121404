"""Which fund a person is routed to: their fund code, else the single fund of their postcode's department."""

from django.db.models import Count

from network.models import Fund, FundDepartment


def department_of_postcode(postcode: str) -> str:
    """'56100' -> '56', '20000' -> '2A', '20200' -> '2B', '97110' -> '971'; '' when it is no French postcode."""
    digits = postcode if postcode.isdigit() else "".join(char for char in postcode if char.isdigit())
    if len(digits) == 4:
        digits = "0" + digits  # Excel drops the leading zero of 01000
    if len(digits) != 5 or digits.startswith("00"):
        return ""
    if digits.startswith("20"):
        return "2A" if digits[2] in "01" else "2B"
    if digits[:2] in ("97", "98"):
        return digits[:3]
    return digits[:2]


class Router:
    """Built once per import (two queries) then answers in memory."""

    def __init__(self) -> None:
        active = Fund.objects.filter(is_active=True)
        self.fund_by_code = dict(active.values_list("code", "id"))
        single = (FundDepartment.objects.filter(fund__is_active=True).values("department")
                  .annotate(funds=Count("fund")).filter(funds=1).values_list("department", flat=True))
        self.fund_by_department = dict(
            FundDepartment.objects.filter(fund__is_active=True, department__in=list(single))
            .values_list("department", "fund_id")
        )

    def route(self, *, fund_code: str, department: str) -> int | None:
        code = fund_code.strip()
        if code.isdigit() and len(code) < 3:
            code = code.zfill(3)
        return self.fund_by_code.get(code) or self.fund_by_department.get(department)
