from network.permissions import is_national, region_coordinated_by
from network.selectors import primary_fund


def roles(request):
    """What the layout needs to show the right navigation. Lazy: no query for anonymous pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"vigie_is_national": False}
    return {"vigie_is_national": is_national(user), "vigie_fund": primary_fund(user=user),
            "vigie_region": region_coordinated_by(user)}
