from django.utils.functional import SimpleLazyObject

from network.navigation import menu_for
from network.permissions import is_national, region_coordinated_by
from network.selectors import primary_fund


def roles(request):
    """What the layout needs to show the right navigation. Lazy: no query for anonymous pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "vigie_second_factor_pending", False):
        return {"vigie_is_national": False, "vigie_menu": []}
    national, fund, region = is_national(user), primary_fund(user=user), region_coordinated_by(user)
    menu = SimpleLazyObject(lambda: menu_for(user=user, is_national=national, fund=fund, region=region,
                                             path=request.path))
    return {"vigie_is_national": national, "vigie_fund": fund, "vigie_region": region, "vigie_menu": menu}
