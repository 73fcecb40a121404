from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from network.permissions import funds_of, is_national, national_required
from network.selectors import funds_with_departments, get_fund_page_for, memberships_of


@login_required
def home(request):
    memberships = list(memberships_of(user=request.user))
    context = {"memberships": memberships, "national": is_national(request.user)}
    if context["national"]:
        context["fund_count"] = funds_of(user=request.user).count()
    fund_ids = [m.fund_id for m in memberships if m.fund_id]
    context["funds"] = funds_with_departments().filter(id__in=fund_ids)
    return render(request, "network/home.html", context)


@national_required
def fund_list(request):
    query = request.GET.get("q", "").strip()
    funds = funds_with_departments()
    if query:
        funds = funds.filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(departments__department=query))
    page = Paginator(funds.distinct(), 50).get_page(request.GET.get("page"))
    return render(request, "network/fund_list.html", {"page": page, "query": query})


@login_required
def fund_detail(request, code: str):
    fund = get_fund_page_for(user=request.user, code=code)
    return render(request, "network/fund_detail.html", {"fund": fund})
